package io.dpuvirt.common.linux;

import java.util.Locale;

/** Linux signal numbers (the same on x86_64 and aarch64) and their names, for forwarding and for messages. */
public final class Signals {
    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12, SIGPIPE = 13,
            SIGTERM = 15, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGWINCH = 28;
    /** The highest signal number (the last real-time signal). */
    public static final int MAX = 64;

    private static final String[] NAMES = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
            "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
            "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};

    private Signals() {
    }

    /** {@code SIGTERM} for 15, {@code SIGRTMIN+2} for 36, {@code signal 99} for what is no signal. */
    public static String name(int signal) {
        if (signal > 0 && signal < NAMES.length) {
            return "SIG" + NAMES[signal];
        }
        return signal >= 34 && signal <= MAX ? "SIGRTMIN+" + (signal - 34) : "signal " + signal;
    }

    /** The number for {@code TERM}, {@code SIGTERM}, {@code term} or {@code 15}; -1 if there is no such signal. */
    public static int number(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("SIG") ? upper.substring(3) : upper;
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(bare)) {
                return i;
            }
        }
        if (bare.matches("\\d{1,2}")) {
            int number = Integer.parseInt(bare);
            return number >= 1 && number <= MAX ? number : -1;
        }
        return -1;
    }
}
