package io.dpuvirt.rpc.wire;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;

import java.nio.ByteBuffer;
import java.util.UUID;

/** {@code remote_uuid}: {@code opaque[16]}, the UUID's bytes in their textual order. */
public final class Uuids {
    public static final int LENGTH = 16;

    private Uuids() {
    }

    public static void write(XdrEncoder out, UUID uuid) {
        out.writeFixedOpaque(ByteBuffer.allocate(LENGTH)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array(), LENGTH);
    }

    public static UUID read(XdrDecoder in) {
        ByteBuffer bytes = ByteBuffer.wrap(in.readFixedOpaque(LENGTH));
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
