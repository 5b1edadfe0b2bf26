package io.dpuvirt.common.linux;

import io.dpuvirt.common.log.Log;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One posix_spawn(3): the file actions run in the child in the order they were added, then the program is
 * executed. glibc starts the child with clone(CLONE_VM|CLONE_VFORK), so nothing of the JVM is copied and no Java
 * code runs in the child: this is how a JVM starts processes without fork().
 *
 * <p>The child always starts with an empty signal mask and every signal at its default action: a JVM thread
 * blocks or ignores signals the program must not inherit. Use from one thread; close to free the native state.
 */
public final class PosixSpawn implements AutoCloseable {
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;
    /** glibc's posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336 on 64-bit Linux; room to spare. */
    private static final int ACTIONS_BYTES = 128, ATTRIBUTES_BYTES = 512;
    /** Signals glibc keeps for itself (SIGCANCEL, SIGSETXID): never reset them. */
    private static final int GLIBC_SIGCANCEL = 32, GLIBC_SIGSETXID = 33;
    private static final MethodHandle ACTIONS_INIT = Downcalls.plainCall("posix_spawn_file_actions_init", JAVA_INT, ADDRESS);
    private static final MethodHandle ACTIONS_DESTROY = Downcalls.plainCall("posix_spawn_file_actions_destroy", JAVA_INT, ADDRESS);
    private static final MethodHandle ADD_DUP2 = Downcalls.plainCall("posix_spawn_file_actions_adddup2", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle ADD_OPEN = Downcalls.plainCall("posix_spawn_file_actions_addopen", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle ADD_CLOSE = Downcalls.plainCall("posix_spawn_file_actions_addclose", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle ADD_CHDIR = Downcalls.plainCall("posix_spawn_file_actions_addchdir_np", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle ADD_CLOSEFROM = Downcalls.plainCall("posix_spawn_file_actions_addclosefrom_np", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle ATTR_INIT = Downcalls.plainCall("posix_spawnattr_init", JAVA_INT, ADDRESS);
    private static final MethodHandle ATTR_DESTROY = Downcalls.plainCall("posix_spawnattr_destroy", JAVA_INT, ADDRESS);
    private static final MethodHandle ATTR_SETFLAGS = Downcalls.plainCall("posix_spawnattr_setflags", JAVA_INT, ADDRESS, JAVA_SHORT);
    private static final MethodHandle ATTR_SETSIGMASK = Downcalls.plainCall("posix_spawnattr_setsigmask", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle ATTR_SETSIGDEFAULT = Downcalls.plainCall("posix_spawnattr_setsigdefault", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SPAWN = Downcalls.plainCall("posix_spawn", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment actions = arena.allocate(ACTIONS_BYTES, 16);
    private final MemorySegment attributes = arena.allocate(ATTRIBUTES_BYTES, 16);
    private short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;

    /**
     * Makes the downcall handles (milliseconds each, the first time) and one set of attributes, and starts
     * nothing: a daemon calls it on a thread of its own while it waits for work, so that its first spawn (a guest's
     * start) does not pay for it.
     */
    public static void warmUp() {
        try (PosixSpawn unused = new PosixSpawn()) {
            unused.newSession();
        } catch (LinuxException e) {
            Log.warn("warming up posix_spawn failed: " + e.getMessage()); // the first spawn pays for it
        }
    }

    public PosixSpawn() throws LinuxException {
        Downcalls.checkedResult("posix_spawn_file_actions_init", null, c -> (int) ACTIONS_INIT.invokeExact(actions));
        Downcalls.checkedResult("posix_spawnattr_init", null, c -> (int) ATTR_INIT.invokeExact(attributes));
        int[] allButGlibcs = new int[Signals.MAX - 2];
        for (int signal = 1, i = 0; signal <= Signals.MAX; signal++) {
            if (signal != GLIBC_SIGCANCEL && signal != GLIBC_SIGSETXID) {
                allButGlibcs[i++] = signal;
            }
        }
        MemorySegment defaults = SignalCalls.signalSet(arena, allButGlibcs);
        MemorySegment empty = SignalCalls.signalSet(arena);
        Downcalls.checkedResult("posix_spawnattr_setsigdefault", null, c -> (int) ATTR_SETSIGDEFAULT.invokeExact(attributes, defaults));
        Downcalls.checkedResult("posix_spawnattr_setsigmask", null, c -> (int) ATTR_SETSIGMASK.invokeExact(attributes, empty));
    }

    /** The child calls setsid(): it leads a new session and process group, whose id is its pid. */
    public PosixSpawn newSession() {
        flags |= POSIX_SPAWN_SETSID;
        return this;
    }

    public PosixSpawn dup2(int fd, int target) throws LinuxException {
        Downcalls.checkedResult("posix_spawn_file_actions_adddup2", fd + "->" + target, c -> (int) ADD_DUP2.invokeExact(actions, fd, target));
        return this;
    }

    public PosixSpawn open(int target, byte[] path, int openFlags, int mode) throws LinuxException {
        MemorySegment cpath = cString(path);
        Downcalls.checkedResult("posix_spawn_file_actions_addopen", "fd " + target,
                c -> (int) ADD_OPEN.invokeExact(actions, target, cpath, openFlags, mode));
        return this;
    }

    /** Closes {@code fd} in the child; a descriptor that is not open there is no error. */
    public PosixSpawn close(int fd) throws LinuxException {
        Downcalls.checkedResult("posix_spawn_file_actions_addclose", "fd " + fd, c -> (int) ADD_CLOSE.invokeExact(actions, fd));
        return this;
    }

    public PosixSpawn chdir(byte[] directory) throws LinuxException {
        MemorySegment cpath = cString(directory);
        Downcalls.checkedResult("posix_spawn_file_actions_addchdir_np", null, c -> (int) ADD_CHDIR.invokeExact(actions, cpath));
        return this;
    }

    /** Closes every descriptor from {@code lowest} up in the child (the JVM's own files are not all close-on-exec). */
    public PosixSpawn closeFrom(int lowest) throws LinuxException {
        Downcalls.checkedResult("posix_spawn_file_actions_addclosefrom_np", null, c -> (int) ADD_CLOSEFROM.invokeExact(actions, lowest));
        return this;
    }

    /**
     * Starts {@code path} with {@code argv} and {@code environment} (byte strings without NUL) and returns its pid.
     * A failure of a file action or of the exec itself comes back as the LinuxException of that step.
     */
    public int spawn(byte[] path, List<byte[]> argv, List<byte[]> environment) throws LinuxException {
        short spawnFlags = flags;
        Downcalls.checkedResult("posix_spawnattr_setflags", null, c -> (int) ATTR_SETFLAGS.invokeExact(attributes, spawnFlags));
        MemorySegment cpath = cString(path);
        MemorySegment cargv = pointerArray(argv);
        MemorySegment cenv = pointerArray(environment);
        MemorySegment pid = arena.allocate(JAVA_INT);
        Downcalls.checkedResult("posix_spawn", new String(path, java.nio.charset.StandardCharsets.UTF_8),
                c -> (int) SPAWN.invokeExact(pid, cpath, actions, attributes, cargv, cenv));
        return pid.get(JAVA_INT, 0);
    }

    private MemorySegment cString(byte[] bytes) {
        MemorySegment string = arena.allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, string, JAVA_BYTE, 0, bytes.length);
        return string;
    }

    private MemorySegment pointerArray(List<byte[]> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, cString(strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    @Override
    public void close() {
        try {
            int ignored = (int) ACTIONS_DESTROY.invokeExact(actions);
            ignored = (int) ATTR_DESTROY.invokeExact(attributes);
        } catch (Throwable t) {
            throw new AssertionError("downcall posix_spawn_*_destroy threw", t);
        } finally {
            arena.close();
        }
    }
}
