package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.PathPrefixes;
import io.dpuvirt.common.config.Whitelist;
import io.dpuvirt.common.fs.CanonicalPaths;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.link.ChannelKind;
import io.dpuvirt.fabric.link.Handshake;
import io.dpuvirt.fabric.link.LinkEndpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One udsproxyd: the whole cross-host unix socket service of one side.
 *
 * <p>Its {@link ScanLoop} offers the peer (which mirrors them) the local listening sockets under {@code [Udsconnect]}
 * as soon as they appear there, reloads the whitelist if its file changed, and yields any mirror whose path a local
 * server took over. The peer's offers, filtered by this side's own whitelist, plus the explicit mappings, become
 * local mirrors. Clients of a mirror are relayed over pooled, authenticated STREAM channels; the peer's requests are
 * served only for paths this side's whitelist covers.
 */
public final class Udsproxy implements AutoCloseable {
    /** STREAM channels kept dialed ahead for the mirrors' clients: a burst of connects finds them ready. */
    private static final int WARM_STREAMS = 4;

    private final UdsproxyConfig config;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final WhitelistWatcher whitelist;
    private final ExecutorService threads;
    private final LinkEndpoint endpoint;
    private final StreamPool pool;
    private final MirrorManager mirrors;
    private final ControlLink control;
    private final StreamCounters counters = new StreamCounters();
    private final ScanLoop scanLoop;
    /**
     * Makes the mirrors for the peer's offers. Not the control channel's own thread: that one answers the peer's
     * pings, and making a mirror (bind, owner and mode, the state file's fsync, the first use of some system calls)
     * took 2 to 4 s while a hundred rexec clients started on a 2-core machine. The peer then took the link for
     * dead, closed it, and the mirror was withdrawn with clients in its backlog (RexecTest's hundred sessions).
     */
    private final CoalescingWorker mirrorMaker = new CoalescingWorker("mirrors", this::reconcileMirrors);
    private final Instant started = Instant.now();
    private volatile List<SocketExport> peerExports = List.of();
    private volatile List<SocketExport> localExports = List.of();
    private volatile boolean running = true;
    private StatusServer statusServer;

    private Udsproxy(UdsproxyConfig config, FileChannel lockChannel, FileLock lock) throws ConfigException {
        this.config = config;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.whitelist = new WhitelistWatcher(config.whitelistFile());
        this.threads = Executors.newCachedThreadPool(
                Thread.ofPlatform().daemon().stackSize(256 * 1024).name("uds-", 0).factory());
        this.endpoint = new LinkEndpoint(config.transport(), new Handshake(config.key()), threads);
        FdPassing fdPassing = new FdPassing(whitelist::current);
        this.pool = new StreamPool(endpoint, WARM_STREAMS, threads);
        MirrorClients clients = new MirrorClients(pool, fdPassing, threads, counters);
        this.mirrors = new MirrorManager(config.mirrorStateFile(), threads, clients::serve);
        this.control = new ControlLink(endpoint, this::onPeerExports, pool::enable, pool::disable);
        StreamServer server = new StreamServer(whitelist, fdPassing, threads, counters);
        endpoint.register(ChannelKind.CONTROL, control::serveInbound);
        endpoint.register(ChannelKind.STREAM, server::serve);
        this.scanLoop = new ScanLoop(whitelist, mirrors, new ExportScanner(new UnixSocketTable()), this::publish,
                this::reconcileMirrors);
    }

    /** Takes the run directory's lock, cleans up after a crashed predecessor, and starts serving. */
    public static Udsproxy start(UdsproxyConfig config) throws IOException, ConfigException {
        Files.createDirectories(config.runDirectory());
        FileChannel lockChannel = FileChannel.open(config.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IOException("another udsproxyd is running with run directory " + config.runDirectory()
                    + " (it holds " + config.lockFile() + ")");
        }
        Udsproxy proxy;
        try {
            MirrorManager.removeLeftovers(config.mirrorStateFile());
            proxy = new Udsproxy(config, lockChannel, lock);
        } catch (IOException | ConfigException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
        try {
            proxy.endpoint.start();
            proxy.statusServer = StatusServer.start(config.statusSocket(), proxy::command);
        } catch (IOException | RuntimeException e) {
            proxy.close();
            throw e;
        }
        if (config.key() == null) {
            Log.warn("running WITHOUT authentication (--insecure-no-auth): anyone who reaches "
                    + config.transport().local() + " can use every whitelisted socket on this side");
        }
        Log.info("udsproxyd listening on " + config.transport().local() + ", peer " + config.transport().peer()
                + ", whitelist " + config.whitelistFile()
                + (config.mappings().isEmpty() ? "" : ", mappings " + config.mappings()));
        proxy.mirrorMaker.start();
        proxy.control.start();
        proxy.scanLoop.start();
        return proxy;
    }

    private void publish(List<SocketExport> exports) {
        localExports = exports;
        control.publish(exports);
    }

    private void onPeerExports(List<SocketExport> exports) {
        peerExports = exports;
        mirrorMaker.request();
    }

    /** The mirrors this side should have: the peer's offers its own whitelist covers, and the mapped paths. */
    private synchronized void reconcileMirrors() {
        if (!running) {
            return;
        }
        PathPrefixes allowed = whitelist.resolvedUdsconnect();
        Map<String, SocketExport> desired = new TreeMap<>();
        for (SocketExport export : peerExports) {
            if (coveredHere(allowed, export.path())) {
                desired.put(export.path(), export);
            }
        }
        for (PathMapping mapping : config.mappings()) {
            peerExports.stream().filter(e -> e.path().equals(mapping.remotePath())).findFirst()
                    .ifPresent(e -> desired.put(mapping.localPath(), e));
        }
        mirrors.reconcile(desired);
    }

    private static boolean coveredHere(PathPrefixes allowed, String path) {
        try {
            return allowed.covers(CanonicalPaths.canonical(Path.of(path)));
        } catch (IOException e) {
            return false;
        }
    }

    private String command(String command) {
        return switch (command) {
            case "status" -> status();
            case "reload" -> {
                boolean changed = whitelist.reload();
                reconcileMirrors();
                yield changed ? "reloaded " + config.whitelistFile() + "\n" : "unchanged " + config.whitelistFile() + "\n";
            }
            default -> "unknown command '" + command + "' (status, reload)\n";
        };
    }

    /** The status view: link, peer, whitelist, offered and mirrored sockets, streams. */
    public String status() {
        StringBuilder out = new StringBuilder();
        Duration uptime = Duration.between(started, Instant.now());
        out.append("udsproxyd pid ").append(ProcessHandle.current().pid()).append(", up ")
                .append(String.format("%d:%02d:%02d", uptime.toHours(), uptime.toMinutesPart(), uptime.toSecondsPart())).append('\n');
        out.append("link: ").append(linkState()).append(" (").append(endpoint.authenticated() ? "authenticated" : "UNAUTHENTICATED")
                .append(", ").append(config.transport() instanceof io.dpuvirt.fabric.link.Transport.Vsock ? "vsock " : "tcp ")
                .append(config.transport().local()).append(" -> ").append(config.transport().peer()).append(")\n");
        out.append("peer: ").append(control.inboundUp() ? control.peerDescription() : "not connected").append('\n');
        out.append("whitelist: ").append(config.whitelistFile()).append(" [Udsconnect] ")
                .append(String.join(" ", whitelist.current().entries(Whitelist.Section.UDSCONNECT).entries())).append('\n');
        out.append("exported (").append(localExports.size()).append("):\n");
        for (SocketExport export : localExports) {
            out.append("  ").append(export.path()).append(' ').append(export.type().name().toLowerCase())
                    .append(String.format(" %04o", export.mode())).append('\n');
        }
        List<MirrorManager.Entry> mirrored = mirrors.entries();
        out.append("mirrored (").append(mirrored.size()).append("):\n");
        for (MirrorManager.Entry entry : mirrored) {
            out.append("  ").append(entry.localPath()).append(" <- peer ").append(entry.remotePath()).append(' ')
                    .append(entry.type()).append(" (").append(entry.accepted()).append(" connections)\n");
        }
        Map<String, String> shadowed = mirrors.shadowed();
        if (!shadowed.isEmpty()) {
            out.append("not mirrored (").append(shadowed.size()).append("):\n");
            shadowed.forEach((path, reason) -> out.append("  ").append(path).append(": ").append(reason).append('\n'));
        }
        if (!config.mappings().isEmpty()) {
            out.append("mappings:\n");
            for (PathMapping mapping : config.mappings()) {
                boolean active = mirrored.stream().anyMatch(e -> e.localPath().equals(mapping.localPath()));
                out.append("  ").append(mapping).append(active ? " (active)" : " (waiting for the peer's socket)").append('\n');
            }
        }
        out.append("streams: ").append(counters.active.get()).append(" active, ").append(counters.total.get()).append(" total, ")
                .append(counters.refused.get()).append(" refused, ").append(counters.failed.get()).append(" failed; ")
                .append(pool.idleCount()).append(" idle link connections\n");
        return out.toString();
    }

    private String linkState() {
        boolean out = control.outboundUp();
        boolean in = control.inboundUp();
        if (out && in) {
            return "up since " + LocalDateTime.ofInstant(control.upSince(), ZoneId.systemDefault())
                    .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        }
        if (out) {
            return "half up: this side reaches the peer, the peer has not connected back";
        }
        if (in) {
            return "half up: the peer reaches this side, this side cannot reach the peer (" + control.lastError() + ")";
        }
        return "down" + (control.lastError().isEmpty() ? "" : " (" + control.lastError() + ")");
    }

    public UdsproxyConfig config() {
        return config;
    }

    /** Stops serving and removes everything it put on disk: mirrors, their directories, the status socket, the lock. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        scanLoop.stop();
        mirrorMaker.stop();
        control.stop();
        endpoint.close();
        pool.disable();
        mirrors.removeAll();
        try {
            if (statusServer != null) {
                statusServer.close();
            }
            lock.release();
            lockChannel.close();
            Files.deleteIfExists(config.lockFile());
        } catch (IOException e) {
            Log.warn("cleanup incomplete: " + e.getMessage());
        }
        threads.shutdownNow();
        if (config.key() != null) {
            config.key().destroy();
        }
        Log.info("udsproxyd stopped");
    }
}
