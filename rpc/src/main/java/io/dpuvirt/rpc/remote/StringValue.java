package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * Every struct of one {@code remote_nonnull_string}: the rets of CONNECT_GET_TYPE {type},
 * GET_HOSTNAME {hostname}, GET_URI {uri}, GET_CAPABILITIES {capabilities}, DOMAIN_GET_XML_DESC {xml},
 * DOMAIN_GET_OS_TYPE {type}; the args of DOMAIN_LOOKUP_BY_NAME {name} and DOMAIN_DEFINE_XML {xml}.
 */
public record StringValue(String value) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        out.writeString(value, RemoteProgram.STRING_MAX);
    }

    public static StringValue decode(XdrDecoder in) {
        return new StringValue(in.readString(RemoteProgram.STRING_MAX));
    }
}
