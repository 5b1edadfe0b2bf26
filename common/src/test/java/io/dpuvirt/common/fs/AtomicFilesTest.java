package io.dpuvirt.common.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesContentKeepsModeAndLeavesNoTemporaryFiles() throws Exception {
        Path target = dir.resolve("state.xml");
        AtomicFiles.write(target, "one", PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.edit(target, "two");
        assertThat(Files.readString(target)).isEqualTo("two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void anEditGoesThroughASymlinkAndKeepsTheFilesOwner() throws Exception {
        Path managed = Files.createDirectory(dir.resolve("managed")).resolve("virtd.conf");
        Files.writeString(managed, "old");
        Files.setAttribute(managed, "unix:uid", 65534);
        Files.setAttribute(managed, "unix:gid", 65534);
        Path link = Files.createSymbolicLink(dir.resolve("virtd.conf"), managed);
        AtomicFiles.edit(link, "new");
        assertThat(Files.isSymbolicLink(link)).as("the link stays").isTrue();
        assertThat(Files.readString(managed)).isEqualTo("new");
        assertThat(Files.getAttribute(managed, "unix:uid")).isEqualTo(65534);
        assertThat(Files.getAttribute(managed, "unix:gid")).isEqualTo(65534);
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
    void aReplacementViaTheSpareSwapsTwoFilesAndKeepsEachWholeAndPrivate() throws Exception {
        Path target = dir.resolve("guest.state");
        Path spare = dir.resolve(".guest.state.spare");
        var owner = PosixFilePermissions.fromString("rw-------");
        AtomicFiles.replaceViaSpare(target, "state=running reason=booted\n".getBytes(), owner);
        assertThat(spare).doesNotExist(); // a new file is made as replace makes it
        Object first = Files.readAttributes(target, BasicFileAttributes.class).fileKey();
        AtomicFiles.replaceViaSpare(target, "state=paused\n".getBytes(), owner);
        assertThat(Files.readString(target)).isEqualTo("state=paused\n"); // shorter: the spare was cut to size
        assertThat(Files.readAttributes(spare, BasicFileAttributes.class).fileKey()).isEqualTo(first);
        AtomicFiles.replaceViaSpare(target, "state=running reason=unpaused\n".getBytes(), owner);
        assertThat(Files.readString(target)).isEqualTo("state=running reason=unpaused\n");
        assertThat(Files.readAttributes(target, BasicFileAttributes.class).fileKey()).isEqualTo(first);
        assertThat(Files.readString(spare)).isEqualTo("state=paused\n");
        for (Path file : List.of(target, spare)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(target, spare);
        }
        AtomicFiles.deleteWithSpare(target);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aSymlinkAtTheSparesPlaceIsNeitherFollowedNorTheTargetChanged() throws Exception {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "untouched");
        Path target = dir.resolve("guest.state");
        AtomicFiles.replaceViaSpare(target, "state=running\n".getBytes(), PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(dir.resolve(".guest.state.spare"), elsewhere);
        assertThatThrownBy(() -> AtomicFiles.replaceViaSpare(target, "state=paused\n".getBytes(),
                PosixFilePermissions.fromString("rw-------"))).isInstanceOf(IOException.class);
        assertThat(Files.readString(elsewhere)).isEqualTo("untouched");
        assertThat(Files.readString(target)).isEqualTo("state=running\n");
    }

    @Test
    void canonicalResolvesExistingPrefixAndKeepsMissingTail() throws Exception {
        Path real = Files.createDirectories(dir.resolve("a/b"));
        Files.createSymbolicLink(dir.resolve("l"), real);
        assertThat(CanonicalPaths.canonical(dir.resolve("l/../b/./x/y"))).isEqualTo(dir.toRealPath().resolve("a/b/x/y"));
        Files.createSymbolicLink(dir.resolve("loop"), dir.resolve("loop"));
        assertThatThrownBy(() -> CanonicalPaths.canonical(dir.resolve("loop/x")))
                .hasMessageContaining("ELOOP");
    }
}
