package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.fs.AtomicFiles;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.PosixSpawn;
import io.dpuvirt.common.linux.ProcessCalls;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.PeerCredentials;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * rexec_server: starts whitelisted programs for clients of its unix socket and relays their stdio, signals and exit;
 * or starts them detached, to outlive their client and the server, and answers requests about them; and serves
 * file requests within the directories its configuration names ({@link FileAreas}).
 *
 * <p>The socket is bound at its final path (udsproxyd finds servers in /proc/net/unix by the path given to bind)
 * and set to mode 0600 at once; every client's uid (SO_PEERCRED) must also be the server's own. Across hosts the
 * peer is the local udsproxyd (root), whose link to the other side is authenticated.
 *
 * <p>Stopping (close, SIGTERM) terminates every attached program it runs (SIGTERM to the process group, SIGKILL after
 * the grace period), and whatever they left behind; their clients get the exit status as usual. A server killed -9
 * cannot do that: the next one to start on the same socket terminates the attached programs its predecessor
 * recorded. Detached programs, and what runs in their sessions, are left alone either way; the next server takes
 * them over from the registry ({@link DetachedPrograms}).
 */
public final class RexecServer implements AutoCloseable {
    private static final int BACKLOG = 128;

    private final RexecServerConfig config;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final NativeSocket listener;
    private final Programs programs = new Programs();
    private final ChildRecords childRecords;
    private final DetachedPrograms detachedPrograms;
    private final ProgramLauncher launcher;
    private final DetachedService detached;
    private final FileService files;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("rexec-timer").factory());
    /** The connections' threads and the attached programs' output pumps (idle ones end after a minute). */
    private final TaskThreads threads = new TaskThreads("rexec-idle", 256 * 1024);
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final int allowedUid;
    private final Thread acceptor;
    private volatile boolean closing;
    /**
     * Held to register a connection and to start closing: a connection accepted just before the close is either
     * stopped by it or refused, never left serving (a watch on it would wait for an end no one reports).
     */
    private final Object registration = new Object();

    private RexecServer(RexecServerConfig config, ProgramPolicy policy, FileChannel lockChannel, FileLock lock) throws IOException {
        this.config = config;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.allowedUid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        createMissing(config.stateDirectories());
        ProcessCalls.becomeChildSubreaper();
        this.childRecords = new ChildRecords(config.childrenDirectory());
        childRecords.terminateLeftovers(config.killGrace());
        this.detachedPrograms = DetachedPrograms.load(config.detachedDirectory());
        FileAreas areas = new FileAreas(config.stateDirectories(), config.outputDirectories(), config.readableDirectories());
        this.launcher = new ProgramLauncher(policy, new OutputDirectories(config.outputDirectories()), areas, programs);
        this.detached = new DetachedService(launcher, detachedPrograms, areas);
        this.files = new FileService(areas, allowedUid);
        try {
            this.listener = bind(config.socket());
        } catch (IOException | RuntimeException e) {
            detachedPrograms.close();
            throw e;
        }
        this.acceptor = Thread.ofPlatform().name("rexec-accept").start(this::accept);
        Log.info("listening on " + config.socket() + " for uid " + allowedUid + "; " + policy.describe() + "; file requests change "
                + (config.stateDirectories().isEmpty() ? "nothing (no --state-dir)" : "beneath " + config.stateDirectories()));
    }

    /**
     * Loads the whitelist, takes the socket's lock, ends a killed predecessor's attached programs, takes over the
     * detached ones that still run, and listens.
     */
    public static RexecServer start(RexecServerConfig config) throws IOException, ConfigException {
        ProgramPolicy policy;
        if (config.insecureNoWhitelist()) {
            Log.warn("INSECURE: --insecure-no-whitelist: any program may be started by any client of " + config.socket()
                    + " (the whitelist " + config.whitelist() + " is not read); for tests only");
            policy = ProgramPolicy.allowingAnyProgram();
        } else {
            policy = ProgramPolicy.checking(WhitelistFile.load(config.whitelist()));
        }
        Path directory = config.socket().toAbsolutePath().getParent();
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        FileChannel lockChannel = FileChannel.open(config.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by a server in this same JVM
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("another rexec_server is running for " + config.socket() + " (it holds " + config.lockFile() + ")");
        }
        Thread.ofVirtual().name("spawn-warm-up").start(() -> { // the first SPAWN would pay for these
            PosixSpawn.warmUp();
            AtomicFiles.warmUp(); // a detached program's record
        });
        try {
            return new RexecServer(config, policy, lockChannel, lock);
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    /** /run is empty after a boot: a state directory there (virtd's /run/libvirt) is created as {@code mkdir -p} would. */
    private static void createMissing(List<Path> stateDirectories) throws IOException {
        for (Path directory : stateDirectories) {
            if (Files.notExists(directory)) {
                Files.createDirectories(directory);
                Log.info("created the state directory " + directory);
            }
        }
    }

    /**
     * Binds at the final path: whatever was there is not a running server (we hold the lock), maybe a crashed one's
     * socket or a udsproxyd mirror, which steps aside for a local server. Mode 0600 follows at once; with the
     * usual umask the moment between grants nobody else write access, and the uid check stands behind it anyway.
     */
    private static NativeSocket bind(Path path) throws IOException {
        Files.deleteIfExists(path);
        NativeSocket socket = NativeSocket.listen(new SockAddr.Unix(path.toString()), SocketType.STREAM, BACKLOG);
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    public Path socket() {
        return config.socket();
    }

    /** The programs this server started that run now, attached or detached. */
    public int runningPrograms() {
        return programs.running();
    }

    /** The connections accepted since the server started: a client that keeps its connections opens few. */
    long connectionsAccepted() {
        return accepted.get();
    }

    private void accept() {
        while (!closing) {
            NativeSocket client;
            try {
                client = listener.accept();
            } catch (LinuxException e) {
                if (!closing) {
                    Log.error("accept on " + config.socket() + " failed: " + e.getMessage());
                    pause();
                }
                continue;
            }
            accepted.incrementAndGet();
            serve(client);
        }
    }

    private static void refuse(NativeSocket client, String reason) {
        new SessionOutput(client).failed(new Failure(255, reason));
        client.close();
    }

    private void serve(NativeSocket client) {
        PeerCredentials peer;
        try {
            peer = client.peerCredentials();
        } catch (LinuxException e) {
            client.close();
            return;
        }
        if (peer.uid() != allowedUid) {
            String reason = "rexec_server at " + config.socket() + " serves uid " + allowedUid + " only, not uid " + peer.uid();
            Log.warn("refused peer pid " + peer.pid() + ": " + reason);
            refuse(client, reason);
            return;
        }
        Connection connection = new Connection(client, peer);
        synchronized (registration) {
            if (closing) {
                refuse(client, "rexec_server at " + config.socket() + " is stopping");
                return;
            }
            connections.add(connection);
        }
        threads.start("rexec-connection", connection);
    }

    /**
     * One client on a thread of its own: its requests read and served one after the other, until one that keeps the
     * connection (SPAWN, WATCH), the client's close, the idle timeout, or a request that breaks the protocol;
     * {@link #stop} is the server's stop. The peer's credentials are the connection's: checked once, at the accept.
     */
    private final class Connection implements Runnable {
        private final NativeSocket socket;
        private final PeerCredentials peer;
        private final RequestReceiver receiver;
        /** The answers to requests about detached programs and file requests. */
        private final SessionOutput output;
        private Session session;

        Connection(NativeSocket socket, PeerCredentials peer) {
            this.socket = socket;
            this.peer = peer;
            this.receiver = new RequestReceiver(socket, config.idleTimeout());
            this.output = new SessionOutput(socket);
        }

        @Override
        public void run() {
            try {
                ClientRequest request = receiver.first();
                while (request != null && servedAndOpen(request)) {
                    request = receiver.next();
                }
            } catch (IOException e) {
                if (!closing) { // else the stop cut the connection
                    Log.warn("peer pid " + peer.pid() + ": no valid request: " + e.getMessage());
                }
            } finally {
                socket.close();
                connections.remove(this);
            }
        }

        /** Serves the request; true if the connection may carry the next one. */
        private boolean servedAndOpen(ClientRequest request) {
            switch (request) {
                case SpawnRequest spawn when spawn.detached().isEmpty() -> attach(spawn);
                case SpawnRequest spawn -> detached.spawn(socket, peer, spawn);
                case ProgramRequest.Watch watch -> detached.serve(socket, peer, output, watch);
                case ProgramRequest other -> {
                    detached.serve(socket, peer, output, other);
                    return !output.broken();
                }
                case FileRequest other -> {
                    files.serve(output, peer, other);
                    return !output.broken();
                }
            }
            return false; // the program's session, or the watch, kept the connection until its end
        }

        private void attach(SpawnRequest spawn) {
            Session started = new Session(socket, peer, spawn, launcher, childRecords, timers, threads, config.killGrace().toMillis());
            synchronized (this) {
                session = started;
            }
            started.run();
        }

        /**
         * An attached program is terminated (its client gets its status); any other connection is cut, which leaves
         * a detached program alone, and makes a session not yet started find its client gone and end its program.
         */
        void stop(String reason) {
            Session current;
            synchronized (this) {
                current = session;
            }
            if (current != null) {
                current.terminate(reason);
            } else {
                socket.abort();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100); // EMFILE and the like: give descriptors a moment to come back
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Terminates every program (and what they left behind), their clients getting the exit status, and only then
     * removes the socket; a client arriving meanwhile is told the server is stopping.
     */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        synchronized (registration) {
            closing = true;
        }
        connections.forEach(connection -> connection.stop("rexec_server is stopping"));
        long deadline = System.nanoTime() + config.killGrace().plusSeconds(3).toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            pause();
        }
        listener.abort();
        joinQuietly(acceptor);
        listener.close();
        List<Integer> leftBehind = children().stream()
                .filter(pid -> ProcessStat.read(pid).filter(stat -> detachedPrograms.isDetachedSession(stat.session())).isEmpty())
                .toList();
        if (!leftBehind.isEmpty()) {
            Log.info("terminating " + leftBehind.size() + " process(es) that programs left behind: " + leftBehind);
            Termination.terminate(leftBehind, config.killGrace());
        }
        programs.close();
        detachedPrograms.close();
        timers.shutdownNow();
        try {
            Files.deleteIfExists(config.socket());
            Files.deleteIfExists(config.childrenDirectory());
            lock.release();
            lockChannel.close();
            Files.deleteIfExists(config.lockFile());
        } catch (IOException e) {
            Log.warn("cleanup incomplete: " + e.getMessage());
        }
        Log.info("rexec_server stopped");
    }

    /** This process's children now (/proc/self/task/TID/children), whoever started them. */
    private static List<Integer> children() {
        List<Integer> pids = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                for (String pid : Files.readString(task.resolve("children")).trim().split("\\s+")) {
                    if (!pid.isEmpty()) {
                        pids.add(Integer.parseInt(pid));
                    }
                }
            }
        } catch (IOException e) {
            Log.warn("cannot list this process's children: " + e.getMessage());
        }
        return pids;
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
