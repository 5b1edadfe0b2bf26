package io.dpuvirt.cli.offload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How up makes the directories it records. */
class CreatedPathsTest {
    @TempDir
    Path dir;

    @Test
    void levelsAnotherUpMadeMeanwhileAreTakenAsTheyAreAndNotCountedAsMade() throws Exception {
        Path state = dir.resolve("run/dpuvirt/offload");
        List<Path> missing = CreatedPaths.missingDirectories(state);
        Files.createDirectories(dir.resolve("run/dpuvirt")); // a second first-time up, between the look and the make

        assertThat(CreatedPaths.makeDirectories(missing)).containsExactly(state);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void aFileWhereALevelGoesIsStillAnError() throws Exception {
        List<Path> missing = CreatedPaths.missingDirectories(dir.resolve("run/dpuvirt"));
        Files.writeString(dir.resolve("run"), "not a directory");

        assertThatThrownBy(() -> CreatedPaths.makeDirectories(missing)).isInstanceOf(FileAlreadyExistsException.class);
    }
}
