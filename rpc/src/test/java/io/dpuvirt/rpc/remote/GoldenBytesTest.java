package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.wire.ErrorCode;
import io.dpuvirt.rpc.wire.ErrorDomain;
import io.dpuvirt.rpc.wire.FrameWriter;
import io.dpuvirt.rpc.wire.Keepalive;
import io.dpuvirt.rpc.wire.MessageHeader;
import io.dpuvirt.rpc.wire.MessageStatus;
import io.dpuvirt.rpc.wire.NonnullDomain;
import io.dpuvirt.rpc.wire.RemoteError;
import io.dpuvirt.rpc.wire.RpcMessage;
import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrReader;
import io.dpuvirt.rpc.xdr.XdrWritable;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte sequences worked out by hand from virnetprotocol.x and remote_protocol.x; each line of hex is
 * one field, commented with where it comes from.
 */
class GoldenBytesTest {

    private static final UUID VM1_UUID = UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0");

    @Test
    void keepalivePingFrame() throws Exception {
        assertFrame(Keepalive.ping(),
                "0000001c", // length 28: the length word itself + a 24-byte header, no payload
                "6b656570", // prog: KEEPALIVE, "keep" in ASCII
                "00000001", // vers 1
                "00000001", // proc: PING
                "00000002", // type: MESSAGE
                "00000000", // serial: always 0 for messages
                "00000000"); // status: OK
    }

    @Test
    void authListCallFrame() throws Exception {
        assertFrame(RpcMessage.empty(MessageHeader.call(RemoteProgram.PROGRAM, RemoteProgram.VERSION, 66, 1)),
                "0000001c", // length 28: no args (void)
                "20008086", // prog: REMOTE
                "00000001", // vers 1
                "00000042", // proc 66: AUTH_LIST
                "00000000", // type: CALL
                "00000001", // serial 1
                "00000000"); // status: OK, always for calls
    }

    @Test
    void authListReplyFrame() throws Exception {
        MessageHeader call = MessageHeader.call(RemoteProgram.PROGRAM, RemoteProgram.VERSION, 66, 1);
        assertFrame(RpcMessage.of(call.reply(MessageStatus.OK), new AuthListRet(List.of(AuthType.NONE))),
                "00000024", // length 36 = 28 + 8 of payload
                "20008086 00000001 00000042", // prog, vers, proc copied from the call
                "00000001", // type: REPLY
                "00000001", // serial copied from the call
                "00000000", // status: OK
                "00000001", // types<20>: count 1
                "00000000"); // REMOTE_AUTH_NONE
    }

    @Test
    void connectOpenArgs() {
        assertEncodes(new ConnectOpenArgs(Optional.of("test:///default"), 0), ConnectOpenArgs::decode,
                "00000001", // remote_string name: present
                "0000000f", // string length 15
                "74657374 3a2f2f2f 64656661 756c7400", // "test:///default" and 1 byte of padding
                "00000000"); // unsigned int flags
    }

    @Test
    void nonnullDomain() {
        assertEncodes(new NonnullDomain("vm1", VM1_UUID, -1), NonnullDomain::decode,
                "00000003 766d3100", // remote_nonnull_string name: length 3, "vm1", 1 byte of padding
                "4dea22b3 1d52d8f3 2516782e 98ab3fa0", // remote_uuid: opaque[16], no length word
                "ffffffff"); // int id: -1, not running
    }

    @Test
    void domainGetInfoRet() {
        assertEncodes(new DomainGetInfoRet(1, 1048576, 524288, 2, 5), DomainGetInfoRet::decode,
                "00000001", // unsigned char state: RUNNING, in a whole 4-byte unit
                "00000000 00100000", // unsigned hyper maxMem: 1 GiB in KiB
                "00000000 00080000", // unsigned hyper memory: 512 MiB in KiB
                "00000002", // unsigned short nrVirtCpu, in a whole 4-byte unit
                "00000000 00000005"); // unsigned hyper cpuTime
    }

    @Test
    void nodeGetInfoRetModelIs128Bytes() {
        NodeGetInfoRet info = new NodeGetInfoRet("x86_64", 8388608, 2, 2400, 1, 1, 2, 1);
        assertEncodes(info, NodeGetInfoRet::decode,
                // char model[32]: each char a 4-byte unit, "x86_64" then 26 NULs
                "00000078 00000038 00000036 0000005f 00000036 00000034",
                "00000000".repeat(26),
                "00000000 00800000", // unsigned hyper memory: 8 GiB in KiB
                "00000002", // int cpus
                "00000960", // int mhz: 2400
                "00000001", // int nodes
                "00000001", // int sockets
                "00000002", // int cores
                "00000001"); // int threads
        assertThat(info.toXdr()).hasSize(128 + 8 + 6 * 4);
    }

    @Test
    void securityModelCarriesTheNul() {
        assertEncodes(NodeGetSecurityModelRet.none(), NodeGetSecurityModelRet::decode,
                "00000001 00000000", // char model<257>: one char, the NUL of ""
                "00000001 00000000"); // char doi<257>: likewise
    }

    @Test
    void remoteErrorNoSupport() {
        assertEncodes(RemoteError.of(ErrorCode.NO_SUPPORT, ErrorDomain.REMOTE, "unsupported"), RemoteError::decode,
                "00000003", // int code: VIR_ERR_NO_SUPPORT
                "0000000d", // int domain: VIR_FROM_REMOTE
                "00000001 0000000b 756e7375 70706f72 74656400", // remote_string message: present, 11 bytes, 1 pad
                "00000002", // int level: VIR_ERR_ERROR
                "00000000", // remote_domain dom: absent
                "00000000 00000000 00000000", // str1, str2, str3: absent
                "00000000 00000000", // int1, int2
                "00000000"); // remote_network net: absent
    }

    @Test
    void listAllDomainsRetWithOneDomain() {
        ConnectListAllDomainsRet ret = new ConnectListAllDomainsRet(
                List.of(new NonnullDomain("vm1", VM1_UUID, 3)), 1);
        assertEncodes(ret, ConnectListAllDomainsRet::decode,
                "00000001", // domains<16384>: count 1
                "00000003 766d3100 4dea22b3 1d52d8f3 2516782e 98ab3fa0 00000003", // name, uuid, id 3
                "00000001"); // unsigned int ret: 1 domain
    }

    private static <T extends XdrWritable> void assertEncodes(T value, XdrReader<T> decoder, String... hexFields) {
        byte[] expected = HexFormat.of().parseHex(String.join("", hexFields).replace(" ", ""));
        assertThat(HexFormat.of().formatHex(value.toXdr())).isEqualTo(HexFormat.of().formatHex(expected));
        XdrDecoder in = new XdrDecoder(expected);
        assertThat(decoder.read(in)).isEqualTo(value);
        in.expectEnd();
    }

    private static void assertFrame(RpcMessage message, String... hexFields) throws Exception {
        ByteBuffer frame = FrameWriter.encode(message);
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(String.join("", hexFields).replace(" ", ""));
    }
}
