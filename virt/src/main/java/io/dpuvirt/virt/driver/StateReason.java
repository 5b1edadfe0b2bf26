package io.dpuvirt.virt.driver;

/**
 * Why a domain is in its state: libvirt's per-state reason enums ({@code virDomainRunningReason},
 * {@code virDomainPausedReason}, …) with their numbers.
 */
public sealed interface StateReason {
    DomainState state();

    int code();

    enum Running implements StateReason {
        UNKNOWN, BOOTED, MIGRATED, RESTORED, FROM_SNAPSHOT, UNPAUSED, MIGRATION_CANCELED, SAVE_CANCELED, WAKEUP,
        CRASHED, POSTCOPY, POSTCOPY_FAILED;

        @Override
        public DomainState state() {
            return DomainState.RUNNING;
        }

        @Override
        public int code() {
            return ordinal();
        }
    }

    enum Paused implements StateReason {
        UNKNOWN, USER, MIGRATION, SAVE, DUMP, IOERROR, WATCHDOG, FROM_SNAPSHOT, SHUTTING_DOWN, SNAPSHOT, CRASHED,
        STARTING_UP, POSTCOPY, POSTCOPY_FAILED, API_ERROR;

        @Override
        public DomainState state() {
            return DomainState.PAUSED;
        }

        @Override
        public int code() {
            return ordinal();
        }
    }

    enum Shutdown implements StateReason {
        UNKNOWN, USER;

        @Override
        public DomainState state() {
            return DomainState.SHUTDOWN;
        }

        @Override
        public int code() {
            return ordinal();
        }
    }

    enum Shutoff implements StateReason {
        UNKNOWN, SHUTDOWN, DESTROYED, CRASHED, MIGRATED, SAVED, FAILED, FROM_SNAPSHOT, DAEMON;

        @Override
        public DomainState state() {
            return DomainState.SHUTOFF;
        }

        @Override
        public int code() {
            return ordinal();
        }
    }

    enum Crashed implements StateReason {
        UNKNOWN, PANICKED;

        @Override
        public DomainState state() {
            return DomainState.CRASHED;
        }

        @Override
        public int code() {
            return ordinal();
        }
    }
}
