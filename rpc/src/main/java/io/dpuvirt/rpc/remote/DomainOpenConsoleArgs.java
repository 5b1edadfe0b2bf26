package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.wire.NonnullDomain;
import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.Optional;

/**
 * {@code remote_domain_open_console_args}: the console device alias (absent: the first console) and
 * {@code VIR_DOMAIN_CONSOLE_*} flags (1 FORCE, 2 SAFE).
 */
public record DomainOpenConsoleArgs(NonnullDomain dom, Optional<String> devName, int flags) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        dom.encode(out);
        out.writeOptional(devName, (o, s) -> o.writeString(s, RemoteProgram.STRING_MAX));
        out.writeUnsignedInt(flags);
    }

    public static DomainOpenConsoleArgs decode(XdrDecoder in) {
        return new DomainOpenConsoleArgs(NonnullDomain.decode(in),
                in.readOptional(d -> d.readString(RemoteProgram.STRING_MAX)), in.readUnsignedInt());
    }
}
