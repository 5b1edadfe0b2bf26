package io.dpuvirt.rfs.fuse;

/**
 * A file system behind {@link FuseSession}. {@link #handle} must answer every request it is given exactly once,
 * through {@link FuseSession#reply()} (or {@link FuseSession#error}), now or later from any thread; it must copy
 * what it needs from the request before returning. An exception it throws is answered with EIO.
 */
public interface FuseHandler {
    void handle(FuseRequest request, FuseSession session) throws Exception;

    /** FORGET and BATCH_FORGET: the kernel dropped {@code count} references to {@code nodeId}; no reply. */
    void forget(long nodeId, long count);

    /** INTERRUPT: the caller of request {@code unique} gave up (a signal); no reply to this one. */
    void interrupt(long unique, FuseSession session);
}
