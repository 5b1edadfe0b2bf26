package io.dpuvirt.systest;

import io.dpuvirt.testbed.Side;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A virsh — Debian's (libvirt-clients) or this project's bin/virsh — run as a process of its own, with its
 * own HOME and no default URI from the environment, so that it writes nothing outside the test's directory.
 */
final class VirshRunner {
    static final Path DEBIAN = Path.of("/usr/bin/virsh");
    private static final long TIMEOUT_SECONDS = 60;

    record Result(int status, String stdout, String stderr) {
        /** stdout and stderr with what differs from run to run masked: CPU times. */
        Result masked() {
            return new Result(status, mask(stdout), mask(stderr));
        }

        private static String mask(String text) {
            return text.lines().filter(line -> !line.startsWith("CPU time:"))
                    .collect(Collectors.joining("\n", "", text.endsWith("\n") ? "\n" : ""));
        }
    }

    private final String binary;
    private final Path home;
    private final List<String> prefix;

    private VirshRunner(String binary, Path home, List<String> prefix) {
        this.binary = binary;
        this.home = home;
        this.prefix = List.copyOf(prefix);
    }

    static VirshRunner debian(Path home) {
        if (!Files.isExecutable(DEBIAN)) {
            throw new AssertionError(DEBIAN + " is missing: scripts/setup installs Debian's libvirt-clients");
        }
        return new VirshRunner(DEBIAN.toString(), home, List.of());
    }

    static VirshRunner java(Path home) {
        return new VirshRunner(Project.bin("virsh"), home, List.of());
    }

    /** The same virsh, run on {@code side} of the test bed. */
    VirshRunner on(Side side) {
        return new VirshRunner(binary, home, side.enter());
    }

    /** The command line that runs this virsh with {@code args} (on its side). */
    List<String> command(String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(binary);
        command.addAll(List.of(args));
        return command;
    }

    String name() {
        return binary.equals(DEBIAN.toString()) ? "Debian's virsh" : "bin/virsh";
    }

    Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    Result run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary));
        command.addAll(List.of(args));
        return execute(command, environment, "");
    }

    /** With {@code input} on its stdin (not a terminal). */
    Result runWithInput(String input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary));
        command.addAll(List.of(args));
        return execute(command, Map.of(), input);
    }

    /**
     * On a pseudo-terminal (util-linux's script), as virsh console needs one; {@code typing} is a shell
     * command whose output is typed, e.g. {@code sleep 1; printf 'ls\r'}. The terminal's output is stdout.
     */
    Result runOnTerminal(String typing, String... args) throws IOException, InterruptedException {
        return runOnTerminal(Map.of(), typing, args);
    }

    Result runOnTerminal(Map<String, String> environment, String typing, String... args) throws IOException, InterruptedException {
        List<String> virsh = new ArrayList<>(List.of(binary));
        virsh.addAll(List.of(args));
        String quoted = virsh.stream().map(VirshRunner::quote).collect(Collectors.joining(" "));
        String pipeline = "(" + typing + ") | script --quiet --return --command " + quote(quoted) + " /dev/null";
        return execute(List.of("/bin/sh", "-c", pipeline), environment, "");
    }

    private Result execute(List<String> command, Map<String, String> environment, String input)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full);
        Map<String, String> env = builder.environment();
        env.remove("LIBVIRT_DEFAULT_URI");
        env.remove("VIRSH_DEFAULT_CONNECT_URI");
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        env.put("XDG_RUNTIME_DIR", home.resolve(".run").toString());
        env.putAll(environment);
        Path in = Files.writeString(Files.createTempFile(home, "in", ".txt"), input);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = builder.redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(command + " did not finish within " + TIMEOUT_SECONDS + " s; output so far:\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            process.waitFor();
            Files.delete(in);
            Files.delete(out);
            Files.delete(err);
        }
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
