package io.dpuvirt.cli.offload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How up makes the directories it records, and how down removes them. */
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

    @Test
    void downRemovesOnlyDirectoriesThatHoldNothingElse() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty/a/b"));
        Path holding = Files.createDirectories(dir.resolve("holding/a"));
        Files.writeString(holding.resolve("vm.log"), "a guest's");

        assertThat(CreatedPaths.removeDirectory(dir.resolve("empty"))).isEqualTo(Outcome.changed("removed", "directory " + dir.resolve("empty")));
        assertThat(empty.getParent().getParent()).doesNotExist();
        assertThat(CreatedPaths.removeDirectory(dir.resolve("holding"))).isEqualTo(Outcome.unchanged("kept",
                "directory " + dir.resolve("holding") + ": it holds " + holding.resolve("vm.log")));
        assertThat(holding.resolve("vm.log")).exists();
        assertThat(CreatedPaths.removeDirectory(dir.resolve("empty"))).isEqualTo(Outcome.unchanged("gone",
                "directory " + dir.resolve("empty") + " (already)"));
    }

    /** The state file's directories: an empty directory in one (a new state directory) keeps it; a file is never removed. */
    @Test
    void aLevelOfTheStateDirectoryGoesOnlyWhenEmpty() throws Exception {
        Path level = dir.resolve("run");
        Path newStateDirectory = Files.createDirectories(level.resolve("offload"));
        Path file = Files.writeString(dir.resolve("file"), "someone's");

        assertThat(CreatedPaths.removeEmptyDirectory(level)).isEqualTo(Outcome.unchanged("kept",
                "directory " + level + ": it holds " + newStateDirectory));
        assertThatThrownBy(() -> CreatedPaths.removeEmptyDirectory(file)).isInstanceOf(IOException.class);
        assertThat(file).exists();
        assertThat(CreatedPaths.removeEmptyDirectory(newStateDirectory)).isEqualTo(Outcome.changed("removed",
                "directory " + newStateDirectory));
        assertThat(CreatedPaths.removeEmptyDirectory(level)).isEqualTo(Outcome.changed("removed", "directory " + level));
        assertThat(CreatedPaths.removeEmptyDirectory(level)).isEqualTo(Outcome.unchanged("gone", "directory " + level + " (already)"));
    }

    /**
     * Guests' run directories come and go under /var/lib/dpuvirt while down runs: one that went between a listing and
     * a look at it is fine (it was an UncheckedIOException, which down showed as a stack trace).
     */
    @Test
    void directoriesThatGoWhileDownWalksThemAreFine() throws Exception {
        Path run = dir.resolve("run");
        AtomicBoolean churning = new AtomicBoolean(true);
        Thread guests = Thread.ofPlatform().daemon().start(() -> {
            while (churning.get()) {
                try {
                    Files.createDirectories(run.resolve("domain-1-vm/sub"));
                    Files.delete(run.resolve("domain-1-vm/sub"));
                    Files.delete(run.resolve("domain-1-vm"));
                } catch (IOException e) {
                    // run is gone, or down took a level first
                }
            }
        });
        try {
            for (int round = 0; round < 3000; round++) {
                Files.createDirectories(run.resolve("empty"));
                assertThat(CreatedPaths.removeDirectory(run).verb()).isIn("removed", "kept", "gone");
            }
        } finally {
            churning.set(false);
            guests.join();
        }
    }
}
