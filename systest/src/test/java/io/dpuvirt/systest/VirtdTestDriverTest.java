package io.dpuvirt.systest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/virtd with its test driver, driven by Debian's virsh and by bin/virsh. The oracle is libvirt's own
 * test driver, which Debian's virsh runs in-process for {@code test:///default}: the same commands must
 * print the same.
 */
class VirtdTestDriverTest {
    private static final String K1 = """
            <domain type='kvm'>
              <name>k1</name>
              <uuid>11111111-2222-3333-4444-555555555555</uuid>
              <memory unit='MiB'>256</memory>
              <vcpu>2</vcpu>
              <os><type arch='x86_64'>hvm</type></os>
            </domain>
            """;

    @TempDir
    Path dir;

    private Path logs;
    private final List<VirtdProcess> daemons = new ArrayList<>();
    private VirshRunner debian;
    private VirshRunner java;

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        logs = Project.logDirectory("virtd-" + test.getTestMethod().orElseThrow().getName());
        Path home = Files.createDirectories(dir.resolve("home"));
        debian = VirshRunner.debian(home);
        java = VirshRunner.java(home);
        write("k1.xml", K1);
        write("k2.xml", K1.replace("k1", "k2").replace("11111111", "22222222").replace("256", "512"));
        write("t1.xml", K1.replace("k1", "t1").replace("11111111", "33333333"));
        write("bad-memory.xml", "<domain type='kvm'>\n  <name>bad</name>\n  <memory>abc</memory>\n"
                + "  <os><type>hvm</type></os>\n</domain>\n");
        write("bad-schema.xml", K1.replace("k1", "k9").replace("11111111", "99999999")
                .replace("<vcpu>", "<frobnicate/>\n  <vcpu>"));
        write("unclosed.xml", "<domain type='kvm'><name>x</name>");
    }

    @AfterEach
    void stopDaemons() throws Exception {
        for (VirtdProcess daemon : daemons) {
            daemon.close();
        }
    }

    private VirtdProcess daemon(String name, String... arguments) throws Exception {
        VirtdProcess daemon = VirtdProcess.start(Files.createDirectories(dir.resolve(name)), logs.resolve(name + ".log"),
                arguments);
        daemons.add(daemon);
        return daemon;
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** The outputs compared, with the CPU times masked (they differ from run to run). */
    private static VirshRunner.Result comparable(VirshRunner.Result result) {
        return result.masked();
    }

    @Test
    void bothVirshPrintWhatLibvirtsOwnTestDriverPrints() throws Exception {
        String script = String.join("; ", List.of(
                "list --all", "dominfo test", "domstate test --reason", "dumpxml test", "version", "hostname", "nodeinfo",
                "define " + file("k1.xml"), "list --all", "dominfo k1", "start k1", "list", "domstate k1 --reason",
                "suspend k1", "domstate k1 --reason", "resume k1", "domstate k1 --reason", "reboot k1",
                "domstate k1 --reason", "shutdown k1", "domstate k1 --reason", "autostart k1", "list --all --autostart",
                "dominfo k1", "autostart --disable k1", "start k1", "start k1", "destroy k1", "domstate k1 --reason",
                "destroy k1", "create " + file("t1.xml"), "list --all", "dominfo t1", "destroy t1", "list --all",
                "define " + file("k1.xml"), "start k1", "undefine k1", "dominfo k1", "destroy k1", "dominfo nosuch",
                "list --all --name", "list --all --uuid", "list --all --title", "domid test", "domuuid 1", "domname 1"));
        VirshRunner.Result oracle = comparable(debian.run("-c", "test:///default", script));
        Files.writeString(logs.resolve("oracle.txt"), oracle.stdout() + oracle.stderr());
        assertThat(oracle.stdout()).contains("Domain 'k1' started", "shut off (destroyed)");

        for (VirshRunner virsh : List.of(debian, java)) {
            VirtdProcess virtd = daemon(virsh == debian ? "for-debian" : "for-java");
            VirshRunner.Result result = comparable(virsh.run("-c", virtd.uri(), script));
            Files.writeString(logs.resolve(virsh == debian ? "debian.txt" : "java.txt"), result.stdout() + result.stderr());
            assertThat(result).as(virsh.name() + " against virtd").isEqualTo(oracle);
        }
    }

    @Test
    void debianAndJavaVirshPrintTheSameForEveryCommand() throws Exception {
        VirtdProcess forDebian = daemon("for-debian");
        VirtdProcess forJava = daemon("for-java");
        List<String> steps = List.of(
                "list", "list --all", "list --inactive", "define K1", "define BAD_MEMORY", "define UNCLOSED",
                "define --validate BAD_SCHEMA", "define --validate K2", "define NOSUCH", "dominfo k1", "dominfo nosuch",
                "start k1", "start k1", "start --paused k2", "domstate k2 --reason", "resume k2", "suspend k1",
                "domstate --reason k1", "suspend k1", "resume k1", "reboot k1", "shutdown k1", "domstate k1 --reason",
                "suspend k1", "destroy k1", "start k1", "destroy --graceful k1", "autostart k1", "autostart --disable k1",
                "autostart k2", "list --all --autostart", "list --all --no-autostart", "create T1", "list --transient",
                "dumpxml t1", "dumpxml --inactive k1", "destroy t1", "undefine --nvram --keep-nvram k2", "undefine k1",
                "undefine nosuch", "list --all", "list --all --name", "list --uuid --all", "list --all --title",
                "list --all --state-running", "list --bogus", "nosuchcommand", "dominfo", "version", "version --daemon",
                "hostname", "nodeinfo", "capabilities", "domid test", "domuuid test", "domname 1", "domstate 1",
                "destroy 1", "list --all", "-q list --all", "-q start test");
        for (String step : steps) {
            String[] words = (step.startsWith("-q ") ? step.substring(3) : step)
                    .replace("K1", file("k1.xml")).replace("K2", file("k2.xml")).replace("T1", file("t1.xml"))
                    .replace("BAD_MEMORY", file("bad-memory.xml")).replace("BAD_SCHEMA", file("bad-schema.xml"))
                    .replace("UNCLOSED", file("unclosed.xml")).replace("NOSUCH", file("nosuch.xml")).split(" ");
            List<String> prefix = step.startsWith("-q ") ? List.of("-q") : List.of();
            VirshRunner.Result expected = debian.run(arguments(forDebian, prefix, words)).masked();
            VirshRunner.Result actual = java.run(arguments(forJava, prefix, words)).masked();
            assertThat(actual).as("virsh " + step).isEqualTo(expected);
        }
    }

    private static String[] arguments(VirtdProcess virtd, List<String> prefix, String[] command) {
        List<String> arguments = new ArrayList<>(List.of("-c", virtd.uri()));
        arguments.addAll(prefix);
        arguments.addAll(List.of(command));
        return arguments.toArray(String[]::new);
    }

    @Test
    void invalidXmlIsRefusedWithTheLineAndTheElement() throws Exception {
        VirtdProcess virtd = daemon("virtd");
        for (VirshRunner virsh : List.of(debian, java)) {
            VirshRunner.Result memory = virsh.run("-c", virtd.uri(), "define", file("bad-memory.xml"));
            assertThat(memory.status()).isEqualTo(1);
            assertThat(memory.stderr()).isEqualTo("error: Failed to define domain from " + file("bad-memory.xml") + "\n"
                    + "error: XML error: (domain_definition):3: element 'memory': invalid value 'abc' "
                    + "(expected a non-negative decimal integer)\n");
            VirshRunner.Result unclosed = virsh.run("-c", virtd.uri(), "define", file("unclosed.xml"));
            assertThat(unclosed.stderr()).isEqualTo("error: Failed to define domain from " + file("unclosed.xml") + "\n"
                    + "error: XML error: (domain_definition):1: malformed XML: XML document structures must start and "
                    + "end within the same entity.\n");
            VirshRunner.Result schema = virsh.run("-c", virtd.uri(), "define", "--validate", file("bad-schema.xml"));
            assertThat(schema.status()).isEqualTo(1);
            assertThat(schema.stderr()).startsWith("error: Failed to define domain from " + file("bad-schema.xml") + "\n"
                    + "error: XML document failed to validate against schema: Unable to validate doc against "
                    + "/usr/share/libvirt/schemas/domain.rng\n(domain_definition):5:").contains("\"frobnicate\" not allowed");
        }
    }

    @Test
    void editChangesTheDefinitionThroughTheEditor() throws Exception {
        VirtdProcess virtd = daemon("virtd");
        Map<String, String> editor = Map.of("EDITOR", "sed -i s/262144/131072/");
        for (VirshRunner virsh : List.of(debian, java)) {
            assertThat(virsh.run("-c", virtd.uri(), "define", file("k1.xml")).status()).isZero();
            VirshRunner.Result edit = virsh.run(editor, "-c", virtd.uri(), "edit", "k1");
            assertThat(edit.stdout()).as(virsh.name()).isEqualTo("Domain 'k1' XML configuration edited.\n\n");
            assertThat(virsh.run("-c", virtd.uri(), "dominfo", "k1").stdout()).contains("Max memory:     131072 KiB");
            VirshRunner.Result unchanged = virsh.run(Map.of("EDITOR", "true"), "-c", virtd.uri(), "edit", "k1");
            assertThat(unchanged.stdout()).isEqualTo("Domain 'k1' XML configuration not changed.\n\n");
            assertThat(virsh.run("-c", virtd.uri(), "undefine", "k1").status()).isZero();
        }
    }

    @Test
    void anEditThatCannotBeDefinedIsOfferedAgainAndNeverLost() throws Exception {
        VirtdProcess virtd = daemon("virtd");
        // the first edit breaks the document, the next mends it and makes the change meant
        Path state = dir.resolve("edited-once");
        Path editor = write("editor.sh", "#!/bin/sh\nif [ -e " + state + " ]; then sed -i 's#</domian>#</domain>#; s/262144/131072/' \"$1\";"
                + " else touch " + state + "; sed -i 's#</domain>#</domian>#' \"$1\"; fi\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> env = Map.of("EDITOR", editor.toString(), "TMPDIR", dir.toString());
        String failed = "\rFailed. Try again? [y,n,i,f,?]: ";
        for (VirshRunner virsh : List.of(debian, java)) {
            assertThat(virsh.run("-c", virtd.uri(), "define", file("k1.xml")).status()).isZero();

            // on a terminal: the error, the question, its help, and 'y' opens the editor again on the edited text
            Files.deleteIfExists(state);
            VirshRunner.Result again = virsh.runOnTerminal(env, "sleep 2; printf '?'; sleep 0.5; printf 'y'; sleep 2",
                    "-c", virtd.uri(), "edit", "k1");
            assertThat(again.status()).as(virsh.name() + ": " + again.stdout()).isZero();
            assertThat(again.stdout()).as(virsh.name()).contains("error: XML error: ", failed + "\r\n"
                    + "y - yes, start editor again\r\nn - no, throw away my changes\r\n"
                    + "i - turn off validation and try to redefine again\r\nf - force, try to redefine again\r\n"
                    + "? - print this help\r\n" + failed + "\r\r\nDomain 'k1' XML configuration edited.\r\n");
            assertThat(virsh.run("-c", virtd.uri(), "dominfo", "k1").stdout()).contains("Max memory:     131072 KiB");

            // 'n' throws the changes away, and says so by the status
            Files.deleteIfExists(state);
            VirshRunner.Result dropped = virsh.runOnTerminal(env, "sleep 2; printf 'n'; sleep 1", "-c", virtd.uri(), "edit", "k1");
            assertThat(dropped.status()).as(virsh.name() + ": " + dropped.stdout()).isEqualTo(1);
            assertThat(dropped.stdout()).as(virsh.name()).contains(failed + "\r\r\n");
            assertThat(virsh.run("-c", virtd.uri(), "undefine", "k1").status()).isZero();
        }
        try (var temporaries = Files.list(dir)) {
            assertThat(temporaries.filter(f -> f.getFileName().toString().startsWith("virsh"))).isEmpty();
        }

        // without a terminal nobody can answer: Debian's virsh then reports the edit as done (its domain '(null)') and
        // removes the edited file; this one fails and keeps the file, naming it
        assertThat(java.run("-c", virtd.uri(), "define", file("k1.xml")).status()).isZero();
        Files.deleteIfExists(state);
        VirshRunner.Result unanswered = java.run(env, "-c", virtd.uri(), "edit", "k1");
        assertThat(unanswered.status()).isEqualTo(1);
        assertThat(unanswered.stderr()).startsWith("error: XML error: ").contains("\nerror: Failed. The edited definition is kept in " + dir + "/virsh");
        String kept = unanswered.stderr().substring(unanswered.stderr().lastIndexOf(" kept in ") + 9).strip();
        assertThat(Files.readString(Path.of(kept))).contains("<name>k1</name>", "</domian>");
        assertThat(java.run("-c", virtd.uri(), "dominfo", "k1").stdout()).contains("Max memory:     262144 KiB");
    }

    @Test
    void consoleEchoesOnATerminalAndThroughPipes() throws Exception {
        VirtdProcess virtd = daemon("virtd");
        String typing = "sleep 1.5; printf 'hello\\r'; sleep 1; printf '\\035'";
        for (VirshRunner virsh : List.of(debian, java)) {
            VirshRunner.Result terminal = virsh.runOnTerminal(typing, "-c", virtd.uri(), "console", "test");
            assertThat(terminal.status()).as(virsh.name() + ": " + terminal.stdout()).isZero();
            assertThat(terminal.stdout()).as(virsh.name()).contains("Connected to domain 'test'",
                    "Escape character is ^] (Ctrl + ])", "Test guest 'test': what you type is echoed back.\r\n",
                    "hello\r\n");
        }
        VirshRunner.Result piped = java.runWithInput("hello\r", "-c", virtd.uri(), "console", "test");
        assertThat(piped.status()).isZero();
        assertThat(piped.stdout()).isEqualTo("Connected to domain 'test'\nEscape character is ^] (Ctrl + ])\n"
                + "Test guest 'test': what you type is echoed back.\r\nhello\r\n\n");
    }

    @Test
    void theConsoleEndsWhenTheGuestStops() throws Exception {
        VirtdProcess virtd = daemon("virtd");
        Process console = new ProcessBuilder(Project.bin("virsh"), "-c", virtd.uri(), "console", "test")
                .redirectOutput(logs.resolve("console.txt").toFile()).redirectErrorStream(true).start();
        try {
            Thread.sleep(2000); // attached: stdin stays open, so only the guest's end can end the console
            assertThat(console.isAlive()).isTrue();
            assertThat(debian.run("-c", virtd.uri(), "destroy", "test").status()).isZero();
            assertThat(console.waitFor(10, TimeUnit.SECONDS)).as("console ended with the guest").isTrue();
            assertThat(console.exitValue()).isZero();
        } finally {
            console.destroyForcibly();
        }
        assertThat(debian.run("-c", virtd.uri(), "console", "test").stderr()).contains("The domain is not running");
        assertThat(java.run("-c", virtd.uri(), "console", "test").stderr()).isEqualTo("error: The domain is not running\n");
    }

    @Test
    void definitionsAndRunningDomainsSurviveARestartAndAKill() throws Exception {
        VirtdProcess virtd = daemon("virtd");
        String uri = virtd.uri();
        assertThat(debian.run("-c", uri, "define " + file("k1.xml") + "; define " + file("k2.xml") + "; start k1; "
                + "suspend k1; autostart k2; create " + file("t1.xml")).status()).isZero();
        String before = debian.run("-c", uri, "list", "--all").stdout();
        assertThat(before).contains(" 2    k1     paused", " 3    t1     running", " -    k2     shut off");

        assertThat(virtd.stop()).as("a clean stop exits 0").isZero();
        virtd.launch();
        String afterStop = debian.run("-c", uri, "list", "--all").stdout();
        assertThat(afterStop).contains(" 2    k1     paused", " 3    t1     running", " 4    k2     running");

        virtd.kill9();
        virtd.launch();
        assertThat(java.run("-c", uri, "list", "--all").stdout()).isEqualTo(afterStop);
        assertThat(java.run("-c", uri, "domstate", "--reason", "k1").stdout()).isEqualTo("paused (user)\n\n");
        assertThat(virtd.root().resolve("etc/dpuvirt/test/k1.xml")).exists();
        assertThat(virtd.root().resolve("etc/dpuvirt/test/autostart/k2.xml")).isSymbolicLink();
        assertThat(virtd.root().resolve("run/dpuvirt/test/t1.state")).exists();
    }

    @Test
    void urisSocketsAndSchemesWithoutADriver() throws Exception {
        VirtdProcess virtd = daemon("virtd");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(virtd.socket()))).isEqualTo("rw-------");
        // qemu:///system is served; a scheme without a driver is refused
        String xen = "xen+unix:///system?socket=" + virtd.socket();
        for (VirshRunner virsh : List.of(debian, java)) {
            VirshRunner.Result refused = virsh.run("-c", xen, "list");
            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.stderr()).as(virsh.name()).isEqualTo("error: failed to connect to the hypervisor\n"
                    + "error: no connection driver available for xen:///system\n");
            String qemu = "qemu+unix:///system?socket=" + virtd.socket();
            assertThat(virsh.run("-c", qemu, "uri").stdout()).isEqualTo(qemu + "\n\n");
            assertThat(virsh.run("-c", virtd.uri(), "uri").stdout()).isEqualTo(virtd.uri() + "\n\n");
            assertThat(virsh.run(Map.of("LIBVIRT_DEFAULT_URI", virtd.uri()), "uri").stdout()).isEqualTo(virtd.uri() + "\n\n");
            VirshRunner.Result readOnly = virsh.run("-r", "-c", virtd.uri(), "destroy", "test");
            assertThat(readOnly.stderr()).isEqualTo("error: Failed to destroy domain 'test'\n"
                    + "error: operation forbidden: read only access prevents virDomainDestroy\n");
        }
        VirshRunner.Result noDaemon = java.run("-c", "test+unix:///default?socket=" + dir.resolve("nothing-here"), "list");
        assertThat(noDaemon.stderr()).isEqualTo("error: failed to connect to the hypervisor\n"
                + "error: Failed to connect socket to '" + dir.resolve("nothing-here") + "': No such file or directory\n");

        VirtdProcess shared = daemon("shared", "--socket-mode", "0660");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared.socket()))).isEqualTo("rw-rw----");
    }

    @Test
    void twentyVirshProcessesWorkOnTwentyDomainsAtOnce() throws Exception {
        VirtdProcess virtd = daemon("virtd");
        List<Callable<VirshRunner.Result>> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "vm" + i;
            write(name + ".xml", K1.replace("k1", name).replace("11111111", String.format("%08d", i)));
            VirshRunner virsh = i % 2 == 0 ? debian : java;
            clients.add(() -> virsh.run("-c", virtd.uri(), "define " + file(name + ".xml") + "; start " + name
                    + "; suspend " + name + "; resume " + name + "; domstate " + name + "; destroy " + name
                    + "; undefine " + name));
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(20)) {
            for (Future<VirshRunner.Result> result : threads.invokeAll(clients)) {
                assertThat(result.get().status()).as(result.get().stderr()).isZero();
                assertThat(result.get().stdout()).contains("running\n", "has been undefined");
            }
        }
        assertThat(debian.run("-c", virtd.uri(), "list", "--all", "--name").stdout()).isEqualTo("test\n\n");
    }
}
