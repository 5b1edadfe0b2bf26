package io.dpuvirt.cli.virsh;

import java.util.List;

/** How virsh names domain states and their reasons (virsh-domain-monitor.c). */
final class StateNames {
    private static final List<String> STATES = List.of("no state", "running", "idle", "paused", "in shutdown",
            "shut off", "crashed", "pmsuspended");
    private static final List<List<String>> REASONS = List.of(
            List.of("unknown"),
            List.of("unknown", "booted", "migrated", "restored", "from snapshot", "unpaused", "migration canceled",
                    "save canceled", "event wakeup", "crashed", "post-copy", "post-copy failed"),
            List.of("unknown"),
            List.of("unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog", "from snapshot",
                    "shutting down", "creating snapshot", "crashed", "starting up", "post-copy", "post-copy failed",
                    "api error"),
            List.of("unknown", "user"),
            List.of("unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from snapshot",
                    "daemon"),
            List.of("unknown", "panicked"),
            List.of("unknown"));

    static final int RUNNING = 1;
    static final int PAUSED = 3;
    static final int SHUTOFF = 5;

    private StateNames() {
    }

    static String state(int state) {
        return state >= 0 && state < STATES.size() ? STATES.get(state) : "no state";
    }

    static String reason(int state, int reason) {
        if (state < 0 || state >= REASONS.size()) {
            return "unknown";
        }
        List<String> reasons = REASONS.get(state);
        return reason >= 0 && reason < reasons.size() ? reasons.get(reason) : "unknown";
    }
}
