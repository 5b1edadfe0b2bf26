package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.WindowSize;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SPAWN, EXITED, FAILED and file requests' payloads: round trips, byte-exact strings, and malformed input refused. */
class ProtocolTest {
    private static final ByteString NOT_UTF8 = ByteString.of(new byte[] {'a', (byte) 0xff, (byte) 0xfe, 'b'});

    private static ByteBuffer payloadOf(ByteBuffer frame) {
        assertThat(Protocol.type(frame, 0)).isEqualTo(Protocol.SPAWN);
        return frame.slice(Protocol.HEADER, frame.getInt(4));
    }

    @Test
    void spawnRequestsRoundTripByteForByte() throws Exception {
        SpawnRequest request = SpawnRequest.of(List.of(ByteString.of("/bin/echo"), ByteString.of("two words"), ByteString.EMPTY,
                        ByteString.of("q\"uote's"), NOT_UTF8))
                .withEnvironment(List.of(ByteString.of("A=1"), ByteString.of("EMPTY="), ByteString.of("X=").concat(NOT_UTF8)))
                .withDirectory(NOT_UTF8)
                .withTerminal(new WindowSize(50, 132, 1, 2))
                .withStdinFromNull()
                .withFds(List.of(new PassedFd(3, 17), new PassedFd(9, 4)));

        SpawnRequest decoded = SpawnRequest.decode(payloadOf(request.encode()), new int[] {17, 4});

        assertThat(decoded).isEqualTo(request);
        assertThat(decoded.argv().get(4).toByteArray()).containsExactly('a', 0xff, 0xfe, 'b');
    }

    @Test
    void aPreferredDirectoryIsNotRequired() throws Exception {
        SpawnRequest request = SpawnRequest.of("/bin/true").withPreferredDirectory(ByteString.of("/somewhere"));
        SpawnRequest decoded = SpawnRequest.decode(payloadOf(request.encode()), new int[0]);
        assertThat(decoded.directoryRequired()).isFalse();
        assertThat(decoded.terminal()).isEmpty();
        assertThat(decoded.stdinFromNull()).isFalse();
    }

    @Test
    void malformedSpawnsAreProtocolErrors() {
        ByteBuffer good = payloadOf(SpawnRequest.of("/bin/true", "x").encode());
        ByteBuffer truncated = good.slice(0, good.remaining() - 3);
        assertThatThrownBy(() -> SpawnRequest.decode(truncated, new int[0])).isInstanceOf(ProtocolException.class).hasMessageContaining("malformed SPAWN");

        ByteBuffer wrongVersion = copy(good).putShort(0, (short) 9);
        assertThatThrownBy(() -> SpawnRequest.decode(wrongVersion, new int[0])).hasMessage("client speaks rexec protocol version 9, this server 4");

        ByteBuffer hugeCount = copy(good).putInt(12, Integer.MAX_VALUE);
        assertThatThrownBy(() -> SpawnRequest.decode(hugeCount, new int[0])).hasMessageContaining("strings announced");

        assertThatThrownBy(() -> SpawnRequest.decode(good.duplicate(), new int[] {5}))
                .hasMessage("SPAWN names 0 descriptors but 1 came with it");
    }

    private static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer.duplicate()).flip();
        return copy;
    }

    @Test
    void requestsCheckWhatTheyCarry() {
        assertThatThrownBy(() -> SpawnRequest.of(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("argv[0] must name the program");
        assertThatThrownBy(() -> SpawnRequest.of("/bin/echo", "nul\0inside"))
                .hasMessageContaining("cannot contain NUL bytes");
        assertThatThrownBy(() -> new PassedFd(2, 7)).hasMessageContaining("must be 3 to 1023");
        assertThatThrownBy(() -> SpawnRequest.of("/bin/true").withFds(List.of(new PassedFd(5, 1), new PassedFd(5, 2))))
                .hasMessageContaining("same target number");
    }

    @Test
    void exitStatusesDecodeLikeAShell() throws Exception {
        assertThat(ExitStatus.ofWaitStatus(3 << 8)).isEqualTo(ExitStatus.exited(3));
        assertThat(ExitStatus.ofWaitStatus(15)).isEqualTo(ExitStatus.killed(15));
        assertThat(ExitStatus.ofWaitStatus(0x80 | 11)).isEqualTo(new ExitStatus(0, 11, true));
        assertThat(ExitStatus.killed(9).shellStatus()).isEqualTo(137);
        assertThat(ExitStatus.exited(42).shellStatus()).isEqualTo(42);
        assertThat(ExitStatus.killed(15)).hasToString("killed by SIGTERM");
        assertThat(new ExitStatus(0, 6, true)).hasToString("killed by SIGABRT (core dumped)");

        for (ExitStatus status : List.of(ExitStatus.exited(0), ExitStatus.exited(255), ExitStatus.killed(64), new ExitStatus(0, 11, true))) {
            ByteBuffer payload = ByteBuffer.allocate(8);
            status.encode(payload);
            assertThat(ExitStatus.decode(payload.flip())).isEqualTo(status);
        }
    }

    @Test
    void failuresCarryStatusAndMessage() {
        ByteBuffer frame = new SpawnFailedException(127, "zzz: not found on the server").failure().encode();
        assertThat(Protocol.type(frame, 0)).isEqualTo(Protocol.FAILED);
        SpawnFailedException decoded = SpawnFailedException.of(Failure.decode(frame.slice(Protocol.HEADER, frame.getInt(4))));
        assertThat(decoded.exitStatus()).isEqualTo(127);
        assertThat(decoded).hasMessage("zzz: not found on the server");

        for (RequestRefusedException refusal : List.of(RequestRefusedException.gone("pid 5 has ended"), RequestRefusedException.refused("no"))) {
            ByteBuffer refused = refusal.failure().encode();
            RequestRefusedException back = RequestRefusedException.of(Failure.decode(refused.slice(Protocol.HEADER, refused.getInt(4))));
            assertThat(back.programGone()).isEqualTo(refusal.programGone());
            assertThat(back).hasMessage(refusal.getMessage());
        }
    }

    @Test
    void detachedSpawnsCarryTheirOutputFilesAndNeitherTerminalNorStdin() throws Exception {
        SpawnRequest request = SpawnRequest.of("/usr/bin/qemu-kvm", "-name", "vm1")
                .withFds(List.of(new PassedFd(3, 11)))
                .withDetached(new DetachedFiles(ByteString.of("/var/log/vm1.log"), ByteString.EMPTY, ByteString.of("/run/dpuvirt/vm1")));
        assertThat(request.stdinFromNull()).isTrue();
        SpawnRequest decoded = SpawnRequest.decode(payloadOf(request.encode()), new int[] {11});
        assertThat(decoded).isEqualTo(request);
        assertThat(decoded.detached()).contains(new DetachedFiles(ByteString.of("/var/log/vm1.log"), ByteString.EMPTY, ByteString.of("/run/dpuvirt/vm1")));

        assertThatThrownBy(() -> request.withTerminal(new WindowSize(24, 80, 0, 0))).hasMessageContaining("a detached program has no terminal");
        assertThatThrownBy(() -> DetachedFiles.appendTo(java.nio.file.Path.of("relative.log"), java.nio.file.Path.of("/x")))
                .hasMessageContaining("absolute path");
    }

    @Test
    void requestsAboutDetachedProgramsRoundTrip() throws Exception {
        ProgramId program = new ProgramId(4242, 123_456_789_012L);
        java.util.BitSet cpus = new java.util.BitSet();
        cpus.set(0);
        cpus.set(9);
        cpus.set(200);
        for (ProgramRequest request : List.of(new ProgramRequest.Signal(program, 15), new ProgramRequest.Status(program),
                new ProgramRequest.Watch(program), new ProgramRequest.Watch(program, "/var/lib/dpuvirt/qemu/domain-1-vm"),
                new ProgramRequest.Affinity(program, 4243, cpus), new ProgramRequest.CpuTime(program))) {
            ByteBuffer frame = request.encode();
            assertThat(ProgramRequest.isProgramRequest(Protocol.type(frame, 0))).isTrue();
            assertThat(ProgramRequest.decode(Protocol.type(frame, 0), frame.slice(Protocol.HEADER, frame.getInt(4)))).isEqualTo(request);
        }
        ByteBuffer signal = new ProgramRequest.Signal(program, 15).encode();
        ByteBuffer truncated = signal.slice(Protocol.HEADER, signal.getInt(4) - 1);
        assertThatThrownBy(() -> ProgramRequest.decode(Protocol.DETACHED_SIGNAL, truncated)).hasMessage("malformed DETACHED_SIGNAL: truncated");
        ByteBuffer noSuchSignal = copy(signal.slice(Protocol.HEADER, signal.getInt(4))).putInt(ProgramId.BYTES, 99);
        assertThatThrownBy(() -> ProgramRequest.decode(Protocol.DETACHED_SIGNAL, noSuchSignal)).hasMessage("malformed DETACHED_SIGNAL: no signal 99");
        assertThatThrownBy(() -> new ProgramRequest.Affinity(program, 1, new java.util.BitSet())).hasMessageContaining("cannot be pinned");
        assertThatThrownBy(() -> new ProgramRequest.Watch(program, "relative/dir")).hasMessageContaining("absolute path");
    }

    @Test
    void anEndIsAnExitStatusOrUnknown() throws Exception {
        for (ProgramState.Ended end : List.of(ProgramState.Ended.of(ExitStatus.exited(3)), ProgramState.Ended.of(ExitStatus.killed(9)),
                ProgramState.Ended.withUnknownStatus())) {
            ByteBuffer payload = ByteBuffer.allocate(8);
            end.encode(payload);
            assertThat(ProgramState.Ended.decode(payload.flip())).isEqualTo(end);
        }
        // an attached program's EXITED is never "unknown": its client takes kind 2 for a broken frame
        ByteBuffer unknown = ByteBuffer.allocate(8);
        ProgramState.Ended.withUnknownStatus().encode(unknown);
        assertThatThrownBy(() -> ExitStatus.decode(unknown.flip())).isInstanceOf(ProtocolException.class);
    }

    @Test
    void oversizedFramesAreRefusedBeforeAnyAllocation() {
        ByteBuffer header = ByteBuffer.allocate(Protocol.HEADER);
        Protocol.putHeader(header, Protocol.STDOUT, Protocol.MAX_DATA + 1);
        assertThatThrownBy(() -> Protocol.length(header, 0, Protocol.MAX_DATA))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("announces 131073 bytes, more than the 131072 allowed");
    }

    @Test
    void fileRequestsRoundTrip() throws Exception {
        for (FileRequest request : List.of(new FileRequest.Read("/proc/cpuinfo"), new FileRequest.Write("/var/lib/libvirt/qemu/nvram/vm1_VARS.fd", 0600,
                        ByteString.of(new byte[] {0, (byte) 0xff, 'x'})), new FileRequest.Write("/run/empty", 0644, ByteString.EMPTY),
                new FileRequest.Delete("/run/libvirt/qemu/vm1.pid"), new FileRequest.Exists("/dev/kvm"),
                new FileRequest.MakeDirectories("/var/log/libvirt/qemu", 0755), new FileRequest.MakePrivateDirectory("/run/libvirt/qemu/vm1 é"))) {
            ByteBuffer frame = request.encode();
            int type = Protocol.type(frame, 0);
            assertThat(FileRequest.isFileRequest(type)).isTrue();
            assertThat(ProgramRequest.isProgramRequest(type)).isFalse();
            assertThat(frame.getInt(4)).isEqualTo(frame.remaining() - Protocol.HEADER);
            assertThat(FileRequest.decode(type, frame.slice(Protocol.HEADER, frame.getInt(4)))).isEqualTo(request);
        }
        assertThat(Protocol.typeName(Protocol.MKDIR_PRIVATE)).isEqualTo("MKDIR_PRIVATE");
        assertThat(Protocol.typeName(Protocol.FILE_DATA)).isEqualTo("FILE_DATA");
    }

    @Test
    void malformedFileRequestsAreProtocolErrors() {
        ByteBuffer write = new FileRequest.Write("/run/x", 0600, ByteString.of("content")).encode();
        ByteBuffer payload = write.slice(Protocol.HEADER, write.getInt(4));
        assertThatThrownBy(() -> FileRequest.decode(Protocol.FILE_WRITE, payload.slice(0, 8)))
                .isInstanceOf(ProtocolException.class).hasMessage("malformed FILE_WRITE: truncated");
        ByteBuffer setuid = copy(payload).putInt(4 + "/run/x".length(), 04755);
        assertThatThrownBy(() -> FileRequest.decode(Protocol.FILE_WRITE, setuid))
                .hasMessage("malformed FILE_WRITE: mode 04755 is more than permission bits (0777)");
        ByteBuffer relative = copy(payload).put(4, (byte) 'r');
        assertThatThrownBy(() -> FileRequest.decode(Protocol.FILE_WRITE, relative)).hasMessageContaining("an absolute path");
        ByteBuffer notUtf8 = copy(payload).put(6, (byte) 0xff);
        assertThatThrownBy(() -> FileRequest.decode(Protocol.FILE_WRITE, notUtf8)).hasMessage("malformed FILE_WRITE: its path is not UTF-8");
        ByteBuffer longPath = copy(payload).putInt(0, FileRequest.MAX_PATH + 1);
        assertThatThrownBy(() -> FileRequest.decode(Protocol.FILE_WRITE, longPath)).hasMessage("malformed FILE_WRITE: a path of 4097 bytes");
        ByteBuffer exists = new FileRequest.Exists("/dev/kvm").encode();
        ByteBuffer trailing = ByteBuffer.allocate(exists.getInt(4) + 1).put(exists.slice(Protocol.HEADER, exists.getInt(4))).put((byte) 1).flip();
        assertThatThrownBy(() -> FileRequest.decode(Protocol.FILE_EXISTS, trailing)).hasMessage("malformed FILE_EXISTS: 1 bytes after its last field");
        assertThatThrownBy(() -> new FileRequest.Read("/nul\0inside")).hasMessageContaining("without NUL");
    }

    @Test
    void aFailedFileCallCarriesItsErrno() {
        ByteBuffer frame = Failure.ofErrno(io.dpuvirt.common.linux.Errno.ENOENT).encode();
        Failure decoded = Failure.decode(frame.slice(Protocol.HEADER, frame.getInt(4)));
        assertThat(decoded.status()).isEqualTo(Failure.ERRNO + 2);
        assertThat(decoded.message()).isEqualTo("ENOENT (No such file or directory)");
        assertThat(RequestRefusedException.refused("x").failure().status()).isLessThan(Failure.ERRNO);
    }

    /** A wire that hands out what it holds a few bytes at a time, as a socket may. */
    private static final class BufferWire implements Wire {
        private final ByteBuffer bytes;

        BufferWire(ByteBuffer bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(ByteBuffer into) {
            if (!bytes.hasRemaining()) {
                return -1;
            }
            int n = Math.min(Math.min(into.remaining(), bytes.remaining()), 100_000);
            into.put(bytes.slice(bytes.position(), n));
            bytes.position(bytes.position() + n);
            return n;
        }

        @Override
        public void write(ByteBuffer from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean quiet() {
            return !bytes.hasRemaining();
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public void abort() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aFrameReaderGrowsForAFileButNoFurtherThanItsLimit() throws Exception {
        int size = 3 * Protocol.MAX_DATA + 5;
        ByteBuffer frames = ByteBuffer.allocate(2 * Protocol.HEADER + size + 1);
        Protocol.putHeader(frames, Protocol.FILE_DATA, size);
        for (int i = 0; i < size; i++) {
            frames.put((byte) i);
        }
        Protocol.putHeader(frames, Protocol.BOOLEAN, 1);
        frames.put((byte) 1).flip();
        FrameReader reader = new FrameReader(new BufferWire(frames), Protocol.MAX_FILE);
        FrameReader.Frame data = reader.next();
        assertThat(data.type()).isEqualTo(Protocol.FILE_DATA);
        assertThat(data.payload().remaining()).isEqualTo(size);
        assertThat(data.payload().get(size - 1)).isEqualTo((byte) (size - 1));
        FrameReader.Frame answer = reader.next();
        assertThat(answer.type()).isEqualTo(Protocol.BOOLEAN);
        assertThat(reader.next()).isNull();

        ByteBuffer tooLarge = ByteBuffer.allocate(Protocol.HEADER);
        Protocol.putHeader(tooLarge, Protocol.FILE_DATA, Protocol.MAX_FILE + 1);
        assertThatThrownBy(() -> new FrameReader(new BufferWire(tooLarge.flip()), Protocol.MAX_FILE).next())
                .isInstanceOf(ProtocolException.class).hasMessageContaining("more than the 16777216 allowed");
    }
}
