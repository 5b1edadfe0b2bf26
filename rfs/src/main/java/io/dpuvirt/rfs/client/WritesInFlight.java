package io.dpuvirt.rfs.client;

/**
 * The writes of one open file that were answered before the HOST made them (write-behind), and the first failure
 * among them that the application has not been told of yet. The HOST makes one client's requests in the order
 * they were sent, so whatever is sent after a write (a read, a getattr, an fsync, the release) finds it made; the
 * application learns of a failed write at its next write(2), fsync(2) or close(2) of that file, as with NFS.
 */
final class WritesInFlight {
    private int count;
    private int failure;

    synchronized void sent() {
        count++;
    }

    /** The answer to one write came: {@code errno} 0 when it was made. */
    synchronized void answered(int errno) {
        count--;
        if (errno != 0 && failure == 0) {
            failure = errno;
        }
        if (count == 0) {
            notifyAll();
        }
    }

    /** The failure not yet reported, which counts as reported now; 0 when there is none. */
    synchronized int takeFailure() {
        int errno = failure;
        failure = 0;
        return errno;
    }

    /**
     * Waits until every write sent has its answer: each comes from the HOST or, when the link is lost, as EIO
     * within the link's own time limits.
     */
    synchronized void awaitAnswers() throws InterruptedException {
        while (count > 0) {
            wait();
        }
    }
}
