package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.List;

/** {@code remote_connect_list_domains_ret}: the ids of running domains. */
public record ConnectListDomainsRet(List<Integer> ids) implements XdrWritable {
    public ConnectListDomainsRet {
        ids = List.copyOf(ids);
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeArray(ids, RemoteProgram.DOMAIN_LIST_MAX, XdrEncoder::writeInt);
    }

    public static ConnectListDomainsRet decode(XdrDecoder in) {
        return new ConnectListDomainsRet(in.readArray(RemoteProgram.DOMAIN_LIST_MAX, XdrDecoder::readInt));
    }
}
