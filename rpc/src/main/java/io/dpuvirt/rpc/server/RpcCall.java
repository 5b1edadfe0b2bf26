package io.dpuvirt.rpc.server;

import io.dpuvirt.rpc.wire.MessageHeader;
import io.dpuvirt.rpc.xdr.XdrDecoder;

/**
 * One REMOTE call being handled: its header, a decoder positioned at its args, and the client
 * connection it came on (to open a stream or keep per-client state).
 */
public record RpcCall(MessageHeader header, XdrDecoder args, ClientSession session) {
}
