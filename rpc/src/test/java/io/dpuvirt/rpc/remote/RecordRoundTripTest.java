package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.wire.NonnullDomain;
import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrException;
import io.dpuvirt.rpc.xdr.XdrWritable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every record of {@link RemoteCalls} decodes back to itself through the reader its signature names. */
class RecordRoundTripTest {
    private static final NonnullDomain DOM = new NonnullDomain("guest", UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"), 7);

    record Sample(RemoteCall<?, ?> signature, XdrWritable args, XdrWritable ret) {
        @Override
        public String toString() {
            return signature.procedure().name();
        }
    }

    static Stream<Sample> samples() {
        return Stream.of(
                new Sample(RemoteCalls.AUTH_LIST, Empty.INSTANCE, new AuthListRet(List.of(AuthType.NONE, AuthType.SASL))),
                new Sample(RemoteCalls.OPEN, new ConnectOpenArgs(Optional.empty(), ConnectOpenArgs.READ_ONLY), Empty.INSTANCE),
                new Sample(RemoteCalls.GET_LIB_VERSION, Empty.INSTANCE, UnsignedHyperValue.version(9, 0, 0)),
                new Sample(RemoteCalls.LIST_ALL_DOMAINS, new ConnectListAllDomainsArgs(true, 3),
                        new ConnectListAllDomainsRet(List.of(DOM), 1)),
                new Sample(RemoteCalls.LIST_DOMAINS, new IntValue(10), new ConnectListDomainsRet(List.of(1, 2, 3))),
                new Sample(RemoteCalls.LIST_DEFINED_DOMAINS, new IntValue(10), new ConnectListDefinedDomainsRet(List.of("a", "b"))),
                new Sample(RemoteCalls.LOOKUP_BY_UUID, new DomainLookupByUuidArgs(DOM.uuid()), new DomainValue(DOM)),
                new Sample(RemoteCalls.DEFINE_XML_FLAGS, new XmlFlags("<domain/>", 1), new DomainValue(DOM)),
                new Sample(RemoteCalls.CREATE_WITH_FLAGS, new DomainFlags(DOM, 1), new DomainValue(DOM)),
                new Sample(RemoteCalls.SET_AUTOSTART, new DomainSetAutostartArgs(DOM, true), Empty.INSTANCE),
                new Sample(RemoteCalls.GET_STATE, new DomainFlags(DOM, 0), new DomainGetStateRet(3, 1)),
                new Sample(RemoteCalls.GET_CONTROL_INFO, new DomainFlags(DOM, 0), new DomainGetControlInfoRet(0, 0, 1234)),
                new Sample(RemoteCalls.GET_JOB_INFO, new DomainValue(DOM),
                        new DomainGetJobInfoRet(2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1)),
                new Sample(RemoteCalls.GET_SCHEDULER_TYPE, new DomainValue(DOM), new DomainGetSchedulerTypeRet("posix", 5)),
                new Sample(RemoteCalls.GET_SECURITY_LABEL, new DomainValue(DOM), new SecurityLabel("unconfined", false)),
                new Sample(RemoteCalls.GET_SECURITY_LABEL_LIST, new DomainValue(DOM),
                        DomainGetSecurityLabelListRet.of(List.of(new SecurityLabel("a", true), new SecurityLabel("", false)))),
                new Sample(RemoteCalls.NODE_SECURITY_MODEL, Empty.INSTANCE, new NodeGetSecurityModelRet("apparmor", "0")),
                new Sample(RemoteCalls.GET_VCPUS, new DomainGetVcpusArgs(DOM, 2, 1),
                        new DomainGetVcpusRet(List.of(new VcpuInfo(0, 1, 99, 0), new VcpuInfo(1, 1, 98, -1)), new byte[] {1, 2})),
                new Sample(RemoteCalls.GET_MESSAGES, new DomainFlags(DOM, 0), new DomainGetMessagesRet(List.of("tainted"))),
                new Sample(RemoteCalls.OPEN_CONSOLE, new DomainOpenConsoleArgs(DOM, Optional.of("serial0"), 2), Empty.INSTANCE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void argsAndRetDecodeToThemselves(Sample sample) {
        assertRoundTrip(sample.args(), sample.signature().args()::read);
        assertRoundTrip(sample.ret(), sample.signature().ret()::read);
    }

    @Test
    void decodesFromAByteBuffer() {
        ByteBuffer buffer = ByteBuffer.wrap(new DomainValue(DOM).toXdr());
        assertThat(DomainValue.decode(XdrDecoder.of(buffer))).isEqualTo(new DomainValue(DOM));
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @Test
    void readOnlyFlag() {
        assertThat(new ConnectOpenArgs(Optional.of("qemu:///system"), 1).readOnly()).isTrue();
        assertThat(new ConnectOpenArgs(Optional.of("qemu:///system"), 0).readOnly()).isFalse();
    }

    @Test
    void cStringsMustFitWithTheirNul() {
        assertThatThrownBy(() -> new NodeGetInfoRet("x".repeat(32), 0, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(XdrException.class)
                .hasMessage("CPU model of 32 bytes does not fit in 32 bytes with its terminating NUL");
        assertThat(new NodeGetInfoRet("x".repeat(31), 0, 0, 0, 0, 0, 0, 0).toXdr()).hasSize(160);
    }

    private static void assertRoundTrip(XdrWritable value, java.util.function.Function<XdrDecoder, ?> reader) {
        XdrDecoder in = new XdrDecoder(value.toXdr());
        assertThat(reader.apply(in)).isEqualTo(value);
        in.expectEnd();
    }
}
