package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.List;

/** {@code remote_connect_list_defined_domains_ret}: the names of inactive persistent domains. */
public record ConnectListDefinedDomainsRet(List<String> names) implements XdrWritable {
    public ConnectListDefinedDomainsRet {
        names = List.copyOf(names);
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeArray(names, RemoteProgram.DOMAIN_LIST_MAX, (o, s) -> o.writeString(s, RemoteProgram.STRING_MAX));
    }

    public static ConnectListDefinedDomainsRet decode(XdrDecoder in) {
        return new ConnectListDefinedDomainsRet(
                in.readArray(RemoteProgram.DOMAIN_LIST_MAX, d -> d.readString(RemoteProgram.STRING_MAX)));
    }
}
