package io.dpuvirt.common.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * How the call classes of this package reach libc: a downcall handle that captures errno, and a runner that
 * retries on EINTR and turns -1 into a {@link LinuxException}.
 *
 * <p>Creating a downcall handle costs about 3 ms on these machines (a generated stub per signature), so calls are
 * grouped by who needs them ({@link Libc} for files and sockets, {@link SignalCalls}, {@link TerminalCalls},
 * {@link ProcessCalls}, {@link PosixSpawn}, {@link FileCalls}, {@link Inotify}): a short-lived client that needs two calls creates two handles, not
 * all of them. A call that few users of its class need is created on first use, in a holder class of its own
 * (strerror here, the pidfd calls in {@link ProcessCalls} and {@link SignalCalls}).
 */
final class Downcalls {
    static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private Downcalls() {
    }

    /** A call that may fail: its first parameter is the errno capture segment. */
    @FunctionalInterface
    interface Call {
        long invoke(MemorySegment errnoCapture) throws Throwable;
    }

    static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** A handle whose first parameter is the errno capture segment; {@code firstVariadic} is -1 for fixed arguments. */
    static MethodHandle errnoCall(String name, int firstVariadic, MemoryLayout result, MemoryLayout... args) {
        Linker.Option capture = Linker.Option.captureCallState("errno");
        Linker.Option[] options = firstVariadic < 0
                ? new Linker.Option[] {capture}
                : new Linker.Option[] {capture, Linker.Option.firstVariadicArg(firstVariadic)};
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args), options);
    }

    /** A handle for a call that reports failure in its result, not in errno (posix_spawn, the posix_spawn_* family). */
    static MethodHandle plainCall(String name, MemoryLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args));
    }

    /** strerror(3), created on first use: only error messages need it. */
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) Strerror.HANDLE.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static final class Strerror {
        static final MethodHandle HANDLE = plainCall("strerror", java.lang.foreign.ValueLayout.ADDRESS, java.lang.foreign.ValueLayout.JAVA_INT);
    }

    /** A handle for a call without a result (cfmakeraw). */
    static MethodHandle voidCall(String name, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.ofVoid(args));
    }

    static MemorySegment capture() {
        return CAPTURE.get();
    }

    /** Runs {@code call}, retrying on EINTR; a negative result becomes a LinuxException naming call and subject. */
    static long checked(String name, Object subject, Call call) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        for (;;) {
            long result = invoke(name, call, capture);
            if (result >= 0) {
                return result;
            }
            int errno = (int) ERRNO.get(capture, 0L);
            if (errno != Errno.EINTR) {
                throw new LinuxException(name, subject == null ? null : subject.toString(), errno);
            }
        }
    }

    /** Runs a call that returns an error number (0 for success) instead of setting errno. */
    static void checkedResult(String name, Object subject, Call call) throws LinuxException {
        int error = (int) invoke(name, call, CAPTURE.get());
        if (error != 0) {
            throw new LinuxException(name, subject == null ? null : subject.toString(), error);
        }
    }

    private static long invoke(String name, Call call, MemorySegment capture) {
        try {
            return call.invoke(capture);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("downcall " + name + " threw", t);
        }
    }
}
