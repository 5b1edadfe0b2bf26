package io.dpuvirt.systest;

import io.dpuvirt.testbed.Side;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A server started on one side for a test, ready once it printed its first line ("ready"). */
final class Background implements AutoCloseable {
    private final Process process;
    private final String description;

    private Background(Process process, String description) {
        this.process = process;
        this.description = description;
    }

    static Background start(Side side, List<String> command) throws IOException {
        Process process = side.processBuilder(command).redirectErrorStream(true).start();
        Background background = new Background(process, side + ": " + String.join(" ", command));
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return output.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = firstLine.get(20, TimeUnit.SECONDS);
            if (!"ready".equals(line)) {
                background.close();
                throw new IOException(background.description + " did not start: " + line);
            }
        } catch (Exception e) {
            background.close();
            throw new IOException(background.description + " did not start", e);
        }
        return background;
    }

    /** A udstool.py server on {@code side}. */
    static Background udstool(Side side, String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("python3", Project.UDSTOOL.toString()));
        command.addAll(List.of(arguments));
        return start(side, command);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
