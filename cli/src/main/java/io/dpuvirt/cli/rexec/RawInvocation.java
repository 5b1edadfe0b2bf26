package io.dpuvirt.cli.rexec;

import io.dpuvirt.fabric.rexec.ByteString;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The client's arguments, environment and working directory as bytes. The JVM hands main() Strings decoded with the
 * locale's charset, which loses bytes that are not valid in it (a non-UTF-8 argument, any non-ASCII byte under the C
 * locale); /proc/self/cmdline and /proc/self/environ keep them exactly.
 */
final class RawInvocation {
    /** Set by bin/rexec for the JVM itself (its suspend signal moved off SIGUSR2, which is forwarded): not the user's. */
    private static final String LAUNCHER_VARIABLE = "_JAVA_SR_SIGNUM=";

    private RawInvocation() {
    }

    /** {@code args} as bytes: the last {@code args.length} entries of /proc/self/cmdline, if they are these arguments. */
    static List<ByteString> arguments(String[] args) {
        Charset jnu = platformCharset();
        try {
            List<byte[]> all = split(read("/proc/self/cmdline"));
            if (all.size() >= args.length) {
                List<byte[]> tail = all.subList(all.size() - args.length, all.size());
                boolean same = true;
                for (int i = 0; i < args.length && same; i++) {
                    same = new String(tail.get(i), jnu).equals(args[i]);
                }
                if (same) {
                    return tail.stream().map(ByteString::of).toList();
                }
            }
        } catch (IOException e) {
            // no /proc: the Strings are all there is
        }
        return Arrays.stream(args).map(arg -> ByteString.of(arg.getBytes(jnu))).toList();
    }

    /** The environment this process was started with, as NAME=value entries. */
    static List<ByteString> environment() {
        try {
            List<ByteString> entries = new ArrayList<>();
            for (byte[] entry : split(read("/proc/self/environ"))) {
                ByteString variable = ByteString.of(entry);
                if (!variable.startsWith(ByteString.of(LAUNCHER_VARIABLE))) {
                    entries.add(variable);
                }
            }
            return entries;
        } catch (IOException e) {
            return System.getenv().entrySet().stream().map(v -> ByteString.of(v.getKey() + "=" + v.getValue())).toList();
        }
    }

    /**
     * The working directory. The JVM's user.dir is exact unless a byte of it could not be decoded (it then holds
     * U+FFFD); then $PWD, when it names the same directory, has the bytes.
     */
    static ByteString workingDirectory(List<ByteString> environment) {
        String userDir = System.getProperty("user.dir");
        Charset jnu = platformCharset();
        if (userDir.indexOf('\uFFFD') >= 0) {
            for (ByteString entry : environment) {
                if (entry.startsWith(ByteString.of("PWD="))) {
                    ByteString pwd = entry.substring(4, entry.length());
                    if (new String(pwd.toByteArray(), jnu).equals(userDir)) {
                        return pwd;
                    }
                }
            }
        }
        return ByteString.of(userDir.getBytes(jnu));
    }

    private static Charset platformCharset() {
        return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] read(String file) throws IOException {
        try (FileInputStream in = new FileInputStream(file)) {
            return in.readAllBytes();
        }
    }

    /** NUL-terminated strings. */
    private static List<byte[]> split(byte[] bytes) {
        List<byte[]> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                strings.add(Arrays.copyOfRange(bytes, start, i));
                start = i + 1;
            }
        }
        return strings;
    }
}
