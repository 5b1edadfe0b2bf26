package io.dpuvirt.rpc.wire;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.Optional;

/**
 * {@code remote_error} ({@code virNetMessageError}): the payload of every ERROR reply or stream
 * packet. {@code code}, {@code domain} and {@code level} are libvirt's enums as raw numbers, so an
 * error from a newer peer still decodes; {@code dom} and {@code net} are unused by libvirt itself.
 */
public record RemoteError(int code, int domain, Optional<String> message, int level,
                          Optional<NonnullDomain> dom, Optional<String> str1, Optional<String> str2,
                          Optional<String> str3, int int1, int int2, Optional<NonnullNetwork> net)
        implements XdrWritable {

    /** An error as a server raises it: a code, where it came from, and a message; level ERROR. */
    public static RemoteError of(ErrorCode code, ErrorDomain domain, String message) {
        return new RemoteError(code.code(), domain.code(), Optional.of(message), ErrorLevel.ERROR.code(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, Optional.empty());
    }

    public Optional<ErrorCode> knownCode() {
        return ErrorCode.of(code);
    }

    public boolean is(ErrorCode expected) {
        return code == expected.code();
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(code).writeInt(domain);
        out.writeOptional(message, RemoteError::writeString);
        out.writeInt(level);
        out.writeOptional(dom, (o, d) -> d.encode(o));
        out.writeOptional(str1, RemoteError::writeString);
        out.writeOptional(str2, RemoteError::writeString);
        out.writeOptional(str3, RemoteError::writeString);
        out.writeInt(int1).writeInt(int2);
        out.writeOptional(net, (o, n) -> n.encode(o));
    }

    public static RemoteError decode(XdrDecoder in) {
        return new RemoteError(in.readInt(), in.readInt(), in.readOptional(RemoteError::readString), in.readInt(),
                in.readOptional(NonnullDomain::decode), in.readOptional(RemoteError::readString),
                in.readOptional(RemoteError::readString), in.readOptional(RemoteError::readString),
                in.readInt(), in.readInt(), in.readOptional(NonnullNetwork::decode));
    }

    @Override
    public String toString() {
        String name = knownCode().map(Enum::name).orElse("code " + code);
        return message.orElse("(no message)") + " [" + name + ", domain " + domain + "]";
    }

    private static void writeString(XdrEncoder out, String value) {
        out.writeString(value, Framing.STRING_MAX);
    }

    private static String readString(XdrDecoder in) {
        return in.readString(Framing.STRING_MAX);
    }
}
