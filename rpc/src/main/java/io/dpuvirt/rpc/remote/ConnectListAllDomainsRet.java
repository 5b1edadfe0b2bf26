package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.wire.NonnullDomain;
import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.List;

/**
 * {@code remote_connect_list_all_domains_ret}: the domains (empty unless results were asked for) and
 * {@code unsigned int ret}, how many matched.
 */
public record ConnectListAllDomainsRet(List<NonnullDomain> domains, int ret) implements XdrWritable {
    public ConnectListAllDomainsRet {
        domains = List.copyOf(domains);
    }

    /** The answer to {@code args}: the domains if asked for, and their count either way. */
    public static ConnectListAllDomainsRet answering(ConnectListAllDomainsArgs args, List<NonnullDomain> matching) {
        return new ConnectListAllDomainsRet(args.needResults() ? matching : List.of(), matching.size());
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeArray(domains, RemoteProgram.DOMAIN_LIST_MAX, (o, d) -> d.encode(o));
        out.writeUnsignedInt(ret);
    }

    public static ConnectListAllDomainsRet decode(XdrDecoder in) {
        return new ConnectListAllDomainsRet(in.readArray(RemoteProgram.DOMAIN_LIST_MAX, NonnullDomain::decode),
                in.readUnsignedInt());
    }
}
