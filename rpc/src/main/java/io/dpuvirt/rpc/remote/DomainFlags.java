package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.wire.NonnullDomain;
import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * {@code {remote_nonnull_domain dom; unsigned int flags;}}: the args of GET_XML_DESC, REBOOT,
 * CREATE_WITH_FLAGS, DESTROY_FLAGS, SHUTDOWN_FLAGS, UNDEFINE_FLAGS, GET_STATE, GET_CONTROL_INFO,
 * HAS_MANAGED_SAVE_IMAGE, SNAPSHOT_NUM and GET_MESSAGES. {@code flags} is a bit set.
 */
public record DomainFlags(NonnullDomain dom, int flags) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        dom.encode(out);
        out.writeUnsignedInt(flags);
    }

    public static DomainFlags decode(XdrDecoder in) {
        return new DomainFlags(NonnullDomain.decode(in), in.readUnsignedInt());
    }
}
