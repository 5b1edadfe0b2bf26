package io.dpuvirt.rfs.client;

import io.dpuvirt.rfs.fuse.FuseRequest;
import io.dpuvirt.rfs.fuse.FuseSession;
import io.dpuvirt.rfs.wire.Op;
import io.dpuvirt.rfs.wire.WireReader;
import io.dpuvirt.rfs.wire.WireWriter;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Builds rfs requests for FUSE requests and sends them on the link; shared by the node and file translators. */
final class Requests {
    /** Requests are built in the sending thread's own buffer (FUSE readers, the link reader for follow-ups). */
    private static final ThreadLocal<WireWriter> WRITER = ThreadLocal.withInitial(() -> new WireWriter(64 * 1024));

    /** A reply handler that only needs the result, given when the request succeeded. */
    @FunctionalInterface
    interface Success {
        void accept(WireReader result) throws Exception;
    }

    final RfsLink link;
    final FuseSession session;

    Requests(RfsLink link, FuseSession session) {
        this.link = link;
        this.session = session;
    }

    /** A request of {@code op} on behalf of the caller of {@code request}; add the arguments, then send. */
    WireWriter start(Op op, FuseRequest request) {
        return start(op, request.uid(), request.gid());
    }

    WireWriter start(Op op, int uid, int gid) {
        return WRITER.get().reset().u64(link.newId()).u8(op.code()).u32(uid).u32(gid);
    }

    /** Sends; on success runs {@code then}, on failure answers the FUSE request with the errno. */
    void send(WireWriter request, long unique, Success then) {
        send(request, null, unique, then);
    }

    /** The same, for a request whose last field, {@code tail} (null: none), is sent from where it lies. */
    void send(WireWriter request, MemorySegment tail, long unique, Success then) {
        link.call(request, tail, (errno, result) -> {
            if (errno != 0) {
                session.error(unique, errno);
            } else {
                then.accept(result);
            }
        });
    }

    /** Sends and answers the FUSE request with an empty success. */
    void sendEmpty(WireWriter request, long unique) {
        send(request, unique, result -> session.reply().send(unique));
    }

    /** The same for a request that changes something: {@code changed} runs once it is made, before the answer. */
    void sendEmpty(WireWriter request, long unique, Runnable changed) {
        send(request, unique, result -> {
            changed.run();
            session.reply().send(unique);
        });
    }

    /** Reads what a caller needs out of a reply while the reply is still valid (on the link's reader thread). */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(WireReader result) throws Exception;
    }

    /** Sends from a thread that may block and waits for the reply (re-opens): the decoded result, or the errno. */
    <T> T await(WireWriter request, Decoder<T> decoder) throws RemoteError {
        CompletableFuture<T> reply = new CompletableFuture<>();
        link.call(request, (errno, result) -> {
            if (errno != 0) {
                reply.completeExceptionally(new RemoteError(errno));
            } else {
                try {
                    reply.complete(decoder.decode(result));
                } catch (Exception e) {
                    reply.completeExceptionally(new RemoteError(io.dpuvirt.common.linux.Errno.EIO));
                }
            }
        });
        try {
            return reply.get();
        } catch (ExecutionException e) {
            throw (RemoteError) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteError(io.dpuvirt.common.linux.Errno.EINTR);
        }
    }

    /** A failed request's errno, as an exception for synchronous callers. */
    static final class RemoteError extends Exception {
        final int errno;

        RemoteError(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }
}
