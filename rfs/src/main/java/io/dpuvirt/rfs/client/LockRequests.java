package io.dpuvirt.rfs.client;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.rfs.fuse.FuseRequest;
import io.dpuvirt.rfs.fuse.FuseSession;
import io.dpuvirt.rfs.wire.Op;
import io.dpuvirt.rfs.wire.WireWriter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * POSIX (fcntl) and BSD (flock) locks, held on the HOST so that DPU and HOST processes see each other's locks
 * (libvirt and qemu lock image files). The server never blocks: a waiting lock (SETLKW) is retried from here, with
 * growing pauses, until it is granted or the caller is interrupted.
 */
final class LockRequests {
    private static final int FUSE_LK_FLOCK = 1;
    private static final long FIRST_RETRY_MILLIS = 5, LONGEST_RETRY_MILLIS = 200;
    private static final int F_UNLCK = 2;
    /** How long an interrupt for a request not known yet is kept for it. */
    private static final long UNCLAIMED_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** A SETLKW still waiting; {@code answered} makes sure it is answered once (granted, failed or interrupted). */
    private record Waiting(AtomicBoolean answered) {
    }

    private final Requests requests;
    private final FileRequests files;
    private final ScheduledExecutorService timer;
    private final FuseSession session;
    private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
    /**
     * Interrupts that came before their SETLKW was registered (the two may be read by different FUSE threads), by
     * request, with when: the kernel sends an interrupt once, and a SETLKW that missed it would wait for good.
     */
    private final Map<Long, Long> unclaimedInterrupts = new ConcurrentHashMap<>();

    LockRequests(Requests requests, FileRequests files, ScheduledExecutorService timer) {
        this.requests = requests;
        this.files = files;
        this.timer = timer;
        this.session = requests.session;
    }

    void getlk(FuseRequest request) {
        long server = files.lockingServerHandle(request, request.u64(0));
        if (server < 0) {
            return;
        }
        long unique = request.unique();
        requests.send(requests.start(Op.GETLK, request).u64(server).u64(request.u64(8)).u64(request.u64(16))
                .u64(request.u64(24)).u32(request.u32(32)), unique, result -> session.reply().u64(result.u64())
                .u64(result.u64()).u32(result.u32()).u32(result.u32()).send(unique));
    }

    void setlk(FuseRequest request, boolean wait) {
        long server = files.lockingServerHandle(request, request.u64(0));
        if (server < 0) {
            return;
        }
        long unique = request.unique();
        boolean flock = (request.u32(40) & FUSE_LK_FLOCK) != 0;
        Attempt attempt = new Attempt(unique, request.uid(), request.gid(), server, request.u64(8), request.u64(16),
                request.u64(24), request.u32(32), flock);
        if (!wait) {
            requests.sendEmpty(build(attempt), unique);
            return;
        }
        Waiting entry = new Waiting(new AtomicBoolean());
        boolean interrupted;
        synchronized (unclaimedInterrupts) { // with interrupt(): an interrupt is either claimed here or finds the entry
            waiting.put(unique, entry);
            interrupted = unclaimedInterrupts.remove(unique) != null;
        }
        if (interrupted) {
            interrupt(unique);
            return;
        }
        tryLock(attempt, entry, FIRST_RETRY_MILLIS);
    }

    /** One SETLK as the server sees it. */
    private record Attempt(long unique, int uid, int gid, long server, long owner, long start, long end, int type, boolean flock) {
        /** The same range and owner, unlocked. */
        Attempt unlocking() {
            return new Attempt(unique, uid, gid, server, owner, start, end, F_UNLCK, flock);
        }
    }

    private void tryLock(Attempt attempt, Waiting entry, long pauseMillis) {
        requests.link.callNow(build(attempt), (errno, result) -> {
            if (errno == Errno.EAGAIN && !entry.answered().get()) {
                long next = Math.min(LONGEST_RETRY_MILLIS, pauseMillis * 2);
                timer.schedule(() -> tryLock(attempt, entry, next), pauseMillis, TimeUnit.MILLISECONDS);
                return;
            }
            if (entry.answered().compareAndSet(false, true)) {
                waiting.remove(attempt.unique());
                if (errno != 0) {
                    session.error(attempt.unique(), errno);
                } else {
                    session.reply().send(attempt.unique());
                }
            } else if (errno == 0) {
                // granted after the caller was told EINTR: it does not hold the lock, so neither may the HOST
                requests.link.callNow(build(attempt.unlocking()), (ignored, unlocked) -> { });
            }
        });
    }

    private WireWriter build(Attempt attempt) {
        return requests.start(Op.SETLK, attempt.uid(), attempt.gid()).u64(attempt.server()).u64(attempt.owner())
                .u64(attempt.start()).u64(attempt.end()).u32(attempt.type()).u32(attempt.flock() ? 1 : 0);
    }

    /** The caller of a waiting SETLKW got a signal: it stops waiting with EINTR. */
    void interrupt(long unique) {
        Waiting entry;
        synchronized (unclaimedInterrupts) {
            entry = waiting.remove(unique);
            if (entry == null) {
                long now = System.nanoTime();
                unclaimedInterrupts.values().removeIf(seen -> now - seen > UNCLAIMED_NANOS);
                unclaimedInterrupts.put(unique, now); // most are for requests answered already, and are dropped in time
                return;
            }
        }
        if (entry.answered().compareAndSet(false, true)) {
            session.error(unique, Errno.EINTR);
        }
    }
}
