package io.dpuvirt.fabric.udsproxy;

import java.util.concurrent.atomic.AtomicLong;

/** Stream statistics for the status view. */
final class StreamCounters {
    final AtomicLong active = new AtomicLong();
    final AtomicLong total = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
}
