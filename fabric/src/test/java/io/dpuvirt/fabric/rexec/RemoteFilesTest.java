package io.dpuvirt.fabric.rexec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * File requests through a rexec_server in this JVM, on a socket in a temporary directory: each request's answer
 * and errors, and the confinement (state directories for changes; state, output and readable directories and host
 * files for reads; no {@code ..}, no symlink out, not even one swapped in after the check).
 */
class RemoteFilesTest {
    @TempDir
    Path dir;
    private Path state;
    private Path logs;
    private Path firmware;
    private Path outside;
    private RexecServer server;
    private RemoteFiles files;

    @BeforeEach
    void start() throws Exception {
        Path socket = dir.resolve("rexec.sock");
        Path whitelist = dir.resolve("whitelist");
        Files.writeString(whitelist, "/bin/true\n");
        Files.setPosixFilePermissions(whitelist, PosixFilePermissions.fromString("rw-------"));
        state = dir.resolve("state");
        logs = Files.createDirectory(dir.resolve("logs"));
        firmware = Files.createDirectory(dir.resolve("firmware"));
        outside = Files.createDirectory(dir.resolve("outside"));
        server = RexecServer.start(new RexecServerConfig(socket, whitelist, false, Duration.ofMillis(300), List.of(logs), List.of(state),
                List.of(firmware)));
        files = new RexecClient(socket).files();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theStateDirectoryIsCreatedWhenTheServerStarts() {
        assertThat(state).isDirectory();
    }

    @Test
    void filesAreWrittenAtOnceReadAndDeleted() throws Exception {
        Path guest = state.resolve("qemu/vm1");
        files.createDirectories(guest, 0750);
        assertThat(mode(state.resolve("qemu"))).isEqualTo("rwxr-x---");
        assertThat(mode(guest)).isEqualTo("rwxr-x---");

        Path nvram = guest.resolve("vm1_VARS.fd");
        files.writeFile(nvram, bytes("first"), 0666); // exactly, whatever the server's umask
        assertThat(Files.readString(nvram)).isEqualTo("first");
        assertThat(mode(nvram)).isEqualTo("rw-rw-rw-");
        files.writeFile(nvram, bytes("second, longer"), 0600);
        assertThat(Files.readString(nvram)).isEqualTo("second, longer");
        assertThat(mode(nvram)).isEqualTo("rw-------");
        try (Stream<Path> left = Files.list(guest)) {
            assertThat(left).containsExactly(nvram); // no temporary file
        }

        assertThat(files.readFile(nvram)).isEqualTo(bytes("second, longer"));
        assertThat(files.exists(nvram)).isTrue();
        assertThat(files.deleteFile(nvram)).isTrue();
        assertThat(files.exists(nvram)).isFalse();
        assertThat(files.deleteFile(nvram)).isFalse();
        assertThat(files.deleteFile(guest)).isTrue(); // an empty directory
        assertThat(guest).doesNotExist();

        files.writeFile(state.resolve("empty"), new byte[0], 0644);
        assertThat(files.readFile(state.resolve("empty"))).isEmpty();
        files.createDirectories(state, 0700); // there already: left as it is
    }

    @Test
    void failedCallsNameThePathAndTheErrno() throws Exception {
        Path missing = state.resolve("missing.log");
        assertThatThrownBy(() -> files.readFile(missing)).isInstanceOf(NoSuchFileException.class)
                .hasMessage(missing + ": ENOENT (No such file or directory)");
        assertThatThrownBy(() -> files.writeFile(state.resolve("no/such/dir/file"), bytes("x"), 0600)).isInstanceOf(NoSuchFileException.class);

        Path full = Files.createDirectories(state.resolve("full"));
        Files.writeString(full.resolve("file"), "x");
        assertThatThrownBy(() -> files.deleteFile(full)).isInstanceOf(FileSystemException.class)
                .hasMessage(full + ": ENOTEMPTY (Directory not empty)");
        assertThatThrownBy(() -> files.writeFile(full, bytes("x"), 0600)).hasMessageContaining(full + ": EISDIR");
        assertThatThrownBy(() -> files.readFile(full)).hasMessageContaining(full + ": EISDIR");
        assertThatThrownBy(() -> files.createDirectories(full.resolve("file/sub"), 0755)).hasMessageContaining("ENOTDIR");
        assertThat(full.resolve("file")).hasContent("x");
    }

    @Test
    void changesAreRefusedOutsideTheStateDirectories() throws Exception {
        Path log = Files.writeString(logs.resolve("vm1.log"), "qemu: could not open disk");
        Path template = Files.writeString(firmware.resolve("OVMF_VARS.fd"), "template");
        assertThat(files.readFile(log)).isEqualTo(bytes("qemu: could not open disk"));
        assertThat(files.readFile(template)).isEqualTo(bytes("template"));

        for (Path elsewhere : List.of(log, template, outside.resolve("x"), Path.of("/etc/rexec-test"))) {
            assertThatThrownBy(() -> files.writeFile(elsewhere, bytes("x"), 0600)).isInstanceOf(RequestRefusedException.class)
                    .hasMessage(elsewhere + " is not beneath a state directory (--state-dir: " + state + ")");
            assertThatThrownBy(() -> files.deleteFile(elsewhere)).isInstanceOf(RequestRefusedException.class);
            assertThatThrownBy(() -> files.createPrivateDirectory(elsewhere)).isInstanceOf(RequestRefusedException.class);
            assertThatThrownBy(() -> files.createDirectories(elsewhere, 0755)).isInstanceOf(RequestRefusedException.class);
        }
        assertThat(log).hasContent("qemu: could not open disk");
        assertThatThrownBy(() -> files.deleteFile(state)).isInstanceOf(RequestRefusedException.class)
                .hasMessage(state + " is a state directory itself, not beneath one");
        assertThatThrownBy(() -> files.readFile(Path.of("/etc/shadow"))).isInstanceOf(RequestRefusedException.class)
                .hasMessageStartingWith("/etc/shadow is not beneath a state, output or readable directory");
        assertThatThrownBy(() -> files.exists(Path.of("/etc/shadow"))).isInstanceOf(RequestRefusedException.class);
    }

    @Test
    void hostFactsAndDevicesAreThereToRead() throws Exception {
        assertThat(new String(files.readFile(Path.of("/proc/cpuinfo")), StandardCharsets.UTF_8)).contains("processor");
        assertThat(new String(files.readFile(Path.of("/proc/sys/kernel/hostname")), StandardCharsets.UTF_8).strip())
                .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        assertThat(files.exists(Path.of("/proc/meminfo"))).isTrue();
        assertThat(files.exists(Path.of("/dev/kvm"))).isEqualTo(Files.exists(Path.of("/dev/kvm")));
        for (String device : List.of("/dev/net/tun", "/dev/vhost-net", "/dev/vfio/vfio")) { // the last two missing on the test machine
            assertThat(files.exists(Path.of(device))).as(device).isEqualTo(Files.exists(Path.of(device)));
        }
        assertThatThrownBy(() -> files.readFile(Path.of("/dev/kvm"))).isInstanceOf(RequestRefusedException.class);
        assertThatThrownBy(() -> files.readFile(Path.of("/proc/self/environ"))).isInstanceOf(RequestRefusedException.class);
    }

    @Test
    void dotDotLeadsNowhere() {
        Path escape = Path.of(state + "/../outside/x");
        assertThatThrownBy(() -> files.writeFile(escape, bytes("x"), 0600)).isInstanceOf(RequestRefusedException.class)
                .hasMessage("path has a '..' component: '" + escape + "'");
        assertThatThrownBy(() -> files.readFile(Path.of(state + "/../../../etc/passwd"))).isInstanceOf(RequestRefusedException.class);
        assertThat(outside.resolve("x")).doesNotExist();
    }

    @Test
    void symlinksOutOfAStateDirectoryAreNotFollowed() throws Exception {
        Path etc = Files.createSymbolicLink(state.resolve("etc"), Path.of("/etc"));
        assertThatThrownBy(() -> files.readFile(etc.resolve("passwd"))).isInstanceOf(RequestRefusedException.class)
                .hasMessageStartingWith(etc.resolve("passwd") + " (/etc/passwd) is not beneath");
        assertThatThrownBy(() -> files.writeFile(etc.resolve("rexec-test"), bytes("x"), 0600))
                .isInstanceOf(RequestRefusedException.class).hasMessage(etc.resolve("rexec-test") + " (/etc/rexec-test) is not beneath a state directory (--state-dir: " + state + ")");
        assertThatThrownBy(() -> files.createPrivateDirectory(etc)).isInstanceOf(RequestRefusedException.class)
                .hasMessageContaining("is or leads through a symlink");
        assertThat(Files.getPosixFilePermissions(Path.of("/etc"))).isNotEqualTo(PosixFilePermissions.fromString("rwx------"));

        Path parent = Files.createSymbolicLink(state.resolve("parent"), outside);
        assertThatThrownBy(() -> files.writeFile(parent.resolve("x"), bytes("x"), 0600)).isInstanceOf(RequestRefusedException.class);
        assertThatThrownBy(() -> files.createDirectories(parent.resolve("a/b"), 0755)).isInstanceOf(RequestRefusedException.class);
        assertThatThrownBy(() -> files.createPrivateDirectory(parent.resolve("a"))).isInstanceOf(RequestRefusedException.class);
        try (Stream<Path> created = Files.list(outside)) {
            assertThat(created).isEmpty();
        }

        assertThat(files.deleteFile(etc)).isTrue(); // the link, not /etc
        assertThat(etc).doesNotExist();
        assertThat(Path.of("/etc/passwd")).exists();

        Path real = Files.writeString(state.resolve("real"), "inside");
        Path alias = Files.createSymbolicLink(state.resolve("alias"), real);
        assertThat(files.readFile(alias)).isEqualTo(bytes("inside")); // a symlink that stays inside is followed by reads
        files.writeFile(alias, bytes("replaced"), 0600); // and replaced itself by a write
        assertThat(Files.isSymbolicLink(alias)).isFalse();
        assertThat(real).hasContent("inside");
    }

    @Test
    void aSymlinkSwappedInAfterTheCheckLeadsNowhere() throws Exception {
        Files.createDirectories(state.resolve("qemu"));
        // as if the check had seen the directory "qemu", and a symlink had replaced it before the request was done
        Files.createSymbolicLink(state.resolve("swapped"), outside);
        FileAreas.Location checked = new FileAreas.Location(state + "/swapped/x", state.toRealPath(), List.of("swapped", "x"));
        assertThatThrownBy(() -> FileOperations.write(checked, 0600, ByteString.of("x"))).isInstanceOf(RequestRefusedException.class)
                .hasMessage(state + "/swapped/x is or leads through a symlink beneath " + state.toRealPath()
                        + ", which file requests do not follow there");
        assertThatThrownBy(() -> FileOperations.createPrivateDirectory(checked, 0)).isInstanceOf(RequestRefusedException.class);
        assertThatThrownBy(() -> FileOperations.read(checked, 100)).isInstanceOf(RequestRefusedException.class);
        assertThat(outside.resolve("x")).doesNotExist();

        // the state directory itself replaced by a symlink
        Path moved = Files.createSymbolicLink(dir.resolve("moved"), outside);
        FileAreas.Location rootMoved = new FileAreas.Location(moved + "/x", moved, List.of("x"));
        assertThatThrownBy(() -> FileOperations.write(rootMoved, 0600, ByteString.of("x"))).isInstanceOf(RequestRefusedException.class)
                .hasMessage(moved + "/x: " + moved + " moved while the request was checked");
        assertThat(outside.resolve("x")).doesNotExist();
    }

    @Test
    void aFileLargerThanTheLimitIsRefused() throws Exception {
        byte[] largest = new byte[Protocol.MAX_FILE];
        Arrays.fill(largest, (byte) 'n');
        Path nvram = state.resolve("large.fd");
        files.writeFile(nvram, largest, 0600);
        assertThat(files.readFile(nvram)).isEqualTo(largest);

        Files.write(nvram, new byte[1], java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> files.readFile(nvram)).isInstanceOf(RequestRefusedException.class)
                .hasMessage(nvram + " is larger than the 16 MiB a file request reads");
        assertThatThrownBy(() -> files.writeFile(nvram, new byte[Protocol.MAX_FILE + 1], 0600)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPrivateDirectoryIsTheServersAndOnlyItsWhetherItWasThereOrNot() throws Exception {
        Path existing = Files.createDirectories(state.resolve("run/vm1"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(existing.resolve("kept"), "x");
        files.createPrivateDirectory(existing);
        assertThat(mode(existing)).isEqualTo("rwx------");
        assertThat(Files.getAttribute(existing, "unix:uid")).isEqualTo(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        assertThat(existing.resolve("kept")).hasContent("x");

        Path created = state.resolve("lib/qemu/domain-2-vm2");
        files.createPrivateDirectory(created);
        assertThat(mode(created)).isEqualTo("rwx------");
        assertThat(mode(created.getParent())).isEqualTo("rwxr-xr-x");

        Path file = Files.writeString(state.resolve("a-file"), "x");
        assertThatThrownBy(() -> files.createPrivateDirectory(file)).hasMessageContaining("ENOTDIR");
    }

    @Test
    void modesAreOnlyPermissionBits() {
        assertThatThrownBy(() -> files.writeFile(state.resolve("x"), bytes("x"), 04755)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mode 04755");
        assertThatThrownBy(() -> files.createDirectories(state.resolve("x"), 01777)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutStateDirectoriesNothingChanges() throws Exception {
        server.close();
        Path socket = dir.resolve("other.sock");
        server = RexecServer.start(new RexecServerConfig(socket, dir.resolve("whitelist"), false, Duration.ofMillis(300)));
        RemoteFiles readOnly = new RexecClient(socket).files();
        assertThatThrownBy(() -> readOnly.writeFile(state.resolve("x"), bytes("x"), 0600)).isInstanceOf(RequestRefusedException.class)
                .hasMessage(state.resolve("x") + " is not beneath a state directory (--state-dir: none)");
        assertThat(readOnly.exists(Path.of("/proc/cpuinfo"))).isTrue();
    }
}
