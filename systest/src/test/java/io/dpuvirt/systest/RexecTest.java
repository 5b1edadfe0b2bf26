package io.dpuvirt.systest;

import io.dpuvirt.common.exec.CommandResult;
import io.dpuvirt.common.exec.Commands;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.dpuvirt.systest.ProxyPair.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * rexec on the DPU runs programs on the HOST through rexec_server and the udsproxyd pair, the real tools with an
 * unmodified shell as the caller: everything "as if it ran locally" means, the whitelist, and what happens when the
 * client, the link or the server goes away.
 */
class RexecTest {
    private static final String UDS_WHITELIST = "[Udsconnect]\nPath=/var/run/rexec\n";
    /** What the HOST's rexec_server may start (/bin and /usr/bin are one directory on Debian: canonical paths). */
    private static final String[] PROGRAMS = {"/bin/sh", "/bin/cat", "/usr/bin/printf", "/usr/bin/env", "/bin/sleep", "/bin/true",
            "/usr/bin/stty", "/usr/bin/tty"};

    private TestBed bed;
    private ProxyPair proxies;
    private RexecServers servers;
    private Side host;
    private Side dpu;
    private final List<Process> clients = new ArrayList<>();

    @BeforeEach
    void up(TestInfo test) throws Exception {
        bed = TestBed.up(TestBedConfig.named("rx"));
        host = bed.host();
        dpu = bed.dpu();
        Path logs = Project.logDirectory("rexec-" + test.getTestMethod().orElseThrow().getName());
        proxies = new ProxyPair(bed, logs);
        servers = new RexecServers(logs);
        proxies.whitelist(host, UDS_WHITELIST);
        proxies.whitelist(dpu, UDS_WHITELIST);
        RexecServers.whitelist(host, PROGRAMS);
        servers.start(host);
        proxies.startBoth();
        await("the HOST's rexec socket mirrored on the DPU", () -> dpu.run("test", "-S", RexecServers.SOCKET).succeeded());
    }

    @AfterEach
    void down() throws Exception {
        clients.forEach(Process::destroyForcibly);
        if (servers != null) {
            servers.close();
        }
        if (proxies != null) {
            proxies.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    /** A shell script on {@code side} with bin/ first in its PATH: {@code rexec} is the tool under test. */
    private static CommandResult sh(Side side, String script) throws IOException {
        return side.run(Duration.ofSeconds(180), "sh", "-c", "export PATH=" + Project.HOME.resolve("bin") + ":$PATH\n" + script);
    }

    /** rexec started directly (not by a shell, which would make a background job ignore SIGINT and SIGQUIT). */
    private Process client(Side side, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Project.bin("rexec")));
        command.addAll(List.of(arguments));
        Process client = side.processBuilder(command).start();
        clients.add(client);
        return client;
    }

    private static BufferedReader stdout(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void kill(String signal, long pid) throws IOException {
        Commands.check("kill", "-" + signal, Long.toString(pid));
    }

    /** A process whose command line starts with {@code commandLine} runs (the client's own contains it further on). */
    private static boolean running(String commandLine) throws IOException {
        return Commands.run("pgrep", "-f", "^" + commandLine).succeeded();
    }

    @Test
    void aShellOnTheDpuRunsProgramsOnTheHostAsIfLocally() throws Exception {
        assertThat(sh(dpu, "echo hi | rexec /bin/cat").stdout()).isEqualTo("hi\n");
        // /run is private to each side: the marker says where the program ran
        assertThat(sh(dpu, "rexec cat /run/dpuvirt-side").stdout()).isEqualTo("host\n");

        // arguments byte for byte: spaces, quotes, empty, not UTF-8 (compared as hex with a local printf)
        String arguments = "'[%s]' 'two words' '' 'q\"uo'\\''te' \"$(printf 'x\\377\\303(y')\" '$HOME *'";
        CommandResult remote = sh(dpu, "rexec /usr/bin/printf " + arguments + " | od -An -tx1");
        assertThat(remote.stdout()).isEqualTo(sh(dpu, "printf " + arguments + " | od -An -tx1").stdout()).contains("ff c3 28");

        CommandResult binary = sh(dpu, "head -c 3000000 /dev/urandom > /tmp/rx-binary && rexec /bin/cat < /tmp/rx-binary | cmp - /tmp/rx-binary"
                + " && rexec sh -c 'cat >&2' < /tmp/rx-binary 2>&1 >/dev/null | cmp - /tmp/rx-binary && echo same; rm -f /tmp/rx-binary");
        assertThat(binary.stdout()).as(binary.stderr()).isEqualTo("same\n");

        assertThat(sh(dpu, "rexec sh -c 'exit 7'; echo $?").stdout()).isEqualTo("7\n");
        assertThat(sh(dpu, "rexec sh -c 'kill -KILL $$'; echo $?").stdout()).isEqualTo("137\n");
        CommandResult notAllowed = sh(dpu, "rexec /usr/bin/id; echo $?");
        assertThat(notAllowed.stdout()).isEqualTo("126\n");
        assertThat(notAllowed.stderr()).isEqualTo("rexec: /usr/bin/id: not allowed, not in the whitelist /etc/rexec/whitelist\n");
        CommandResult notFound = sh(dpu, "rexec no-such-program; echo $?");
        assertThat(notFound.stdout()).isEqualTo("127\n");
        assertThat(notFound.stderr()).startsWith("rexec: no-such-program: not found on the server (PATH /usr/local/sbin:");

        assertThat(sh(dpu, "cd /tmp && FOO='b a r' rexec sh -c 'pwd; echo \"$FOO\"'").stdout()).isEqualTo("/tmp\nb a r\n");
        assertThat(sh(dpu, "mkdir -p /run/only-on-the-dpu && cd /run/only-on-the-dpu && rexec sh -c pwd").stdout()).isEqualTo("/\n");
        assertThat(sh(dpu, "rexec -i env").stdout()).isEqualTo("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
        assertThat(sh(dpu, "FOO=1 BAR=2 LD_PRELOAD=/tmp/x.so rexec -e FOO -e X='y z' -e LD_PRELOAD env").stdout())
                .isEqualTo("FOO=1\nX=y z\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
        CommandResult noDirectory = sh(dpu, "rexec -C /no/such/dir /bin/true; echo $?");
        assertThat(noDirectory.stdout()).isEqualTo("126\n");
        assertThat(noDirectory.stderr()).isEqualTo("rexec: /bin/true: the working directory /no/such/dir does not exist on the server\n");
        assertThat(sh(dpu, "rexec -n /bin/cat; echo $?").stdout()).isEqualTo("0\n");
        // the HOST's server serves the HOST too
        assertThat(sh(host, "rexec cat /run/dpuvirt-side").stdout()).isEqualTo("host\n");
    }

    @Test
    void signalsSentToTheClientReachTheProgram() throws Exception {
        for (String signal : List.of("TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "WINCH", "CONT")) {
            Process client = client(dpu, "sh", "-c", "trap 'echo got " + signal + "; exit 3' " + signal + "; echo ready; while :; do sleep 0.05; done");
            BufferedReader out = stdout(client);
            assertThat(out.readLine()).isEqualTo("ready");
            kill(signal, client.pid());
            assertThat(out.readLine()).isEqualTo("got " + signal);
            assertThat(client.waitFor()).isEqualTo(3);
        }
        // SIGTSTP stops the program and the client (job control sees the job stop); SIGCONT resumes both. Both may
        // be pending in the shell at once, which then runs their traps in signal-number order: CONT first.
        Process client = client(dpu, "sh", "-c", "trap 'echo got TSTP; t=1' TSTP; trap 'echo got CONT; c=1' CONT; echo ready;"
                + " while [ -z \"$t\" ] || [ -z \"$c\" ]; do sleep 0.05; done; exit 4");
        BufferedReader out = stdout(client);
        assertThat(out.readLine()).isEqualTo("ready");
        kill("TSTP", client.pid());
        await("the client to stop", () -> Commands.run("ps", "-o", "stat=", "-p", Long.toString(client.pid())).stdout().startsWith("T"));
        kill("CONT", client.pid()); // the stopped client relays nothing: the program's output comes once it runs again
        assertThat(List.of(out.readLine(), out.readLine())).containsExactlyInAnyOrder("got TSTP", "got CONT");
        assertThat(client.waitFor()).isEqualTo(4);
        // a program killed by the forwarded signal: 128 + its number, as a shell reports it
        Process sleeper = client(dpu, "sleep", "1000");
        await("the remote sleep", () -> running("sleep 1000$"));
        kill("TERM", sleeper.pid());
        assertThat(sleeper.waitFor()).isEqualTo(143);
    }

    @Test
    void withDashTTheProgramGetsATerminalOfTheClientsSize() throws Exception {
        String pty = Project.HOME.resolve("systest/src/test/resources/ptyrun.py").toString();
        CommandResult resized = sh(dpu, "python3 " + pty + " rexec -t sh -c 'tty; stty size; trap \"stty size; exit 0\" WINCH;"
                + " echo ready; while :; do sleep 0.05; done'");
        assertThat(resized.exitStatus()).as(resized.stdout() + resized.stderr()).isZero();
        List<String> lines = resized.stdout().lines().map(String::strip).toList();
        assertThat(lines.get(0)).startsWith("/dev/pts/");
        assertThat(lines.subList(1, lines.size())).containsExactly("40 120", "ready", "50 132");

        // the local terminal is raw: ^C is a byte, and the remote terminal turns it into SIGINT for its program
        CommandResult interrupted = sh(dpu, "python3 " + pty + " --interrupt rexec -t sh -c 'trap \"echo got INT; exit 5\" INT;"
                + " echo ready; while :; do sleep 0.05; done'");
        assertThat(interrupted.stdout()).contains("got INT");
        assertThat(interrupted.exitStatus()).isEqualTo(5);
        // and it is restored when rexec exits
        CommandResult restored = sh(dpu, "python3 " + pty + " sh -c 'rexec -t true; stty -a'");
        assertThat(restored.stdout()).contains(" icanon ", " echo ").doesNotContain("-icanon");

        // without a terminal, -t gives the program pipes
        assertThat(sh(dpu, "rexec -t /usr/bin/tty < /dev/null; echo $?").stdout()).isEqualTo("not a tty\n1\n");
    }

    @Test
    void thePidFileHoldsTheRemotePidWhileTheProgramRuns() throws Exception {
        Process client = client(dpu, "sleep", "1001");
        String pidFile = "/var/run/rexec/pids/" + client.pid();
        await("the pid file", () -> dpu.run("test", "-s", pidFile).succeeded());
        String remotePid = dpu.run("cat", pidFile).stdout();
        assertThat(Commands.run("cat", "/proc/" + remotePid + "/cmdline").stdout()).isEqualTo("sleep\u00001001\u0000");
        kill("TERM", client.pid());
        assertThat(client.waitFor()).isEqualTo(143);
        assertThat(dpu.run("test", "-e", pidFile).succeeded()).isFalse();
    }

    @Test
    void aKilledClientOrACutLinkLeavesNoProgramBehind() throws Exception {
        // the program ignores SIGTERM (SIGKILL follows after the grace period) and has a child in its process group
        Process killed = client(dpu, "sh", "-c", "trap '' TERM; sleep 4242.1 & exec sleep 4242.2");
        await("the remote programs", () -> running("sleep 4242.1") && running("sleep 4242.2"));
        killed.destroyForcibly();
        await("no orphan after kill -9 of the client", () -> !running("sleep 4242"));

        Process cut = client(dpu, "sh", "-c", "sleep 4343.1 & exec sleep 4343.2");
        await("the remote programs", () -> running("sleep 4343.2"));
        // the client knows its program runs once it has the pid: a cut before that is a cut before the answer
        await("the remote pid at the client", () -> dpu.run("test", "-s", "/var/run/rexec/pids/" + cut.pid()).succeeded());
        proxies.kill9(dpu);
        assertThat(cut.waitFor()).isEqualTo(255);
        assertThat(new String(cut.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("rexec: lost the connection to rexec_server before sh (pid ");
        await("no orphan after the DPU's udsproxyd died", () -> !running("sleep 4343"));
        assertThat(servers.log(host)).contains("and its process group: its client went away");

        // a silent cut (no FIN, no reset): udsproxyd's keepalive notices within seconds, and so does the server
        proxies.start(dpu); // its predecessor's mirror file is still there until it has started: try, not test -S
        await("rexec through a new DPU udsproxyd", () -> sh(dpu, "rexec /bin/true").succeeded());
        Process silent = client(dpu, "sleep", "4747");
        await("the remote sleep", () -> running("sleep 4747"));
        bed.cutLink(Side.Role.DPU);
        await("no orphan after the link went silent", () -> !running("sleep 4747"));
        assertThat(silent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(silent.exitValue()).isEqualTo(255);
    }

    @Test
    void aServerThatStopsEndsItsProgramsAndOneKilledIsCleanedUpByTheNext() throws Exception {
        Process client = client(dpu, "sleep", "4444");
        await("the remote sleep", () -> running("sleep 4444"));
        assertThat(servers.stop(host)).isZero();
        assertThat(client.waitFor()).isEqualTo(143); // its program was terminated, and the client says so
        assertThat(running("sleep 4444")).isFalse();
        assertThat(host.run("test", "-e", RexecServers.SOCKET).succeeded()).isFalse();

        servers.start(host);
        await("the mirror again", () -> dpu.run("test", "-S", RexecServers.SOCKET).succeeded());
        Process orphaned = client(dpu, "sleep", "4545");
        // not just the process: the server must have recorded it, which it does before it tells the client the
        // pid (a kill -9 between the spawn and the record, microseconds, would leave the program unknown to the next)
        await("the remote pid at the client", () -> dpu.run("test", "-s", "/var/run/rexec/pids/" + orphaned.pid()).succeeded());
        servers.kill9(host);
        // a server killed -9 can do nothing: its client loses the connection, the program runs on
        assertThat(orphaned.waitFor()).isEqualTo(255);
        assertThat(running("sleep 4545")).isTrue();
        servers.start(host);
        assertThat(running("sleep 4545")).isFalse();
        assertThat(servers.log(host)).contains("terminating 1 program(s) a previous rexec_server left running: [");
    }

    @Test
    void aHundredConcurrentSessionsKeepTheirOwnStreams() throws Exception {
        CommandResult result = sh(dpu, """
                mkdir -p /tmp/rx-concurrent && cd /tmp/rx-concurrent && rm -f ./*
                for i in $(seq 100); do
                    (printf 'in %s\\n' "$i" | rexec sh -c 'cat; echo "out $1"; echo "err $1" >&2' x "$i" > "out-$i" 2> "err-$i"; echo "$?" > "status-$i") &
                done
                wait
                bad=0
                for i in $(seq 100); do
                    [ "$(cat "out-$i")" = "$(printf 'in %s\\nout %s' "$i" "$i")" ] && [ "$(cat "err-$i")" = "err $i" ] && [ "$(cat "status-$i")" = 0 ] && continue
                    bad=$((bad + 1))
                    # the first few, to say how they went wrong
                    [ "$bad" -le 3 ] && printf 'session %s: status %s, stdout [%s], stderr [%s]\\n' "$i" "$(cat "status-$i")" "$(cat "out-$i")" "$(cat "err-$i")" >&2
                done
                echo "bad $bad"
                cd / && rm -rf /tmp/rx-concurrent
                """);
        assertThat(result.stdout()).as(result.stderr()).isEqualTo("bad 0\n");
    }

    @Test
    void theWhitelistCannotBeBypassed() throws Exception {
        // PATH tricks: the server looks bare names up in its own fixed PATH
        sh(dpu, "mkdir -p /tmp/rx-evil && printf '#!/bin/sh\\necho evil\\n' > /tmp/rx-evil/cat && chmod +x /tmp/rx-evil/cat");
        assertThat(sh(dpu, "PATH=/tmp/rx-evil:$PATH rexec cat /run/dpuvirt-side").stdout()).isEqualTo("host\n");
        CommandResult absolute = sh(dpu, "rexec /tmp/rx-evil/cat; echo $?");
        assertThat(absolute.stdout()).isEqualTo("126\n");
        // a symlink to an unlisted program, and .. out of a listed directory
        host.shell("ln -sf /usr/bin/id /tmp/rx-link-to-id");
        CommandResult link = sh(dpu, "rexec /tmp/rx-link-to-id; echo $?");
        assertThat(link.stdout()).isEqualTo("126\n");
        assertThat(link.stderr()).isEqualTo("rexec: /tmp/rx-link-to-id: not allowed, it is /usr/bin/id, which is not in the whitelist /etc/rexec/whitelist\n");
        assertThat(sh(dpu, "rexec /usr/bin/../bin/id; echo $?").stdout()).isEqualTo("126\n");
        assertThat(sh(dpu, "rexec /bin/sh/../../usr/bin/id; echo $?").stdout()).isEqualTo("127\n");
        assertThat(sh(dpu, "cd /bin && rexec ./cat /run/dpuvirt-side; echo $?").stdout()).isEqualTo("126\n");
        // variables that would make a listed program load other code are not passed
        assertThat(sh(dpu, "LD_PRELOAD=/tmp/rx-evil/x.so BASH_ENV=/tmp/rx-evil/rc rexec env").stdout()).doesNotContain("LD_PRELOAD", "BASH_ENV");

        // a whitelist others could change is no whitelist: refused at once, and a server will not start with it
        host.shell("chmod 664 " + RexecServers.WHITELIST);
        CommandResult unsafe = sh(dpu, "rexec /bin/true; echo $?");
        assertThat(unsafe.stdout()).isEqualTo("126\n");
        assertThat(unsafe.stderr()).contains("the whitelist is unusable: /etc/rexec/whitelist: the whitelist /etc/rexec/whitelist is writable by group or others (mode 0664)");
        Process second = servers.launch(host, "--socket", "/run/rx-second.sock");
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(3);
        assertThat(servers.log(host)).contains("rexec_server: /etc/rexec/whitelist: the whitelist /etc/rexec/whitelist is writable by group or others");
        // without a whitelist nothing runs
        host.shell("rm " + RexecServers.WHITELIST);
        CommandResult missing = sh(dpu, "rexec /bin/true; echo $?");
        assertThat(missing.stdout()).isEqualTo("126\n");
        assertThat(missing.stderr()).isEqualTo("rexec: /bin/true: refused, the whitelist /etc/rexec/whitelist does not exist (no program may run)\n");
        sh(dpu, "rm -rf /tmp/rx-evil");
        host.shell("rm -f /tmp/rx-link-to-id");
    }

    @Test
    void theSocketIsPrivateAndOnlyTheServersUidIsServed() throws Exception {
        assertThat(host.run("stat", "-c", "%a %U", RexecServers.SOCKET).stdout()).isEqualTo("600 root\n");
        String asNobody = "setpriv --reuid=65534 --regid=65534 --clear-groups " + Project.bin("rexec") + " /bin/true; echo $?";
        CommandResult denied = sh(host, asNobody);
        assertThat(denied.stdout()).isEqualTo("255\n");
        assertThat(denied.stderr()).contains("cannot reach rexec_server at /var/run/rexec/rexec_uds.sock", "Permission denied");
        // with the socket and its directory opened up by hand, the server's own check of the peer's uid still refuses
        host.shell("chmod 755 /var/run/rexec && chmod 666 " + RexecServers.SOCKET);
        CommandResult refused = sh(host, asNobody);
        assertThat(refused.stdout()).isEqualTo("255\n");
        assertThat(refused.stderr()).isEqualTo("rexec: rexec_server at /var/run/rexec/rexec_uds.sock serves uid 0 only, not uid 65534\n");
        assertThat(servers.log(host)).contains("refused peer pid ", "serves uid 0 only, not uid 65534");
    }

    @Test
    void passedDescriptorsCrossAsRegularFilesUnderTheHostsOpenWhitelist() throws Exception {
        // /tmp is shared by the two sides of the test bed: udsproxyd re-opens a passed file by path on the HOST
        proxies.whitelist(host, UDS_WHITELIST + "[Open]\nPath=/tmp/rx-fd\n");
        sh(dpu, "mkdir -p /tmp/rx-fd && echo 'passed as fd 5' > /tmp/rx-fd/data");
        await("the HOST's udsproxyd to read its new whitelist", () -> sh(dpu, "rexec --fd 5 /bin/sh -c 'cat <&5' 5< /tmp/rx-fd/data")
                .stdout().equals("passed as fd 5\n"));
        sh(dpu, "rm -rf /tmp/rx-fd");
    }

    @Test
    void bothSidesRunAServerAndTheDpuReachesTheHostsThroughAMapping() throws Exception {
        // the DPU's udsproxyd mirrors the HOST's socket at the same path; a server starting there takes the path over
        RexecServers.whitelist(dpu, PROGRAMS);
        servers.start(dpu);
        await("the DPU's own server", () -> sh(dpu, "rexec cat /run/dpuvirt-side").stdout().equals("dpu\n"));
        proxies.stop(dpu);
        proxies.start(dpu, "--map", "/var/run/rexec/host/rexec_uds.sock=" + RexecServers.SOCKET);
        await("the mapping", () -> dpu.run("test", "-S", "/var/run/rexec/host/rexec_uds.sock").succeeded());
        assertThat(sh(dpu, "REXEC_SOCKET=/var/run/rexec/host/rexec_uds.sock rexec cat /run/dpuvirt-side").stdout()).isEqualTo("host\n");
        assertThat(sh(dpu, "rexec --socket /var/run/rexec/host/rexec_uds.sock cat /run/dpuvirt-side").stdout()).isEqualTo("host\n");
        assertThat(sh(dpu, "rexec cat /run/dpuvirt-side").stdout()).isEqualTo("dpu\n");
    }
}
