package io.dpuvirt.rpc.wire;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** One framed message: its header and its raw XDR payload (empty for void). */
public record RpcMessage(MessageHeader header, byte[] payload) {
    public RpcMessage {
        payload = payload.clone();
    }

    public static RpcMessage of(MessageHeader header, XdrWritable body) {
        return new RpcMessage(header, body.toXdr());
    }

    public static RpcMessage empty(MessageHeader header) {
        return new RpcMessage(header, new byte[0]);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public XdrDecoder payloadDecoder() {
        return new XdrDecoder(payload);
    }

    /** Copies the payload into {@code target} without an intermediate array. */
    public void writePayloadTo(ByteBuffer target) {
        target.put(payload);
    }

    public int payloadLength() {
        return payload.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RpcMessage that && header.equals(that.header) && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "RpcMessage[" + header + ", " + payload.length + " payload bytes]";
    }
}
