package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.List;

/** {@code remote_domain_get_security_label_list_ret}: up to 64 labels and {@code int ret} (their count). */
public record DomainGetSecurityLabelListRet(List<SecurityLabel> labels, int ret) implements XdrWritable {
    public DomainGetSecurityLabelListRet {
        labels = List.copyOf(labels);
    }

    public static DomainGetSecurityLabelListRet of(List<SecurityLabel> labels) {
        return new DomainGetSecurityLabelListRet(labels, labels.size());
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeArray(labels, RemoteProgram.SECURITY_LABEL_LIST_MAX, (o, l) -> l.encode(o));
        out.writeInt(ret);
    }

    public static DomainGetSecurityLabelListRet decode(XdrDecoder in) {
        return new DomainGetSecurityLabelListRet(
                in.readArray(RemoteProgram.SECURITY_LABEL_LIST_MAX, SecurityLabel::decode), in.readInt());
    }
}
