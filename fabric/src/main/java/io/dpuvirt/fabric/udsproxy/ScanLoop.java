package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.log.Log;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The thread that finds this side's offers: it scans /proc/net/unix for the listening sockets under
 * {@code [Udsconnect]} when {@link DirectoryWatcher} sees a socket file come there, and periodically as the safety
 * net and for sockets that went ({@link RescanSchedule} says when), yields mirrors whose path a local server took over, and publishes the
 * offers. Once a second it reloads a hand-edited whitelist (qtcfg tells the daemon at once) and re-resolves its entries: a
 * directory on an entry's path may have become a symlink; requests are always resolved fresh, so a resolution a
 * second old cannot let anything escape.
 */
final class ScanLoop {
    private static final long HOUSEKEEPING_NANOS = 1_000_000_000L;

    private final WhitelistWatcher whitelist;
    private final MirrorManager mirrors;
    private final ExportScanner scanner;
    private final Consumer<List<SocketExport>> publish;
    private final Runnable onWhitelistReloaded;
    private volatile boolean running = true;

    ScanLoop(WhitelistWatcher whitelist, MirrorManager mirrors, ExportScanner scanner,
             Consumer<List<SocketExport>> publish, Runnable onWhitelistReloaded) {
        this.whitelist = whitelist;
        this.mirrors = mirrors;
        this.scanner = scanner;
        this.publish = publish;
        this.onWhitelistReloaded = onWhitelistReloaded;
    }

    void start() {
        Thread.ofPlatform().daemon().name("scanner").start(this::run);
    }

    /** The thread ends within one period of the periodic scan. */
    void stop() {
        running = false;
    }

    private void run() {
        RescanSchedule schedule = new RescanSchedule(System::nanoTime);
        try (DirectoryWatcher watcher = DirectoryWatcher.open()) {
            long housekeeping = System.nanoTime();
            while (running) {
                try {
                    if (System.nanoTime() - housekeeping >= 0) {
                        housekeeping = System.nanoTime() + HOUSEKEEPING_NANOS;
                        boolean reloaded = whitelist.reloadIfChanged();
                        whitelist.refreshResolved();
                        if (reloaded) {
                            onWhitelistReloaded.run();
                        }
                        watcher.recheck();
                        schedule.scanNow();
                    }
                    watcher.follow(whitelist.resolvedUdsconnect());
                    if (schedule.isDue()) {
                        mirrors.yieldToLocalFiles();
                        publish.accept(scanner.scan(whitelist.resolvedUdsconnect(), mirrors.ownedPaths()));
                        schedule.scanned(scanner::listening, watcher.complete());
                    }
                    long untilHousekeeping = Math.ceilDiv(housekeeping - System.nanoTime(), 1_000_000L);
                    DirectoryWatcher.Changes changes = watcher.await(
                            (int) Math.max(0, Math.min(schedule.millisUntilDue(), untilHousekeeping)));
                    if (changes.any()) {
                        scanner.invalidate();
                        if (!changes.appeared().isEmpty() || changes.incomplete()) {
                            schedule.changed(changes.appeared());
                        }
                        // sockets that only went are withdrawn by the next periodic scan: their mirrors' clients
                        // get the same refusal meanwhile, and a scan now would take CPU from whatever removed them
                        // (a hypervisor's exit, its run directory's removal: 0.5 to 5 ms, on the critical path of a
                        // guest's destroy on a busy 2-core HOST)
                    }
                } catch (IOException | RuntimeException e) {
                    Log.error("scanning local sockets failed: " + e);
                    schedule.scanned(path -> true, false); // the next attempt after a period, not at once
                }
            }
        }
    }
}
