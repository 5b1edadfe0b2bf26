package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.wire.NonnullDomain;
import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/** {@code remote_domain_set_autostart_args}: the domain and {@code int autostart} (a C boolean). */
public record DomainSetAutostartArgs(NonnullDomain dom, boolean autostart) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        dom.encode(out);
        out.writeInt(autostart ? 1 : 0);
    }

    public static DomainSetAutostartArgs decode(XdrDecoder in) {
        return new DomainSetAutostartArgs(NonnullDomain.decode(in), in.readInt() != 0);
    }
}
