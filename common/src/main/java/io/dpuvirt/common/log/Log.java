package io.dpuvirt.common.log;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One line per event on stderr: time, program, level, message. Daemons run under systemd or nohup, both of
 * which capture stderr; a logging framework would only add start-up time to short-lived tools.
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static volatile String program = "dpuvirt";
    private static volatile Level threshold = Level.INFO;
    private static volatile PrintStream out = System.err;

    private Log() {
    }

    public static void configure(String programName, Level minimum) {
        program = programName;
        threshold = minimum;
    }

    public static void redirect(PrintStream stream) {
        out = stream;
    }

    public static boolean enabled(Level level) {
        return level.compareTo(threshold) >= 0;
    }

    public static void debug(String message) {
        log(Level.DEBUG, message);
    }

    public static void info(String message) {
        log(Level.INFO, message);
    }

    public static void warn(String message) {
        log(Level.WARN, message);
    }

    public static void error(String message) {
        log(Level.ERROR, message);
    }

    /** An error with its cause and the cause's stack trace: for failures nobody foresaw. */
    public static void error(String message, Throwable cause) {
        java.io.StringWriter trace = new java.io.StringWriter();
        cause.printStackTrace(new java.io.PrintWriter(trace));
        log(Level.ERROR, message + ": " + trace.toString().stripTrailing());
    }

    public static void log(Level level, String message) {
        if (enabled(level)) {
            String line = TIME.format(LocalDateTime.now()) + " " + program + " " + level + " " + message;
            synchronized (Log.class) {
                out.println(line);
            }
        }
    }
}
