package io.dpuvirt.common.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Starts a program with posix_spawn(3), which the JDK's ProcessBuilder cannot do as a daemon needs it:
 * in a session of its own (so that a Ctrl-C on the daemon's terminal does not reach its guests), with
 * any descriptor as its stdin/stdout/stderr (a file opened for it, or a socket), a working directory,
 * an environment, default signal handling, an empty signal mask and no other descriptor inherited.
 * The caller waits for the child with {@link Libc#awaitExit} and {@link Libc#reap}.
 */
public final class PosixSpawn {
    /** What the child's descriptor {@code target} (0, 1 or 2) becomes. */
    public sealed interface Stdio {
        int target();
    }

    /** {@code path} opened with open(2) {@code flags} and {@code mode}. */
    public record OpenFile(int target, Path path, int flags, int mode) implements Stdio {
    }

    /** A copy of the caller's descriptor {@code fd}. */
    public record Duplicate(int target, int fd) implements Stdio {
    }

    private static final Linker LINKER = Linker.nativeLinker();
    /** Generous upper bounds of glibc's posix_spawn_file_actions_t (80 bytes), posix_spawnattr_t (336) and sigset_t (128). */
    private static final long FILE_ACTIONS_SIZE = 512;
    private static final long ATTR_SIZE = 1024;
    private static final long SIGSET_SIZE = 128;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    private static final int FIRST_INHERITED_FD_TO_CLOSE = 3;

    private static final MethodHandle SPAWNP = function("posix_spawnp", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle ACTIONS_INIT = function("posix_spawn_file_actions_init", JAVA_INT, ADDRESS);
    private static final MethodHandle ACTIONS_DESTROY = function("posix_spawn_file_actions_destroy", JAVA_INT, ADDRESS);
    private static final MethodHandle ADD_OPEN = function("posix_spawn_file_actions_addopen", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle ADD_DUP2 = function("posix_spawn_file_actions_adddup2", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle ADD_CHDIR = function("posix_spawn_file_actions_addchdir_np", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle ADD_CLOSEFROM = function("posix_spawn_file_actions_addclosefrom_np", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle ATTR_INIT = function("posix_spawnattr_init", JAVA_INT, ADDRESS);
    private static final MethodHandle ATTR_DESTROY = function("posix_spawnattr_destroy", JAVA_INT, ADDRESS);
    private static final MethodHandle ATTR_SETFLAGS = function("posix_spawnattr_setflags", JAVA_INT, ADDRESS, JAVA_SHORT);
    private static final MethodHandle ATTR_SETSIGMASK = function("posix_spawnattr_setsigmask", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle ATTR_SETSIGDEFAULT = function("posix_spawnattr_setsigdefault", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SIGEMPTYSET = function("sigemptyset", JAVA_INT, ADDRESS);
    private static final MethodHandle SIGFILLSET = function("sigfillset", JAVA_INT, ADDRESS);

    private PosixSpawn() {
    }

    /**
     * Starts {@code argv} (argv[0] searched in the daemon's PATH when it has no slash) and returns its pid.
     * {@code environment} is the child's whole environment; {@code stdio} says what its descriptors 0–2
     * become (one missing stays the caller's: give /dev/null instead).
     */
    public static int spawn(List<String> argv, Map<String, String> environment, Optional<Path> workingDirectory,
                            List<Stdio> stdio) throws LinuxException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv is empty");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 16);
            MemorySegment attributes = arena.allocate(ATTR_SIZE, 16);
            check("posix_spawn_file_actions_init", (int) ACTIONS_INIT.invokeExact(actions));
            try {
                check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attributes));
                try {
                    addStdio(arena, actions, stdio);
                    if (workingDirectory.isPresent()) {
                        MemorySegment directory = arena.allocateFrom(workingDirectory.get().toString());
                        check("posix_spawn_file_actions_addchdir_np", (int) ADD_CHDIR.invokeExact(actions, directory));
                    }
                    check("posix_spawn_file_actions_addclosefrom_np",
                            (int) ADD_CLOSEFROM.invokeExact(actions, FIRST_INHERITED_FD_TO_CLOSE));
                    configure(arena, attributes);
                    MemorySegment pid = arena.allocate(JAVA_INT);
                    int error = (int) SPAWNP.invokeExact(pid, arena.allocateFrom(argv.getFirst()), actions, attributes,
                            strings(arena, argv), strings(arena, environment.entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
                    if (error != 0) {
                        throw new LinuxException("posix_spawn", argv.getFirst(), error);
                    }
                    return pid.get(JAVA_INT, 0);
                } finally {
                    int ignored = (int) ATTR_DESTROY.invokeExact(attributes);
                }
            } finally {
                int ignored = (int) ACTIONS_DESTROY.invokeExact(actions);
            }
        } catch (LinuxException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("posix_spawn downcall threw", t);
        }
    }

    private static void addStdio(Arena arena, MemorySegment actions, List<Stdio> stdio) throws Throwable {
        for (Stdio entry : stdio) {
            switch (entry) {
                case OpenFile file -> check("posix_spawn_file_actions_addopen(" + file.path() + ")",
                        (int) ADD_OPEN.invokeExact(actions, file.target(), arena.allocateFrom(file.path().toString()),
                                file.flags(), file.mode()));
                case Duplicate duplicate -> check("posix_spawn_file_actions_adddup2",
                        (int) ADD_DUP2.invokeExact(actions, duplicate.fd(), duplicate.target()));
            }
        }
    }

    /** A new session, no blocked signal, and every signal's handler back to its default. */
    private static void configure(Arena arena, MemorySegment attributes) throws Throwable {
        MemorySegment empty = arena.allocate(SIGSET_SIZE, 8);
        MemorySegment all = arena.allocate(SIGSET_SIZE, 8);
        check("sigemptyset", (int) SIGEMPTYSET.invokeExact(empty));
        check("sigfillset", (int) SIGFILLSET.invokeExact(all));
        check("posix_spawnattr_setsigmask", (int) ATTR_SETSIGMASK.invokeExact(attributes, empty));
        check("posix_spawnattr_setsigdefault", (int) ATTR_SETSIGDEFAULT.invokeExact(attributes, all));
        short flags = (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        check("posix_spawnattr_setflags", (int) ATTR_SETFLAGS.invokeExact(attributes, flags));
    }

    /** A NULL-terminated array of C strings. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    /** The posix_spawn family returns an error number instead of setting errno. */
    private static void check(String call, int result) throws LinuxException {
        if (result != 0) {
            throw new LinuxException(call, null, result);
        }
    }

    private static MethodHandle function(String name, MemoryLayout result, MemoryLayout... args) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args));
    }
}
