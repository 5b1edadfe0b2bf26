package io.dpuvirt.rpc.server;

import io.dpuvirt.rpc.remote.Procedure;
import io.dpuvirt.rpc.remote.RemoteProgram;
import io.dpuvirt.rpc.wire.ErrorCode;
import io.dpuvirt.rpc.wire.FrameReader;
import io.dpuvirt.rpc.wire.FrameWriter;
import io.dpuvirt.rpc.wire.Keepalive;
import io.dpuvirt.rpc.wire.MessageHeader;
import io.dpuvirt.rpc.wire.MessageStatus;
import io.dpuvirt.rpc.wire.MessageType;
import io.dpuvirt.rpc.wire.RemoteError;
import io.dpuvirt.rpc.wire.RpcMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The server core against hand-made frames: what a misbehaving or foreign client gets. */
@Timeout(30)
class RawProtocolTest {
    @TempDir
    Path dir;

    private final TestDaemon daemon = new TestDaemon();
    private RpcServer server;
    private SocketChannel socket;
    private FrameReader reader;
    private FrameWriter writer;

    @BeforeEach
    void connect() throws Exception {
        server = RpcServer.start(ServerConfig.at(dir.resolve("sock")), daemon::handlerFor);
        socket = SocketChannel.open(UnixDomainSocketAddress.of(server.socketPath()));
        reader = new FrameReader(socket);
        writer = new FrameWriter(socket);
    }

    @AfterEach
    void close() throws Exception {
        socket.close();
        server.close();
    }

    private RpcMessage exchange(RpcMessage message) throws Exception {
        writer.write(message);
        return reader.read().orElseThrow();
    }

    private static MessageHeader call(int program, int procedure, int serial) {
        return MessageHeader.call(program, RemoteProgram.VERSION, procedure, serial);
    }

    @Test
    void pingIsAnsweredWithPong() throws Exception {
        assertThat(exchange(Keepalive.ping())).isEqualTo(Keepalive.pong());
    }

    @Test
    void onlyAKeepaliveMessageOfVersionOneIsTakenForOne() throws Exception {
        // libvirt's virKeepaliveCheckMessage: program, version 1 and type MESSAGE; a CALL naming the program is a
        // call of an unknown program, a MESSAGE of another version or procedure is dropped without an answer
        RpcMessage call = exchange(RpcMessage.empty(MessageHeader.call(Keepalive.PROGRAM, Keepalive.VERSION,
                Keepalive.PROC_PING, 9)));
        assertThat(call.header().type()).isEqualTo(MessageType.REPLY);
        assertThat(RemoteError.decode(call.payloadDecoder()).message())
                .contains("cannot find program 0x6b656570 version 1");
        writer.write(RpcMessage.empty(new MessageHeader(Keepalive.PROGRAM, 2, Keepalive.PROC_PING, MessageType.MESSAGE,
                0, MessageStatus.OK)));
        writer.write(RpcMessage.empty(new MessageHeader(Keepalive.PROGRAM, Keepalive.VERSION, 3, MessageType.MESSAGE,
                0, MessageStatus.OK)));
        assertThat(exchange(Keepalive.ping())).isEqualTo(Keepalive.pong()); // the first answer is this one's
    }

    @Test
    void authListAnswersNone() throws Exception {
        RpcMessage reply = exchange(RpcMessage.empty(call(RemoteProgram.PROGRAM, Procedure.AUTH_LIST.number(), 5)));
        assertThat(reply.header()).isEqualTo(call(RemoteProgram.PROGRAM, 66, 5).reply(MessageStatus.OK));
        assertThat(reply.payload()).containsExactly(0, 0, 0, 1, 0, 0, 0, 0);
    }

    @Test
    void unknownProcedureNumberIsNoSupport() throws Exception {
        RpcMessage reply = exchange(RpcMessage.empty(call(RemoteProgram.PROGRAM, 9999, 6)));
        assertThat(reply.header().status()).isEqualTo(MessageStatus.ERROR);
        RemoteError error = RemoteError.decode(reply.payloadDecoder());
        assertThat(error.is(ErrorCode.NO_SUPPORT)).isTrue();
        assertThat(error.message()).contains("this function is not supported by the connection driver: procedure 9999");
    }

    @Test
    void unknownProgramIsAnRpcError() throws Exception {
        RpcMessage reply = exchange(RpcMessage.empty(call(0x12345678, 1, 7)));
        assertThat(reply.header().type()).isEqualTo(MessageType.REPLY);
        RemoteError error = RemoteError.decode(reply.payloadDecoder());
        assertThat(error.is(ErrorCode.RPC)).isTrue();
        assertThat(error.message()).contains("cannot find program 0x12345678 version 1");
    }

    @Test
    void undecodableArgumentsAreAnRpcErrorAndTheConnectionGoesOn() throws Exception {
        // DOMAIN_LOOKUP_BY_NAME with a string length of 100 and no bytes behind it
        RpcMessage bad = new RpcMessage(call(RemoteProgram.PROGRAM, Procedure.DOMAIN_LOOKUP_BY_NAME.number(), 8),
                new byte[] {0, 0, 0, 100});
        RemoteError error = RemoteError.decode(exchange(bad).payloadDecoder());
        assertThat(error.is(ErrorCode.RPC)).isTrue();
        assertThat(error.message()).contains("cannot decode the arguments of DOMAIN_LOOKUP_BY_NAME: string length 100 exceeds the 0 bytes left");
        assertThat(exchange(Keepalive.ping())).isEqualTo(Keepalive.pong());
    }

    @Test
    void aSlowCallHoldsUpNeitherTheNextCallOfItsClientNorAKeepalive() throws Exception {
        daemon.delayHostname(Duration.ofSeconds(2));
        writer.write(RpcMessage.empty(call(RemoteProgram.PROGRAM, Procedure.CONNECT_GET_HOSTNAME.number(), 1)));
        RpcMessage next = exchange(RpcMessage.empty(call(RemoteProgram.PROGRAM, Procedure.AUTH_LIST.number(), 2)));
        assertThat(next.header().serial()).isEqualTo(2);
        assertThat(exchange(Keepalive.ping())).isEqualTo(Keepalive.pong());
        RpcMessage slow = reader.read().orElseThrow();
        assertThat(slow.header().serial()).isEqualTo(1);
        assertThat(slow.header().status()).isEqualTo(MessageStatus.OK);
    }

    @Test
    void aClientThatLeavesDuringACallEndsItsConnectionAndTheServerServesTheNext() throws Exception {
        daemon.delayHostname(Duration.ofMillis(500));
        writer.write(RpcMessage.empty(call(RemoteProgram.PROGRAM, Procedure.CONNECT_GET_HOSTNAME.number(), 1)));
        socket.close(); // the call's answer has nowhere to go
        try (SocketChannel next = SocketChannel.open(UnixDomainSocketAddress.of(server.socketPath()))) {
            new FrameWriter(next).write(Keepalive.ping());
            assertThat(new FrameReader(next).read().orElseThrow()).isEqualTo(Keepalive.pong());
        }
    }

    @Test
    void malformedFrameClosesTheConnection() throws Exception {
        socket.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 5}));
        assertThat(socket.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }
}
