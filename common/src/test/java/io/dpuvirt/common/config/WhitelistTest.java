package io.dpuvirt.common.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WhitelistTest {
    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        Path file = dir.resolve("whitelist");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void prefixesMatchWholeComponents() {
        PathPrefixes prefixes = new PathPrefixes(List.of("/var/lib/libvirt/"));
        assertThat(prefixes.covers("/var/lib/libvirt/qemu/m.sock")).isTrue();
        assertThat(prefixes.covers("/var/lib/libvirt")).isTrue();
        assertThat(prefixes.covers("/var/lib/libvirtd/x")).isFalse();
        assertThat(new PathPrefixes(List.of("/var/lib/libvirt")).covers("/var/lib/libvirt/qemu/m.sock")).isTrue();
        assertThat(new PathPrefixes(List.of("//var//lib/libvirt//")).entries()).containsExactly("/var/lib/libvirt");
    }

    @Test
    void readsPathListsAndBareLines() throws Exception {
        Whitelist whitelist = Whitelist.load(file("""
                # comment
                [Udsconnect]
                Path=/var/lib/libvirt;/var/run/rexec/
                [Open]
                /home/VMs
                [Mount]
                Path=/home/VMs
                """));
        assertThat(whitelist.entries(Whitelist.Section.UDSCONNECT).entries()).containsExactly("/var/lib/libvirt", "/var/run/rexec");
        assertThat(whitelist.entries(Whitelist.Section.OPEN).entries()).containsExactly("/home/VMs");
        assertThat(whitelist.has(Whitelist.Section.WRITE)).isFalse();
        assertThat(whitelist.entries(Whitelist.Section.WRITE).covers("/home/VMs/a")).isFalse();
    }

    @Test
    void refusesBadEntriesWithFileAndLine() throws Exception {
        Path dotdot = file("[Udsconnect]\nPath=/var/lib/../etc\n");
        assertThatThrownBy(() -> Whitelist.load(dotdot)).isInstanceOf(ConfigException.class)
                .hasMessage(dotdot + ":2: [Udsconnect] path has a '..' component: '/var/lib/../etc'");
        Path relative = file("[Udsconnect]\nPath=/ok;var/x\n");
        assertThatThrownBy(() -> Whitelist.load(relative)).hasMessage(relative + ":2: [Udsconnect] not an absolute path: 'var/x'");
        Path wrongCase = file("[UdsConnect]\nPath=/x\n");
        assertThatThrownBy(() -> Whitelist.load(wrongCase)).hasMessageStartingWith(wrongCase + ":1: unknown section [UdsConnect]");
        Path outside = file("Path=/x\n");
        assertThatThrownBy(() -> Whitelist.load(outside)).hasMessage(outside + ":1: 'Path=/x' is outside any [Section]");
    }

    @Test
    void refusesAFileOthersMayWrite() throws Exception {
        Path file = file("[Udsconnect]\nPath=/x\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThatThrownBy(() -> Whitelist.load(file)).hasMessageContaining("writable by group or others");
    }

    @Test
    void symlinksAndDotDotCannotEscape() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Path secret = Files.createDirectories(dir.resolve("secret"));
        Files.createSymbolicLink(allowed.resolve("link"), secret);
        Whitelist whitelist = Whitelist.of(KeyFile.parse(dir.resolve("w"), "[Udsconnect]\nPath=" + allowed + "\n"));
        assertThat(whitelist.allows(Whitelist.Section.UDSCONNECT, allowed.resolve("a.sock"))).isTrue();
        assertThat(whitelist.allows(Whitelist.Section.UDSCONNECT, allowed.resolve("new/dir/a.sock"))).isTrue();
        assertThat(whitelist.allows(Whitelist.Section.UDSCONNECT, allowed.resolve("link/a.sock"))).isFalse();
        assertThat(whitelist.allows(Whitelist.Section.UDSCONNECT, Path.of(allowed + "/../secret/a.sock"))).isFalse();
        assertThat(whitelist.allows(Whitelist.Section.UDSCONNECT, Path.of(allowed + "d/a.sock"))).isFalse();
    }

    @Test
    void entriesThroughSymlinksMatchTheirTargets() throws Exception {
        Path real = Files.createDirectories(dir.resolve("run/rexec"));
        Files.createSymbolicLink(dir.resolve("varrun"), dir.resolve("run"));
        Whitelist whitelist = Whitelist.of(KeyFile.parse(dir.resolve("w"), "[Udsconnect]\nPath=" + dir.resolve("varrun/rexec") + "\n"));
        assertThat(whitelist.allows(Whitelist.Section.UDSCONNECT, real.resolve("rexec_uds.sock"))).isTrue();
    }

    @Test
    void editingRewritesOnlyTheEntry() throws Exception {
        KeyFile keyFile = KeyFile.parse(dir.resolve("w"), """
                # keep me
                [Open]
                Path=/a
                [Udsconnect]
                /var/lib/docker
                """);
        Whitelist whitelist = Whitelist.of(keyFile);
        Whitelist added = whitelist.with(Whitelist.Section.UDSCONNECT,
                whitelist.entries(Whitelist.Section.UDSCONNECT).with("/var/run/rexec"));
        assertThat(added.applyTo(keyFile, Whitelist.Section.UDSCONNECT).render()).isEqualTo("""
                # keep me
                [Open]
                Path=/a
                [Udsconnect]
                Path=/var/lib/docker;/var/run/rexec;
                """);
        Whitelist fresh = Whitelist.empty(dir.resolve("w"));
        assertThat(fresh.with(Whitelist.Section.UDSCONNECT, new PathPrefixes(List.of("/x")))
                .applyTo(KeyFile.empty(dir.resolve("w")), Whitelist.Section.UDSCONNECT).render())
                .isEqualTo("[Udsconnect]\nPath=/x;\n");
    }

    @Test
    void listEscapes() {
        assertThat(KeyFile.splitList("a\\;b;c\\\\d;; e ")).containsExactly("a;b", "c\\d", "e");
        assertThat(KeyFile.splitList(KeyFile.joinList(List.of("a;b", "c\\d")))).containsExactly("a;b", "c\\d");
    }
}
