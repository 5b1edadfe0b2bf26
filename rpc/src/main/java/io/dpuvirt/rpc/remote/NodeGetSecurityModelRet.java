package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * {@code remote_node_get_security_model_ret}: {@code char model<257>; char doi<257>}, C strings sent
 * with their NUL. An empty model means "no security driver"; virsh dominfo then skips the label.
 */
public record NodeGetSecurityModelRet(String model, String doi) implements XdrWritable {
    public NodeGetSecurityModelRet {
        CStrings.requireFits(model, RemoteProgram.SECURITY_MODEL_MAX, "security model");
        CStrings.requireFits(doi, RemoteProgram.SECURITY_DOI_MAX, "security DOI");
    }

    public static NodeGetSecurityModelRet none() {
        return new NodeGetSecurityModelRet("", "");
    }

    @Override
    public void encode(XdrEncoder out) {
        CStrings.writeVariable(out, model, RemoteProgram.SECURITY_MODEL_MAX);
        CStrings.writeVariable(out, doi, RemoteProgram.SECURITY_DOI_MAX);
    }

    public static NodeGetSecurityModelRet decode(XdrDecoder in) {
        return new NodeGetSecurityModelRet(CStrings.readVariable(in, RemoteProgram.SECURITY_MODEL_MAX),
                CStrings.readVariable(in, RemoteProgram.SECURITY_DOI_MAX));
    }
}
