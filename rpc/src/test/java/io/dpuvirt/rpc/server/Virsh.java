package io.dpuvirt.rpc.server;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's real virsh (libvirt-clients), run as a separate process with its own HOME and no default
 * URI so that it writes no state outside the test's directory. Installs the package if it is missing
 * and fails the test, loudly, if it cannot.
 */
final class Virsh {
    private static final Path BINARY = Path.of("/usr/bin/virsh");
    private static final long TIMEOUT_SECONDS = 20;

    record Result(int exitCode, String stdout, String stderr) {
    }

    private final Path home;

    Virsh(Path home) {
        this.home = home;
    }

    static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        Result install = runCommand(List.of("apt-get", "install", "-y", "-q", "libvirt-clients"), Path.of("/"));
        if (install.exitCode() != 0) {
            runCommand(List.of("apt-get", "update", "-q"), Path.of("/"));
            install = runCommand(List.of("apt-get", "install", "-y", "-q", "libvirt-clients"), Path.of("/"));
        }
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("virsh is missing and installing libvirt-clients failed (exit "
                    + install.exitCode() + "):\n" + install.stdout() + install.stderr());
        }
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        return runCommand(command, home);
    }

    /**
     * Runs virsh on a pseudo-terminal, as {@code virsh console} requires, through util-linux's
     * {@code script}; the terminal's output (both streams) comes back as stdout.
     */
    Result runOnTerminal(String... args) throws IOException, InterruptedException {
        List<String> virshCommand = new ArrayList<>();
        virshCommand.add(BINARY.toString());
        virshCommand.addAll(List.of(args));
        String quoted = String.join(" ", virshCommand.stream().map(arg -> "'" + arg.replace("'", "'\\''") + "'").toList());
        return runCommand(List.of("script", "--quiet", "--return", "--command", quoted, "/dev/null"), home);
    }

    private static Result runCommand(List<String> command, Path home) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.remove("LIBVIRT_DEFAULT_URI");
        env.remove("VIRSH_DEFAULT_CONNECT_URI");
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        env.put("XDG_RUNTIME_DIR", home.resolve(".run").toString());
        env.put("DEBIAN_FRONTEND", "noninteractive");
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(command + " did not finish within " + TIMEOUT_SECONDS + " s; its output so far:\n"
                        + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            process.waitFor();
            Files.delete(out);
            Files.delete(err);
        }
    }
}
