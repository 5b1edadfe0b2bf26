package io.dpuvirt.rpc.wire;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.UUID;

/** {@code virNetMessageNonnullNetwork} (= {@code remote_nonnull_network}): a name and a 16-byte UUID. */
public record NonnullNetwork(String name, UUID uuid) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        out.writeString(name, Framing.STRING_MAX);
        Uuids.write(out, uuid);
    }

    public static NonnullNetwork decode(XdrDecoder in) {
        return new NonnullNetwork(in.readString(Framing.STRING_MAX), Uuids.read(in));
    }
}
