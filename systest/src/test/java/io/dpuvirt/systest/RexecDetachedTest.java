package io.dpuvirt.systest;

import io.dpuvirt.common.exec.CommandResult;
import io.dpuvirt.common.exec.Commands;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.fabric.rexec.ProgramId;
import io.dpuvirt.testbed.Side;
import io.dpuvirt.testbed.TestBed;
import io.dpuvirt.testbed.TestBedConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.dpuvirt.systest.ProxyPair.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What virtd on the DPU needs to keep qemu running on the HOST, with sleep in qemu's place: a detached program
 * started from the DPU through udsproxyd outlives its client (killed -9), the link (the DPU's udsproxyd killed) and
 * restarts of the HOST's rexec_server (SIGTERM, kill -9); a new client on the DPU finds it and controls it again.
 * virtd's files on the HOST (a guest's private directory, its nvram) are reached the same way, without a mount.
 * The clients are {@link DetachedControl} processes on the DPU, using the Java API as virtd does.
 */
class RexecDetachedTest {
    private static final String UDS_WHITELIST = "[Udsconnect]\nPath=/var/run/rexec\n";
    private static final String OUTPUT = "/tmp/rxd-output";
    /** On the HOST's own /run (each side has a private one): the server creates it. */
    private static final String STATE = "/run/rxd-state";

    private TestBed bed;
    private ProxyPair proxies;
    private RexecServers servers;
    private Side host;
    private Side dpu;
    private Path logs;
    private final List<Controller> controllers = new ArrayList<>();
    private final List<ProgramId> programs = new ArrayList<>();

    @BeforeEach
    void up(TestInfo test) throws Exception {
        bed = TestBed.up(TestBedConfig.named("rxd"));
        host = bed.host();
        dpu = bed.dpu();
        logs = Project.logDirectory("rexec-detached-" + test.getTestMethod().orElseThrow().getName());
        proxies = new ProxyPair(bed, logs);
        servers = new RexecServers(logs);
        proxies.whitelist(host, UDS_WHITELIST);
        proxies.whitelist(dpu, UDS_WHITELIST);
        RexecServers.whitelist(host, "/bin/sleep", "/bin/sh");
        host.shell("rm -rf " + OUTPUT + " && mkdir -p " + OUTPUT);
        startHostServer();
        proxies.startBoth();
        await("the HOST's rexec socket mirrored on the DPU", () -> dpu.run("test", "-S", RexecServers.SOCKET).succeeded());
    }

    @AfterEach
    void down() throws Exception {
        controllers.forEach(Controller::kill9);
        for (ProgramId program : programs) {
            if (runs(program)) {
                Commands.run("kill", "-KILL", Integer.toString(program.pid()));
            }
        }
        if (servers != null) {
            servers.close();
        }
        if (proxies != null) {
            proxies.close();
        }
        if (host != null) {
            host.shell("rm -rf " + OUTPUT);
        }
        if (bed != null) {
            bed.close();
        }
    }

    private void startHostServer() throws Exception {
        servers.start(host, "--output-dir", OUTPUT, "--state-dir", STATE);
    }

    /** The HOST and the test share their pids: whether {@code program} still runs there (a zombie has ended). */
    private static boolean runs(ProgramId program) {
        return ProcessStat.read(program.pid()).filter(stat -> stat.startTime() == program.startTime() && !stat.ended()).isPresent();
    }

    /** "started PID START" or rexec --detach's "PID START": the program, to be killed after the test whatever happens. */
    private ProgramId program(String answer) {
        String[] words = answer.strip().split(" ");
        ProgramId program = new ProgramId(Integer.parseInt(words[words.length - 2]), Long.parseLong(words[words.length - 1]));
        programs.add(program);
        return program;
    }

    private static String id(ProgramId program) {
        return program.pid() + " " + program.startTime();
    }

    private Controller controller() throws IOException {
        Controller controller = new Controller(logs.resolve("dpu-control-" + (controllers.size() + 1) + ".log"));
        controllers.add(controller);
        return controller;
    }

    /** A {@link DetachedControl} on the DPU: commands in, answers and watch events out. */
    private final class Controller {
        private final Process process;
        private final Writer commands;
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        private final BlockingQueue<String> watchEvents = new LinkedBlockingQueue<>();

        Controller(Path log) throws IOException {
            process = dpu.processBuilder(DetachedControl.command(Path.of(RexecServers.SOCKET))).redirectError(log.toFile()).start();
            commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread.ofVirtual().start(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        (line.matches("watch \\d+ .*") ? watchEvents : answers).add(line);
                    }
                } catch (IOException e) {
                    answers.add("error the controller's output: " + e);
                }
            });
        }

        String ask(String command) throws Exception {
            commands.write(command + "\n");
            commands.flush();
            String answer = answers.poll(60, TimeUnit.SECONDS); // a generous bound on a JVM's start, not a timing assertion
            assertThat(answer).as("the answer to " + command).isNotNull();
            return answer;
        }

        String nextWatchEvent() throws InterruptedException {
            String event = watchEvents.poll(60, TimeUnit.SECONDS);
            assertThat(event).as("a watch event").isNotNull();
            return event;
        }

        void kill9() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aDetachedProgramOnTheHostOutlivesItsClientOnTheDpuAndTheLink() throws Exception {
        Controller first = controller();
        ProgramId program = program(first.ask("spawn /bin/sleep 5151"));
        assertThat(Files.readString(Path.of("/proc", Integer.toString(program.pid()), "cmdline"))).isEqualTo("/bin/sleep\u00005151\u0000");

        first.kill9(); // while it watched the program
        proxies.kill9(dpu); // and the link goes with the DPU's udsproxyd
        proxies.start(dpu);
        Controller second = controller();
        await("the HOST's server through a new DPU udsproxyd", () -> second.ask("status " + id(program)).equals("running"));
        assertThat(runs(program)).isTrue();
        assertThat(second.ask("cputime " + id(program))).matches("cputime \\d+");

        // rexec --detach in a shell on the DPU: "pid start-time", the output in a file on the HOST
        CommandResult detached = dpu.run(Duration.ofSeconds(180), Project.bin("rexec"), "--detach", "--stdout", OUTPUT + "/out",
                "/bin/sh", "-c", "echo hi; exec sleep 5252");
        assertThat(detached.exitStatus()).as(detached.stderr()).isZero();
        ProgramId fromShell = program(detached.stdout());
        await("its output on the HOST", () -> host.run("cat", OUTPUT + "/out").stdout().equals("hi\n"));
        assertThat(second.ask("signal " + id(fromShell) + " 15")).isEqualTo("done");
        await("its end, with the status the server reaped", () -> second.ask("status " + id(fromShell)).equals("ended signal 15"));
        assertThat(second.ask("signal " + id(fromShell) + " 15")).startsWith("gone " + "pid " + fromShell.pid());
        assertThat(runs(program)).isTrue();
    }

    @Test
    void aDetachedProgramOutlivesRestartsOfTheHostsServerAndIsControlledFromTheDpuAgain() throws Exception {
        Controller control = controller();
        ProgramId program = program(control.ask("spawn /bin/sleep 5353"));

        assertThat(servers.stop(host)).isZero(); // SIGTERM, as a service manager stops it
        assertThat(control.nextWatchEvent()).startsWith("watch " + program.pid() + " failed"); // the server went, the program did not
        assertThat(runs(program)).isTrue();
        startHostServer();
        await("the restarted server", () -> control.ask("status " + id(program)).equals("running"));
        assertThat(servers.log(host)).contains("took over detached " + program);

        servers.kill9(host);
        assertThat(runs(program)).isTrue();
        startHostServer();
        await("the server started after a kill -9", () -> control.ask("status " + id(program)).equals("running"));
        assertThat(servers.log(host)).doesNotContain("a previous rexec_server left running");

        assertThat(control.ask("affinity " + id(program) + " " + program.pid() + " 0")).isEqualTo("done");
        assertThat(Files.readAllLines(Path.of("/proc", Integer.toString(program.pid()), "status"))).contains("Cpus_allowed_list:\t0");
        assertThat(control.ask("watch " + id(program))).isEqualTo("watching");
        assertThat(control.ask("signal " + id(program) + " 15")).isEqualTo("done");
        // not the restarted server's child: it learns of the end, not how
        assertThat(control.nextWatchEvent()).isEqualTo("watch " + program.pid() + " ended unknown");
        assertThat(control.ask("status " + id(program))).isEqualTo("ended unknown");
        assertThat(runs(program)).isFalse();
    }

    @Test
    void virtdsFilesOnTheHostAreReachedFromTheDpuWithoutAMount() throws Exception {
        Controller control = controller();
        String guest = STATE + "/qemu/vm1";
        assertThat(control.ask("mkprivate " + guest)).isEqualTo("done");
        assertThat(control.ask("write " + guest + "/vm1_VARS.fd 600 the vars of vm1")).isEqualTo("done");
        assertThat(host.run("stat", "-c", "%a %u", guest).stdout().strip()).isEqualTo("700 0");
        assertThat(host.run("cat", guest + "/vm1_VARS.fd").stdout()).isEqualTo("the vars of vm1");
        assertThat(dpu.run("test", "-e", STATE).succeeded()).as("the DPU's own /run").isFalse();
        assertThat(control.ask("read " + guest + "/vm1_VARS.fd")).isEqualTo("read the vars of vm1");
        assertThat(control.ask("exists /proc/cpuinfo")).isEqualTo("true");
        assertThat(control.ask("write /etc/rxd-test 600 x")).isEqualTo("refused /etc/rxd-test is not beneath a state directory (--state-dir: " + STATE + ")");
        assertThat(control.ask("delete " + guest + "/vm1_VARS.fd")).isEqualTo("true");
        assertThat(control.ask("exists " + guest + "/vm1_VARS.fd")).isEqualTo("false");
    }
}
