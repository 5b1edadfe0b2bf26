package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * {@code remote_connect_list_all_domains_args}: whether to send the domains or just count them, and
 * {@code VIR_CONNECT_LIST_DOMAINS_*} filter bits (virsh list --all sends ACTIVE|INACTIVE = 3).
 */
public record ConnectListAllDomainsArgs(boolean needResults, int flags) implements XdrWritable {
    public static final int ACTIVE = 1;
    public static final int INACTIVE = 2;

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(needResults ? 1 : 0).writeUnsignedInt(flags);
    }

    public static ConnectListAllDomainsArgs decode(XdrDecoder in) {
        return new ConnectListAllDomainsArgs(in.readInt() != 0, in.readUnsignedInt());
    }
}
