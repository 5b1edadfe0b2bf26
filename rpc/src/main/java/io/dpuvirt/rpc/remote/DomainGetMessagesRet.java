package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.List;

/** {@code remote_domain_get_messages_ret}: up to 2048 messages (virsh dominfo prints them). */
public record DomainGetMessagesRet(List<String> msgs) implements XdrWritable {
    public DomainGetMessagesRet {
        msgs = List.copyOf(msgs);
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeArray(msgs, RemoteProgram.DOMAIN_MESSAGES_MAX, (o, s) -> o.writeString(s, RemoteProgram.STRING_MAX));
    }

    public static DomainGetMessagesRet decode(XdrDecoder in) {
        return new DomainGetMessagesRet(
                in.readArray(RemoteProgram.DOMAIN_MESSAGES_MAX, d -> d.readString(RemoteProgram.STRING_MAX)));
    }
}
