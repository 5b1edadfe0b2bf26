package io.dpuvirt.rpc.wire;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.UUID;

/**
 * {@code virNetMessageNonnullDomain}, identical on the wire to the REMOTE program's
 * {@code remote_nonnull_domain}: a name, a 16-byte UUID with no length word, and an id (-1 when
 * the domain is not running).
 */
public record NonnullDomain(String name, UUID uuid, int id) implements XdrWritable {
    public static final int INACTIVE_ID = -1;

    @Override
    public void encode(XdrEncoder out) {
        out.writeString(name, Framing.STRING_MAX);
        Uuids.write(out, uuid);
        out.writeInt(id);
    }

    public static NonnullDomain decode(XdrDecoder in) {
        return new NonnullDomain(in.readString(Framing.STRING_MAX), Uuids.read(in), in.readInt());
    }
}
