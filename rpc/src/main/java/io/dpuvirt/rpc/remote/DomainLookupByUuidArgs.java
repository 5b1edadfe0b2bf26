package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.wire.Uuids;
import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.UUID;

/** {@code remote_domain_lookup_by_uuid_args}: a {@code remote_uuid}, 16 bytes without a length word. */
public record DomainLookupByUuidArgs(UUID uuid) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        Uuids.write(out, uuid);
    }

    public static DomainLookupByUuidArgs decode(XdrDecoder in) {
        return new DomainLookupByUuidArgs(Uuids.read(in));
    }
}
