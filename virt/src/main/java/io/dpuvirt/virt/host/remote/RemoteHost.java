package io.dpuvirt.virt.host.remote;

import io.dpuvirt.fabric.rexec.ByteString;
import io.dpuvirt.fabric.rexec.DetachedFiles;
import io.dpuvirt.fabric.rexec.ProgramId;
import io.dpuvirt.fabric.rexec.ProgramState;
import io.dpuvirt.fabric.rexec.RemoteFiles;
import io.dpuvirt.fabric.rexec.RequestRefusedException;
import io.dpuvirt.fabric.rexec.RexecClient;
import io.dpuvirt.fabric.rexec.SpawnRequest;
import io.dpuvirt.virt.host.Host;
import io.dpuvirt.virt.host.HostProcess;
import io.dpuvirt.virt.host.ProcessId;
import io.dpuvirt.virt.host.ProcessSpec;
import io.dpuvirt.virt.host.SocketWaiter;
import io.dpuvirt.virt.host.Stdio;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The HOST seen from a daemon on the DPU. Processes are detached programs of the HOST's rexec_server, so they run
 * on whatever happens to the daemon or the link, and a restarted daemon finds them by pid and start time. Files
 * are rexec's file requests. A socket on the HOST is connected to through {@code sockets}: the HOST's udsproxyd
 * dialed directly ({@code PeerSockets::open}), or the socket's own path on the DPU, where udsproxyd mirrors it (the
 * directory must be under {@code [Udsconnect]} on both sides). Either way one that appeared a moment ago may not be
 * reachable yet, which callers such as the monitor connector wait for anyway.
 */
public final class RemoteHost implements Host {
    private static final Path ROOT_DIRECTORY = Path.of("/");

    private final RexecClient rexec;
    private final RemoteFiles files;
    private final SocketWaiter.SocketOpener sockets;

    /** Sockets through udsproxyd's mirrors on the DPU. */
    public RemoteHost(RexecClient rexec) {
        this(rexec, (socket, mayWait) -> SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    }

    public RemoteHost(RexecClient rexec, SocketWaiter.SocketOpener sockets) {
        this.rexec = rexec;
        this.files = rexec.files();
        this.sockets = sockets;
    }

    /** The rexec socket this host is reached through (udsproxyd's mirror of the HOST's rexec_server). */
    public Path rexecSocket() {
        return rexec.socket();
    }

    @Override
    public HostProcess spawn(ProcessSpec spec) throws IOException {
        if (!(spec.stdin() instanceof Stdio.None)) {
            throw new IOException("a program on the HOST reads its stdin from /dev/null only, not " + spec.stdin());
        }
        SpawnRequest request = SpawnRequest.of(spec.argv().stream().map(ByteString::of).toList())
                .withEnvironment(spec.environment())
                .withDirectory(ByteString.of(spec.workingDirectory().orElse(ROOT_DIRECTORY).toString()));
        DetachedFiles files = new DetachedFiles(outputPath(spec.stdout()), outputPath(spec.stderr()), ByteString.EMPTY);
        RexecClient.Detached started = rexec.startDetached(request, spec.runDirectory().map(files::withRunDirectory).orElse(files));
        return RemoteProcess.started(rexec, started, spec.runDirectory());
    }

    /** Appending to a file is what rexec_server does with a detached program's output: truncating is not offered. */
    private static ByteString outputPath(Stdio stdio) throws IOException {
        return switch (stdio) {
            case Stdio.None none -> ByteString.EMPTY;
            case Stdio.WriteFile file when file.append() -> ByteString.of(file.path().toString());
            case Stdio.WriteFile file -> throw new IOException("output to " + file.path()
                    + " on the HOST can only be appended to, not truncated");
        };
    }

    @Override
    public Optional<HostProcess> find(ProcessId id, Optional<Path> runDirectory) throws IOException {
        try {
            ProgramState state = rexec.status(new ProgramId(id.pid(), id.startTime()));
            return state instanceof ProgramState.Running ? Optional.of(RemoteProcess.watch(rexec, id, runDirectory)) : Optional.empty();
        } catch (RequestRefusedException e) {
            if (e.programGone()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public byte[] readFile(Path file) throws IOException {
        return files.readFile(file);
    }

    @Override
    public void writeFile(Path file, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        files.writeFile(file, content, FileModes.of(permissions));
    }

    @Override
    public boolean deleteFile(Path file) throws IOException {
        return files.deleteFile(file);
    }

    @Override
    public boolean exists(Path path) throws IOException {
        return files.exists(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        files.createDirectories(directory, FileModes.DIRECTORY);
    }

    @Override
    public ByteChannel connect(Path unixSocket) throws IOException {
        return sockets.connect(unixSocket, Duration.ZERO);
    }

    @Override
    public ByteChannel connect(Path unixSocket, Duration mayWait) throws IOException {
        return sockets.connect(unixSocket, mayWait);
    }
}
