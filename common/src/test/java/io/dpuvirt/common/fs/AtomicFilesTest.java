package io.dpuvirt.common.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesContentKeepsModeAndLeavesNoTemporaryFiles() throws Exception {
        Path target = dir.resolve("state.xml");
        AtomicFiles.write(target, "one", PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.write(target, "two");
        assertThat(Files.readString(target)).isEqualTo("two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void anUnsyncedReplacementIsStillWholeAndPrivate() throws Exception {
        Path target = dir.resolve("guest.state");
        AtomicFiles.replace(target, "state=running\n".getBytes(), PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.replace(target, "state=paused\n".getBytes(), PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(target)).isEqualTo("state=paused\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void anUnsyncedReplacementLeavesAReaderOfTheOldFileItsContent() throws Exception {
        Path target = dir.resolve("guest.state");
        AtomicFiles.replace(target, "old\n".getBytes(), PosixFilePermissions.fromString("rw-------"));
        try (var reader = Files.newInputStream(target)) {
            AtomicFiles.replace(target, "new\n".getBytes(), PosixFilePermissions.fromString("rw-------"));
            assertThat(new String(reader.readAllBytes())).isEqualTo("old\n");
        }
        assertThat(Files.readString(target)).isEqualTo("new\n");
    }

    @Test
    void aSymlinkAtTheTargetIsReplacedNotWrittenThrough() throws Exception {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "untouched");
        Path target = dir.resolve("guest.state");
        Files.createSymbolicLink(target, elsewhere);
        AtomicFiles.replace(target, "state=running\n".getBytes(), PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.isSymbolicLink(target)).isFalse();
        assertThat(Files.readString(target)).isEqualTo("state=running\n");
        assertThat(Files.readString(elsewhere)).isEqualTo("untouched");
    }

    @Test
    void canonicalResolvesExistingPrefixAndKeepsMissingTail() throws Exception {
        Path real = Files.createDirectories(dir.resolve("a/b"));
        Files.createSymbolicLink(dir.resolve("l"), real);
        assertThat(CanonicalPaths.canonical(dir.resolve("l/../b/./x/y"))).isEqualTo(dir.toRealPath().resolve("a/b/x/y"));
        Files.createSymbolicLink(dir.resolve("loop"), dir.resolve("loop"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalPaths.canonical(dir.resolve("loop/x")))
                .hasMessageContaining("ELOOP");
    }
}
