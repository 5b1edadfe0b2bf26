package io.dpuvirt.virt.host;

/** How a process ended. */
public sealed interface ProcessExit {
    /** It called exit with {@code code}. */
    record Exited(int code) implements ProcessExit {
        @Override
        public String toString() {
            return "exit status " + code;
        }
    }

    /** A signal killed it. */
    record Signalled(int signal) implements ProcessExit {
        @Override
        public String toString() {
            return "killed by signal " + signal;
        }
    }

    /** It is gone, but was not this daemon's child (found again after a restart): its status is not known. */
    record Vanished() implements ProcessExit {
        @Override
        public String toString() {
            return "ended (status unknown: not a child of this daemon)";
        }
    }
}
