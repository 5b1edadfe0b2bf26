package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;

/**
 * Notices the end of programs that are not this process's children (detached programs a previous server started):
 * no wait reports it, but their pidfds poll readable once they have ended. One thread polls them all; the set only
 * shrinks (this server's own programs end through the {@link Reaper}). Stopping wakes the thread through a pipe.
 */
final class PidfdWatcher implements AutoCloseable {
    private static final short POLLIN = 0x1;

    private final Map<Integer, ProgramId> programs;
    private final Consumer<ProgramId> ended;
    private final int[] wake;
    private final Thread thread;

    /** Watches {@code programs} (pidfd to program); {@code ended} is called on the watcher's thread with each end. */
    PidfdWatcher(Map<Integer, ProgramId> programs, Consumer<ProgramId> ended) throws LinuxException {
        this.programs = new HashMap<>(programs);
        this.ended = ended;
        this.wake = Libc.pipe2(O_CLOEXEC);
        this.thread = Thread.ofPlatform().daemon().name("rexec-pidfds").start(this::run);
    }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfds = arena.allocate(8L * (programs.size() + 1), 8);
            while (!programs.isEmpty()) {
                int[] pidfds = programs.keySet().stream().mapToInt(Integer::intValue).toArray();
                set(pollfds, 0, wake[0]);
                for (int i = 0; i < pidfds.length; i++) {
                    set(pollfds, i + 1, pidfds[i]);
                }
                Libc.poll(pollfds, pidfds.length + 1, -1);
                if (pollfds.get(ValueLayout.JAVA_SHORT, 6) != 0) {
                    return; // stopping
                }
                for (int i = 0; i < pidfds.length; i++) {
                    if (pollfds.get(ValueLayout.JAVA_SHORT, 8L * (i + 1) + 6) != 0) {
                        ended.accept(programs.remove(pidfds[i]));
                    }
                }
            }
        } catch (LinuxException e) {
            Log.error("cannot watch detached programs of a previous server any more: " + e.getMessage());
        }
    }

    private static void set(MemorySegment pollfds, long index, int fd) {
        pollfds.set(ValueLayout.JAVA_INT, 8 * index, fd);
        pollfds.set(ValueLayout.JAVA_SHORT, 8 * index + 4, POLLIN);
        pollfds.set(ValueLayout.JAVA_SHORT, 8 * index + 6, (short) 0);
    }

    /** Stops the thread, and only then may the pidfds it polls be closed. */
    @Override
    public void close() {
        try (Arena arena = Arena.ofConfined()) {
            Libc.write(wake[1], arena.allocate(1), 1);
        } catch (LinuxException e) {
            Log.warn("cannot wake the pidfd watcher: " + e.getMessage());
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Libc.close(wake[0]);
        Libc.close(wake[1]);
    }
}
