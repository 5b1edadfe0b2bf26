package io.dpuvirt.common.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs short external commands (ip, mount, nsenter…) to completion, with a time limit and captured output. */
public final class Commands {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Commands() {
    }

    public static CommandResult run(List<String> argv) throws IOException {
        return run(argv, DEFAULT_TIMEOUT);
    }

    public static CommandResult run(String... argv) throws IOException {
        return run(List.of(argv), DEFAULT_TIMEOUT);
    }

    /** Runs {@code argv} with stdin from /dev/null; a command still running after {@code timeout} is killed. */
    public static CommandResult run(List<String> argv, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IOException("'" + String.join(" ", argv) + "' did not finish within " + timeout.toSeconds() + " s");
            }
            return new CommandResult(argv, process.exitValue(), stdout.get(), stderr.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running '" + String.join(" ", argv) + "'", e);
        } catch (ExecutionException e) {
            throw new IOException("cannot read the output of '" + String.join(" ", argv) + "'", e.getCause());
        }
    }

    /** Runs {@code argv} and throws unless it exits 0. */
    public static CommandResult check(String... argv) throws IOException {
        return run(List.of(argv), DEFAULT_TIMEOUT).orThrow();
    }

    private static String drain(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
