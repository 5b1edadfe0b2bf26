package io.dpuvirt.rpc.wire;

/**
 * The KEEPALIVE program ({@code virkeepaliveprotocol.x}): PING and PONG are MESSAGEs with serial 0,
 * status OK and no payload. Either side may ping; the other must pong, even while calls are running.
 */
public final class Keepalive {
    /** "keep" in ASCII. */
    public static final int PROGRAM = 0x6b656570;
    public static final int VERSION = 1;
    public static final int PROC_PING = 1;
    public static final int PROC_PONG = 2;

    private Keepalive() {
    }

    public static RpcMessage ping() {
        return message(PROC_PING);
    }

    public static RpcMessage pong() {
        return message(PROC_PONG);
    }

    /**
     * A message of this program as libvirt's {@code virKeepaliveCheckMessage} recognises one: version 1 and type
     * MESSAGE, whatever the procedure (an unknown one is ignored). Anything else naming the program, a CALL or
     * another version, is an ordinary message of an unknown program: a CALL gets "cannot find program".
     */
    public static boolean isKeepalive(MessageHeader header) {
        return header.program() == PROGRAM && header.version() == VERSION && header.type() == MessageType.MESSAGE;
    }

    public static boolean isPing(MessageHeader header) {
        return isKeepalive(header) && header.procedure() == PROC_PING;
    }

    public static boolean isPong(MessageHeader header) {
        return isKeepalive(header) && header.procedure() == PROC_PONG;
    }

    private static RpcMessage message(int procedure) {
        return RpcMessage.empty(new MessageHeader(PROGRAM, VERSION, procedure, MessageType.MESSAGE, 0,
                MessageStatus.OK));
    }
}
