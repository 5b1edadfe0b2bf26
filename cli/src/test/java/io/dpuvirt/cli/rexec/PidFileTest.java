package io.dpuvirt.cli.rexec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Which files in /var/run/rexec/pids a rexec takes for leftovers of rexecs that are gone. */
class PidFileTest {
    /** Above any pid_max (2^22): no process has it. */
    private static final long NO_SUCH_PID = 4_194_400;

    @TempDir
    Path dir;

    @Test
    void unlockedFilesOfGoneRexecsGoAndTheLockedOrStillBeingWrittenStay() throws Exception {
        long living = ProcessHandle.current().pid();
        Path gone = Files.writeString(dir.resolve(Long.toString(NO_SUCH_PID)), "812");
        Path goneUnfinished = Files.writeString(dir.resolve("." + NO_SUCH_PID + ".new"), "8");
        // made by a living rexec that has not locked it yet
        Path beingWritten = Files.writeString(dir.resolve("." + living + ".new"), "");
        Path locked = Files.writeString(dir.resolve(Long.toString(NO_SUCH_PID - 1)), "813");
        Path other = Files.writeString(dir.resolve("notes"), "");
        // a living rexec's lock, held by another process as rexec's own is (POSIX locks, as FileChannel.lock takes)
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl, sys, time\n"
                + "f = open(sys.argv[1], 'r+'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
                locked.toString()).start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(7))).isEqualTo("locked\n");
            PidFile.removeLeftovers(dir);
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertThat(gone).doesNotExist();
        assertThat(goneUnfinished).doesNotExist();
        assertThat(beingWritten).exists();
        assertThat(locked).exists();
        assertThat(other).exists();
    }
}
