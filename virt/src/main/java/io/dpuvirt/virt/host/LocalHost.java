package io.dpuvirt.virt.host;

import io.dpuvirt.common.fs.AtomicFiles;
import io.dpuvirt.common.linux.PosixSpawn;
import io.dpuvirt.common.linux.ProcessStat;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.dpuvirt.common.linux.OpenFlags.O_APPEND;
import static io.dpuvirt.common.linux.OpenFlags.O_CREAT;
import static io.dpuvirt.common.linux.OpenFlags.O_RDONLY;
import static io.dpuvirt.common.linux.OpenFlags.O_TRUNC;
import static io.dpuvirt.common.linux.OpenFlags.O_WRONLY;

/**
 * The daemon's own machine as the host: processes through posix_spawn (each in its own session, reaped
 * as soon as it ends), signals with kill(2), affinity with sched_setaffinity(2), files and sockets
 * through the JDK.
 */
public final class LocalHost implements Host {
    private static final int OWNER_READ_WRITE = 0600;
    private static final Path DEV_NULL = Path.of("/dev/null");

    /** Spawning is warmed up in the background: the first guest start would pay for it ({@link PosixSpawn#warmUp}). */
    public LocalHost() {
        Thread.ofVirtual().name("spawn-warm-up").start(PosixSpawn::warmUp);
    }

    @Override
    public HostProcess spawn(ProcessSpec spec) throws IOException {
        if (spec.runDirectory().isPresent()) {
            Path directory = spec.runDirectory().get();
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
        for (Stdio output : List.of(spec.stdout(), spec.stderr())) {
            if (output instanceof Stdio.WriteFile file) {
                Files.createDirectories(file.path().toAbsolutePath().getParent());
            }
        }
        int pid;
        try (PosixSpawn spawn = new PosixSpawn().newSession()) {
            stdio(spawn, 0, spec.stdin());
            stdio(spawn, 1, spec.stdout());
            stdio(spawn, 2, spec.stderr());
            if (spec.workingDirectory().isPresent()) {
                spawn.chdir(bytes(spec.workingDirectory().get().toString()));
            }
            spawn.closeFrom(3); // the JVM's own descriptors are not all close-on-exec
            pid = spawn.spawn(bytes(program(spec.argv().getFirst())), spec.argv().stream().map(LocalHost::bytes).toList(),
                    spec.environment().entrySet().stream().map(e -> bytes(e.getKey() + "=" + e.getValue())).toList());
        }
        // read at once: the child cannot be reaped before its waiter starts, so its /proc entry is still there
        long startTime = ProcessStat.read(pid)
                .orElseThrow(() -> new IOException("process " + pid + " (" + spec.argv().getFirst()
                        + ") has no /proc entry right after it was started"))
                .startTime();
        return ChildProcess.watch(new ProcessId(pid, startTime), spec.runDirectory());
    }

    @Override
    public Optional<HostProcess> find(ProcessId id, Optional<Path> runDirectory) {
        return FoundProcess.lives(id) ? Optional.of(FoundProcess.watch(id, runDirectory)) : Optional.empty();
    }

    /** The CPU time of process {@code id} on this machine; zero when it is gone or its pid is another's. */
    static Duration cpuTime(ProcessId id) {
        return ProcessStat.read(id.pid()).filter(stat -> stat.startTime() == id.startTime())
                .map(stat -> Duration.ofNanos(stat.cpuNanos())).orElse(Duration.ZERO);
    }

    @Override
    public byte[] readFile(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    @Override
    public void writeFile(Path file, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        AtomicFiles.write(file, content, permissions);
    }

    @Override
    public boolean deleteFile(Path file) throws IOException {
        return Files.deleteIfExists(file);
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        Files.createDirectories(directory);
    }

    @Override
    public ByteChannel connect(Path unixSocket) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(unixSocket));
    }

    /** What descriptor {@code target} of the child becomes. */
    private static void stdio(PosixSpawn spawn, int target, Stdio stdio) throws IOException {
        switch (stdio) {
            case Stdio.None none -> spawn.open(target, bytes(DEV_NULL.toString()), target == 0 ? O_RDONLY : O_WRONLY, 0);
            case Stdio.WriteFile file -> spawn.open(target, bytes(file.path().toString()),
                    O_WRONLY | O_CREAT | (file.append() ? O_APPEND : O_TRUNC), OWNER_READ_WRITE);
        }
    }

    /** A program named without a slash is looked up in the daemon's PATH, as execvp would. */
    private static String program(String name) throws IOException {
        if (name.contains("/")) {
            return name;
        }
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IOException("program '" + name + "' not found in PATH");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
