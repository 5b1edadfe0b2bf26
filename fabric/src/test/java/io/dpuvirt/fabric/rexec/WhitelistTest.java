package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.linux.Libc;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whitelist file's own safety (owner, modes of it and its directories) and the program checks: canonical paths
 * only, no PATH tricks, no symlink or {@code ..} escapes. Runs as root, as the tests do.
 */
class WhitelistTest {
    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void whitelist() throws Exception {
        file = write("/bin/cat\n# comment\n\n  /usr/bin/printf  \n/usr/bin/not-installed-here\n");
    }

    private Path write(String content) throws Exception {
        Path path = dir.resolve("whitelist");
        Files.writeString(path, content);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        return path;
    }

    private static ByteString name(String text) {
        return ByteString.of(text);
    }

    private static String canonical(String path) throws Exception {
        return new String(Libc.realpath(path.getBytes()));
    }

    private ProgramPolicy policy() throws Exception {
        return ProgramPolicy.checking(WhitelistFile.load(file));
    }

    @Test
    void listedProgramsResolveToTheirCanonicalPath() throws Exception {
        assertThat(new String(policy().resolve(name("/bin/cat")))).isEqualTo(canonical("/bin/cat"));
        assertThat(new String(policy().resolve(name("/usr/bin/printf")))).isEqualTo(canonical("/usr/bin/printf"));
        // a bare name through the server's own PATH
        assertThat(new String(policy().resolve(name("cat")))).isEqualTo(canonical("/bin/cat"));
    }

    @Test
    void unlistedProgramsAreRefusedWith126AndMissingOnesWith127() throws Exception {
        assertThatThrownBy(() -> policy().resolve(name("/usr/bin/id")))
                .isInstanceOfSatisfying(SpawnFailedException.class, e -> assertThat(e.exitStatus()).isEqualTo(126))
                .hasMessage("/usr/bin/id: not allowed, not in the whitelist " + file);
        assertThatThrownBy(() -> policy().resolve(name("no-such-program")))
                .isInstanceOfSatisfying(SpawnFailedException.class, e -> assertThat(e.exitStatus()).isEqualTo(127))
                .hasMessageStartingWith("no-such-program: not found on the server (PATH /usr/local/sbin:");
        assertThatThrownBy(() -> policy().resolve(name("/usr/bin/not-installed-here")))
                .isInstanceOfSatisfying(SpawnFailedException.class, e -> assertThat(e.exitStatus()).isEqualTo(127));
    }

    @Test
    void symlinksDotDotAndRelativePathsCannotEscape() throws Exception {
        Path evil = Files.createDirectories(dir.resolve("evil"));
        Files.createSymbolicLink(evil.resolve("cat"), Path.of("/usr/bin/id"));
        Files.createSymbolicLink(evil.resolve("good"), Path.of("/bin/cat"));
        ProgramPolicy policy = policy();
        assertThatThrownBy(() -> policy.resolve(name(evil.resolve("cat").toString())))
                .hasMessage(evil.resolve("cat") + ": not allowed, it is " + canonical("/usr/bin/id") + ", which is not in the whitelist " + file);
        assertThatThrownBy(() -> policy.resolve(name("/usr/bin/../bin/id"))).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> policy.resolve(name("/bin/cat/../../usr/bin/id")))
                .isInstanceOfSatisfying(SpawnFailedException.class, e -> assertThat(e.exitStatus()).isEqualTo(127));
        assertThatThrownBy(() -> policy.resolve(name("./cat"))).hasMessage("./cat: a program is an absolute path or a bare name, not a relative path");
        assertThatThrownBy(() -> policy.resolve(name("bin/cat"))).hasMessageContaining("not a relative path");
        // a link to a listed program runs that program (what is checked and executed is the canonical path)
        assertThat(new String(policy.resolve(name(evil.resolve("good").toString())))).isEqualTo(canonical("/bin/cat"));
    }

    @Test
    void theClientsPathPlaysNoPart() throws Exception {
        // a "cat" of the client's choosing, first in any PATH the client could send: the server never looks there
        Path evil = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(evil.resolve("cat"), "#!/bin/sh\necho owned\n");
        assertThat(new String(policy().resolve(name("cat")))).isEqualTo(canonical("/bin/cat"));
        assertThat(EnvironmentPolicy.apply(List.of(ByteString.of("PATH=" + evil))).environment())
                .extracting(String::new).containsExactly("PATH=" + ProgramPolicy.SAFE_PATH);
    }

    @Test
    void variablesThatLoadCodeAreDropped() {
        EnvironmentPolicy.Filtered filtered = EnvironmentPolicy.apply(List.of(ByteString.of("LD_PRELOAD=/tmp/evil.so"),
                ByteString.of("LD_LIBRARY_PATH=/tmp"), ByteString.of("BASH_ENV=/tmp/rc"), ByteString.of("BASH_FUNC_ls%%=() { id; }"),
                ByteString.of("GCONV_PATH=/tmp"), ByteString.of("JAVA_TOOL_OPTIONS=-javaagent:/tmp/a.jar"), ByteString.of("LANG=C.UTF-8"),
                ByteString.of("no-equals-sign")));
        assertThat(filtered.environment()).extracting(String::new).containsExactly("LANG=C.UTF-8", "PATH=" + ProgramPolicy.SAFE_PATH);
        assertThat(filtered.dropped()).containsExactly("LD_PRELOAD", "LD_LIBRARY_PATH", "BASH_ENV", "BASH_FUNC_ls%%", "GCONV_PATH", "JAVA_TOOL_OPTIONS");
    }

    @Test
    void aWhitelistOthersCanWriteOrNotOwnedByRootIsRefused() throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThatThrownBy(() -> WhitelistFile.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("the whitelist " + file.toRealPath() + " is writable by group or others (mode 0664): chmod go-w");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        Libc.lchown(file.toString(), 65534, 65534);
        assertThatThrownBy(() -> WhitelistFile.load(file)).hasMessageContaining("is owned by uid 65534, not root");

        Libc.lchown(file.toString(), 0, 0);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // no sticky bit
        assertThatThrownBy(() -> WhitelistFile.load(file)).hasMessageContaining("directory " + dir.toRealPath() + " above the whitelist is writable");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        assertThat(WhitelistFile.load(file).current().paths()).hasSize(3);
    }

    @Test
    void aSymlinkOnTheWayThatSomeoneElseControlsIsRefused() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        // a directory of another user's holding a symlink to a root-owned file: the user could point it anywhere
        Path users = Files.createDirectory(dir.resolve("users"));
        Files.createSymbolicLink(users.resolve("whitelist"), file);
        Libc.lchown(users.toString(), 65534, 65534);
        assertThatThrownBy(() -> WhitelistFile.load(users.resolve("whitelist")))
                .hasMessageContaining("directory " + users.toRealPath() + " above the whitelist is owned by uid 65534, not root");
        // another user's symlink in a sticky directory: only its owner can replace it, so only root's is safe
        Libc.lchown(users.toString(), 0, 0);
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(users, "unix:mode", 01777);
        Libc.lchown(users.resolve("whitelist").toString(), 65534, 65534);
        assertThatThrownBy(() -> WhitelistFile.load(users.resolve("whitelist")))
                .hasMessageContaining("symlink " + users.toRealPath().resolve("whitelist") + " on the way to the whitelist is owned by uid 65534");
        Libc.lchown(users.resolve("whitelist").toString(), 0, 0);
        assertThat(WhitelistFile.load(users.resolve("whitelist")).current().paths()).hasSize(3);
        // and a ".." after a symlink leaves the symlink's target, as the kernel does
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Files.createSymbolicLink(sub.resolve("to-users"), users);
        assertThat(WhitelistFile.load(sub.resolve("to-users/../whitelist")).current().paths()).hasSize(3);
    }

    @Test
    void relativeEntriesAreConfigurationErrorsNamingTheLine() throws Exception {
        write("/bin/cat\nqemu-kvm\n");
        assertThatThrownBy(() -> WhitelistFile.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":2: 'qemu-kvm' is not an absolute path (write the program's full path)");
    }

    @Test
    void aMissingWhitelistRefusesEverything() throws Exception {
        Files.delete(file);
        ProgramPolicy policy = policy();
        assertThatThrownBy(() -> policy.resolve(name("/bin/cat")))
                .isInstanceOfSatisfying(SpawnFailedException.class, e -> assertThat(e.exitStatus()).isEqualTo(126))
                .hasMessage("/bin/cat: refused, the whitelist " + file + " does not exist (no program may run)");
        assertThat(new String(ProgramPolicy.allowingAnyProgram().resolve(name("/usr/bin/id")))).isEqualTo(canonical("/usr/bin/id"));
    }

    @Test
    void changesApplyToTheNextRequest() throws Exception {
        ProgramPolicy policy = policy();
        assertThatThrownBy(() -> policy.resolve(name("/usr/bin/id"))).hasMessageContaining("not allowed");
        write("/usr/bin/id\n");
        assertThat(new String(policy.resolve(name("/usr/bin/id")))).isEqualTo(canonical("/usr/bin/id"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw--w----"));
        assertThatThrownBy(() -> policy.resolve(name("/usr/bin/id"))).hasMessageContaining("writable by group or others");
    }
}
