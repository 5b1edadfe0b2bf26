package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * {@code remote_domain_get_security_label_ret}: {@code char label<4097>} (a C string sent with its
 * NUL) and {@code int enforcing}. Also the element of the _LIST variant.
 */
public record SecurityLabel(String label, boolean enforcing) implements XdrWritable {
    public SecurityLabel {
        CStrings.requireFits(label, RemoteProgram.SECURITY_LABEL_MAX, "security label");
    }

    @Override
    public void encode(XdrEncoder out) {
        CStrings.writeVariable(out, label, RemoteProgram.SECURITY_LABEL_MAX);
        out.writeInt(enforcing ? 1 : 0);
    }

    public static SecurityLabel decode(XdrDecoder in) {
        return new SecurityLabel(CStrings.readVariable(in, RemoteProgram.SECURITY_LABEL_MAX), in.readInt() != 0);
    }
}
