package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * {@code {remote_nonnull_string xml; unsigned int flags;}}: the args of DOMAIN_DEFINE_XML_FLAGS
 * and of DOMAIN_CREATE_XML (whose field is named {@code xml_desc}).
 */
public record XmlFlags(String xml, int flags) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        out.writeString(xml, RemoteProgram.STRING_MAX);
        out.writeUnsignedInt(flags);
    }

    public static XmlFlags decode(XdrDecoder in) {
        return new XmlFlags(in.readString(RemoteProgram.STRING_MAX), in.readUnsignedInt());
    }
}
