package io.dpuvirt.rfs.client;

import io.dpuvirt.rfs.wire.WireReader;

/**
 * What to do with the server's answer to one request. Runs on the link's reader thread: it must not block (it
 * writes the FUSE reply, or sends a follow-up request with {@link RfsLink#callNow}). {@code result} is null when
 * {@code errno} is not 0.
 */
@FunctionalInterface
interface ReplyHandler {
    void complete(int errno, WireReader result) throws Exception;
}
