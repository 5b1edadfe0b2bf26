package io.dpuvirt.common.fs;

import io.dpuvirt.common.linux.LinuxException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanonicalPathsTest {
    @TempDir
    Path temp;
    private Path root;

    @BeforeEach
    void tree() throws IOException {
        root = temp.toRealPath();
        Files.createDirectories(root.resolve("real/sub"));
        Files.writeString(root.resolve("real/file"), "x");
        Files.createSymbolicLink(root.resolve("abs"), root.resolve("real/sub"));
        Files.createSymbolicLink(root.resolve("rel"), Path.of("real/sub"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("real/missing"));
        Files.createSymbolicLink(root.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(root.resolve("loop2"), Path.of("loop1"));
    }

    @Test
    void aPathIsWrittenCanonicallyWhenNoComponentIsEmptyDotOrDotDot() {
        assertThat(CanonicalPaths.isWrittenCanonically("/")).isTrue();
        assertThat(CanonicalPaths.isWrittenCanonically("/var/lib/libvirt/qemu.sock")).isTrue();
        assertThat(CanonicalPaths.isWrittenCanonically("/var/.hidden/..x/a.b")).isTrue();
        for (String notSo : new String[] {"", "var/lib", "/var//lib", "/var/lib/", "/var/./lib", "/var/lib/.",
                "/var/../etc", "/var/lib/..", "//"}) {
            assertThat(CanonicalPaths.isWrittenCanonically(notSo)).as(notSo).isFalse();
        }
    }

    @Test
    void aPathThatExistsWholeIsResolvedThroughItsSymlinks() throws IOException {
        assertThat(CanonicalPaths.canonical(root.resolve("abs"))).isEqualTo(root.resolve("real/sub"));
        assertThat(CanonicalPaths.canonical(root.resolve("rel"))).isEqualTo(root.resolve("real/sub"));
        assertThat(CanonicalPaths.canonical(root.resolve("real/./sub/../file"))).isEqualTo(root.resolve("real/file"));
    }

    @Test
    void dotDotAfterASymlinkLeavesTheSymlinksTargetNotTheLink() throws IOException {
        // abs -> real/sub, so abs/.. is real, not the directory holding abs
        assertThat(CanonicalPaths.canonical(root.resolve("abs/../file"))).isEqualTo(root.resolve("real/file"));
        assertThat(CanonicalPaths.canonical(root.resolve("rel/../../real"))).isEqualTo(root.resolve("real"));
    }

    @Test
    void aMissingTailIsAppendedToTheResolvedPrefixAsWritten() throws IOException {
        assertThat(CanonicalPaths.canonical(root.resolve("abs/new.sock"))).isEqualTo(root.resolve("real/sub/new.sock"));
        assertThat(CanonicalPaths.canonical(root.resolve("rel/a/b/../c"))).isEqualTo(root.resolve("real/sub/a/c"));
        assertThat(CanonicalPaths.canonical(root.resolve("dangling"))).isEqualTo(root.resolve("real/missing"));
        assertThat(CanonicalPaths.canonical(root.resolve("real/file/below"))).isEqualTo(root.resolve("real/file/below"));
    }

    @Test
    void symlinksAreStillResolvedAfterDotDotLeadsBackOutOfAMissingTail() throws IOException {
        // the result must hold no symlink: abs is one, and a check of the path as written would be led astray
        assertThat(CanonicalPaths.canonical(root.resolve("real/missing/../../abs/x.sock"))).isEqualTo(root.resolve("real/sub/x.sock"));
    }

    @Test
    void aWalkTellsOfEveryDirectoryAndSymlinkOnTheWay() throws IOException {
        java.util.List<String> steps = new java.util.ArrayList<>();
        Path real = CanonicalPaths.walk(root.resolve("rel/../file"), (path, symlink) -> {
            if (path.startsWith(root)) {
                steps.add(root.relativize(path) + (symlink ? " (symlink)" : ""));
            }
        });
        assertThat(real).isEqualTo(root.resolve("real/file"));
        assertThat(steps).containsExactly("", "rel (symlink)", "real", "real/sub", "real/file"); // "": the temporary directory
    }

    @Test
    void aSymlinkLoopAndARelativePathAreRefused() {
        assertThatThrownBy(() -> CanonicalPaths.canonical(root.resolve("loop1/x")))
                .isInstanceOf(LinuxException.class).hasMessageContaining("loop1");
        assertThatThrownBy(() -> CanonicalPaths.canonical(Path.of("relative/path")))
                .isInstanceOf(IOException.class).hasMessageContaining("not an absolute path");
    }
}
