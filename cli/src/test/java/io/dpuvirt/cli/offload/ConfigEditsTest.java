package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.Whitelist;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What up adds to configuration files (qtfs whitelist entries, rexec whitelist lines, key file settings) and how
 * down takes exactly that away again, leaving what was there before, and what others added since, alone.
 */
class ConfigEditsTest {
    @TempDir
    Path dir;

    private StateStore store;
    private Journal journal;

    @BeforeEach
    void journal() throws Exception {
        store = new StateStore(dir.resolve("run/offload"), "libvirt", Side.HOST);
        journal = openJournal();
    }

    /** As up opens it: the state directory made and locked first. */
    private Journal openJournal() throws Exception {
        try (StateLock lock = StateLock.acquireCreating(store.directory(), System.err)) {
            return Journal.open(store, "libvirt", Side.HOST, lock.createdDirectories());
        }
    }

    /** down, as it reports itself. */
    private String rollback() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Rollback(store, dir.resolve("run/offload"), dir.resolve("log"), dir.resolve("no-udsproxyd.sock"), System.err)
                .run(new Report(new PrintStream(out, true, StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8);
    }

    private Path file(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private WhitelistRequirement udsconnect(Path file, String path) {
        return new WhitelistRequirement(file, Whitelist.Section.UDSCONNECT, Path.of(path), dir.resolve("no-udsproxyd.sock"));
    }

    @Test
    void whitelistEntriesAreAddedToWhatIsThereOnceAndTakenAwayExactly() throws Exception {
        String before = "# the HOST's own\n[Open]\nPath=/home/VMs\n[Udsconnect]\nPath=/var/lib/libvirt\n";
        Path file = file("etc/qtfs/whitelist", before);

        assertThat(udsconnect(file, "/var/lib/dpuvirt").apply(journal).changed()).isTrue();
        assertThat(udsconnect(file, "/var/run/rexec/").apply(journal).changed()).isTrue();
        assertThat(udsconnect(file, "/var/run/rexec").apply(journal)).isEqualTo(
                Outcome.unchanged("ok", "[Udsconnect] of " + file + " covers /var/run/rexec"));
        assertThat(udsconnect(file, "/var/lib/libvirt/qemu").apply(journal).changed()).as("covered by an entry").isFalse();
        assertThat(Files.readString(file)).isEqualTo(
                "# the HOST's own\n[Open]\nPath=/home/VMs\n[Udsconnect]\nPath=/var/lib/libvirt;/var/lib/dpuvirt;/var/run/rexec;\n");
        assertThat(udsconnect(file, "/var/lib/dpuvirt").check().met()).isTrue();
        assertThat(journal.state().changes()).endsWith(
                new Change.AddedWhitelistEntry(file, Whitelist.Section.UDSCONNECT, "/var/lib/dpuvirt"),
                new Change.AddedWhitelistEntry(file, Whitelist.Section.UDSCONNECT, "/var/run/rexec"));

        rollback();
        assertThat(Whitelist.load(file).entries(Whitelist.Section.UDSCONNECT).entries()).containsExactly("/var/lib/libvirt");
        assertThat(Whitelist.load(file).entries(Whitelist.Section.OPEN).entries()).containsExactly("/home/VMs");
        assertThat(Files.readString(file)).startsWith("# the HOST's own\n[Open]\nPath=/home/VMs\n");
        assertThat(udsconnect(file, "/var/lib/dpuvirt").check()).isEqualTo(
                Finding.missing("[Udsconnect] of " + file + " does not cover /var/lib/dpuvirt"));
    }

    @Test
    void aWhitelistUpCreatedGoesWithItsEntriesUnlessOthersAddedToIt() throws Exception {
        Path file = dir.resolve("etc/qtfs/whitelist");
        udsconnect(file, "/var/run/rexec").apply(journal);
        assertThat(Files.readString(file)).isEqualTo("[Udsconnect]\nPath=/var/run/rexec;\n");
        rollback();
        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist(); // up made etc/qtfs too
        assertThat(dir.resolve("run")).doesNotExist(); // and the state file's directories

        journal = openJournal();
        udsconnect(file, "/var/run/rexec").apply(journal);
        Files.writeString(file, "[Mount]\nPath=/home/VMs\n", java.nio.file.StandardOpenOption.APPEND);
        rollback();
        assertThat(Files.readString(file)).isEqualTo("[Mount]\nPath=/home/VMs\n");
    }

    @Test
    void anEntryRemovedByHandSinceIsNoError() throws Exception {
        Path file = file("etc/qtfs/whitelist", "[Udsconnect]\nPath=/var/lib/libvirt\n");
        udsconnect(file, "/var/run/rexec").apply(journal);
        Files.writeString(file, "[Udsconnect]\nPath=/var/lib/libvirt\n");
        assertThat(rollback()).contains("  gone     /var/run/rexec from [Udsconnect] of " + file + " (already)\n");
        assertThat(Files.readString(file)).isEqualTo("[Udsconnect]\nPath=/var/lib/libvirt\n");
    }

    @Test
    void aWhitelistOthersCanWriteIsRefusedWithItsName() throws Exception {
        Path file = file("etc/qtfs/whitelist", "[Udsconnect]\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> udsconnect(file, "/var/run/rexec").apply(journal)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": writable by group or others");
        assertThat(udsconnect(file, "/var/run/rexec").check().text()).startsWith(file + ": writable by group or others");
    }

    @Test
    void theRexecWhitelistListsTheProgramByItsCanonicalPathAndDownTakesItAway() throws Exception {
        assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0), "rexec's whitelist must be root's");
        Path program = Files.createFile(dir.resolve("qemu-system-x86_64"));
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path link = Files.createSymbolicLink(dir.resolve("qemu-kvm"), program);
        Path file = dir.resolve("etc/rexec/whitelist");
        ProgramRequirement requirement = new ProgramRequirement(file, link);
        assertThat(requirement.check()).isEqualTo(Finding.missing(file + " does not exist (it must list " + program + ")"));

        assertThat(requirement.apply(journal)).isEqualTo(Outcome.changed("added", program + " to " + file));
        assertThat(Files.readString(file)).isEqualTo(program + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--------");
        assertThat(requirement.apply(journal).changed()).isFalse();
        assertThat(new ProgramRequirement(file, program).check().met()).isTrue();

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, "/bin/true\n" + program + "\n# mine\n");
        rollback();
        assertThat(Files.readString(file)).isEqualTo("/bin/true\n# mine\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        assertThat(new ProgramRequirement(file, dir.resolve("missing")).check())
                .isEqualTo(Finding.missing("the emulator " + dir.resolve("missing")
                        + " does not exist (install it, or name the emulator with --emulator PATH)"));
    }

    @Test
    void aSettingIsWrittenAloneAndPutBackAsItWas() throws Exception {
        Path file = file("etc/dpuvirt/virtd.conf", "# mine\n[host]\nguests=local\n");
        SettingRequirement guests = new SettingRequirement(file, "host", "guests", "remote");
        SettingRequirement socket = new SettingRequirement(file, "host", "rexec_socket", "/var/run/rexec/rexec_uds.sock");
        assertThat(guests.check()).isEqualTo(Finding.missing(file + " does not set [host] guests=remote (it says guests=local)"));
        assertThat(guests.apply(journal)).isEqualTo(Outcome.changed("set", "[host] guests=remote in " + file + " (it was local)"));
        socket.apply(journal);
        assertThat(Files.readString(file)).isEqualTo("# mine\n[host]\nguests=remote\nrexec_socket=/var/run/rexec/rexec_uds.sock\n");
        assertThat(guests.apply(journal).changed()).isFalse();

        rollback();
        assertThat(Files.readString(file)).isEqualTo("# mine\n[host]\nguests=local\n");
    }

    @Test
    void aSettingChangedSinceUpIsLeftAlone() throws Exception {
        Path file = dir.resolve("etc/dpuvirt/virtd.conf");
        new SettingRequirement(file, "host", "guests", "remote").apply(journal);
        Files.writeString(file, "[host]\nguests=local\n");
        assertThat(rollback()).contains("  kept     [host] guests in " + file + ": changed since up set it (it says local)\n");
        assertThat(Files.readString(file)).isEqualTo("[host]\nguests=local\n");
    }

    @Test
    void directoriesGoOnlyWhenNothingButDirectoriesIsLeftInThem() throws Exception {
        Path guests = dir.resolve("var/lib/dpuvirt");
        Path logs = dir.resolve("var/log/dpuvirt");
        new DirectoryRequirement(guests, "guests").apply(journal);
        new DirectoryRequirement(logs, "logs").apply(journal);
        assertThat(new DirectoryRequirement(guests, "guests").apply(journal).changed()).isFalse();
        Files.createDirectories(guests.resolve("qemu/domain-1-vm"));
        Files.writeString(Files.createDirectories(logs.resolve("qemu")).resolve("vm.log"), "a guest's log\n");

        assertThat(rollback()).contains("  removed  directory " + guests + "\n",
                "  kept     directory " + logs + ": it holds " + logs.resolve("qemu/vm.log") + "\n");
        assertThat(guests).doesNotExist();
        assertThat(logs.resolve("qemu/vm.log")).hasContent("a guest's log");
        assertThat(dir.resolve("var/lib")).doesNotExist();
        assertThat(dir.resolve("var/log")).exists();
    }
}
