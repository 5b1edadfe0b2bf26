package io.dpuvirt.virt.host;

import io.dpuvirt.common.linux.ProcessStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local host with real processes, files and sockets. */
class LocalHostTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Path PROC = Path.of("/proc");

    @TempDir
    Path dir;

    private final LocalHost host = new LocalHost();

    @Test
    void runsWithTheGivenEnvironmentDirectoryAndStdio() throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        HostProcess process = host.spawn(ProcessSpec.of(List.of("/bin/sh", "-c", "echo \"$GREETING\"; pwd; cat; echo oops >&2; exit 3"))
                .withEnvironment(Map.of("GREETING", "hello"))
                .withWorkingDirectory(dir)
                .withStdio(Stdio.none(), Stdio.appendTo(out), Stdio.appendTo(err)));

        assertThat(process.waitFor(WAIT)).hasValue(new ProcessExit.Exited(3));
        assertThat(process.isAlive()).isFalse();
        assertThat(Files.readString(out)).isEqualTo("hello\n" + dir.toRealPath() + "\n");
        assertThat(Files.readString(err)).isEqualTo("oops\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    @Test
    void theChildLeadsASessionOfItsOwnAndIsReapedWhenSignalled() throws Exception {
        HostProcess sleeper = host.spawn(ProcessSpec.of(List.of("sleep", "30")));
        ProcessStat stat = ProcessStat.read(sleeper.id().pid()).orElseThrow();
        assertThat(stat.session()).isEqualTo(sleeper.id().pid());
        assertThat(sleeper.isAlive()).isTrue();

        sleeper.signal(Signal.TERM);

        assertThat(sleeper.waitFor(WAIT)).hasValue(new ProcessExit.Signalled(Signal.TERM.number()));
        assertThat(ProcessStat.read(sleeper.id().pid())).as("no zombie left").isEmpty();
        sleeper.signal(Signal.KILL); // ended: nothing is sent
    }

    @Test
    void aProcessIsFoundAgainByItsIdAndItsEndIsNoticed() throws Exception {
        HostProcess child = host.spawn(ProcessSpec.of(List.of("sleep", "30")));
        HostProcess found = host.find(child.id(), Optional.empty()).orElseThrow();
        assertThat(found.isAlive()).isTrue();
        assertThat(host.find(new ProcessId(child.id().pid(), child.id().startTime() + 1), Optional.empty()))
                .as("same pid, other start time: another process").isEmpty();

        found.signal(Signal.KILL);

        assertThat(found.waitFor(WAIT)).hasValue(new ProcessExit.Vanished());
        assertThat(child.waitFor(WAIT)).hasValue(new ProcessExit.Signalled(Signal.KILL.number()));
        assertThat(host.find(child.id(), Optional.empty())).isEmpty();
    }

    @Test
    void aMissingProgramIsReportedByName() {
        assertThatThrownBy(() -> host.spawn(ProcessSpec.of(List.of("/nonexistent/qemu"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("/nonexistent/qemu").hasMessageContaining("ENOENT");
    }

    @Test
    void affinityRestrictsAThreadToTheGivenCpus() throws Exception {
        HostProcess sleeper = host.spawn(ProcessSpec.of(List.of("sleep", "30")));
        try {
            BitSet cpu0 = new BitSet();
            cpu0.set(0);
            sleeper.setAffinity(sleeper.id().pid(), cpu0);
            String status = Files.readString(PROC.resolve(sleeper.id().pid() + "/status"));
            assertThat(status).contains("Cpus_allowed_list:\t0\n");
        } finally {
            sleeper.signal(Signal.KILL);
        }
    }

    @Test
    void filesAreWrittenAtomicallyReadAndDeleted() throws Exception {
        Path file = dir.resolve("sub/nvram.fd");
        host.createDirectories(file.getParent());
        host.writeFile(file, "vars".getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-------"));
        assertThat(host.exists(file)).isTrue();
        assertThat(new String(host.readFile(file), StandardCharsets.UTF_8)).isEqualTo("vars");
        assertThat(host.deleteFile(file)).isTrue();
        assertThat(host.deleteFile(file)).isFalse();
        assertThat(host.exists(file)).isFalse();
    }

    @Test
    void connectsToAUnixSocket() throws Exception {
        Path socket = dir.resolve("monitor.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (SocketChannel client = (SocketChannel) host.connect(socket); SocketChannel accepted = server.accept()) {
                client.write(ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)));
                client.shutdownOutput();
                assertThat(readAll(accepted)).isEqualTo("{}");
            }
        }
    }

    private static String readAll(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (channel.read(buffer) >= 0) {
            if (!buffer.hasRemaining()) {
                break;
            }
        }
        buffer.flip();
        return StandardCharsets.UTF_8.decode(buffer).toString();
    }

    @Test
    void theRunDirectoryIsMadeBeforeTheStartAndGoesBeforeTheEndIsReported() throws Exception {
        HostChecks.runDirectoryIsMadeBeforeTheStartAndGoesBeforeTheEndIsReported(host, dir.resolve("qemu/domain-1"),
                dir.resolve("log/qemu/vm.log"), WAIT);
    }
}
