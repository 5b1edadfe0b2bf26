package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.List;

/** {@code remote_auth_list_ret}: {@code remote_auth_type types<REMOTE_AUTH_TYPE_LIST_MAX>}. */
public record AuthListRet(List<AuthType> types) implements XdrWritable {
    public AuthListRet {
        types = List.copyOf(types);
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeArray(types, RemoteProgram.AUTH_TYPE_LIST_MAX, (o, t) -> o.writeInt(t.code()));
    }

    public static AuthListRet decode(XdrDecoder in) {
        return new AuthListRet(in.readArray(RemoteProgram.AUTH_TYPE_LIST_MAX, d -> AuthType.of(d.readInt())));
    }
}
