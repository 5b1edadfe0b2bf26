package io.dpuvirt.testbed;

import io.dpuvirt.common.exec.CommandResult;
import io.dpuvirt.common.exec.Commands;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One machine of the test bed: its network namespace, its mount namespace and its link address. */
public final class Side {
    /** The two machines. */
    public enum Role {
        HOST, DPU;

        String shortName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Role of(String name) {
            for (Role role : values()) {
                if (role.shortName().equals(name.toLowerCase(java.util.Locale.ROOT))) {
                    return role;
                }
            }
            throw new IllegalArgumentException("no side '" + name + "' (host or dpu)");
        }
    }

    private final Role role;
    private final String networkNamespace;
    private final Path mountNamespace;
    private final String address;

    Side(Role role, String networkNamespace, Path mountNamespace, String address) {
        this.role = role;
        this.networkNamespace = networkNamespace;
        this.mountNamespace = mountNamespace;
        this.address = address;
    }

    public Role role() {
        return role;
    }

    /** The side's address on the link between the two (e.g. 169.254.77.1 for the HOST). */
    public String address() {
        return address;
    }

    public String networkNamespace() {
        return networkNamespace;
    }

    /**
     * The prefix that runs a command on this side: nsenter joins both namespaces and then execs the command
     * itself, so the pid of the started process is the command's pid.
     */
    public List<String> enter() {
        return enter(Path.of("/"));
    }

    /** The same, starting the command in {@code workingDirectory} (resolved inside the side's mounts). */
    public List<String> enter(Path workingDirectory) {
        return List.of("nsenter", "--net=/run/netns/" + networkNamespace, "--mount=" + mountNamespace,
                "--wdns=" + workingDirectory, "--");
    }

    public List<String> command(List<String> argv) {
        List<String> full = new ArrayList<>(enter());
        full.addAll(argv);
        return full;
    }

    public ProcessBuilder processBuilder(List<String> argv) {
        return new ProcessBuilder(command(argv));
    }

    public ProcessBuilder processBuilder(String... argv) {
        return processBuilder(List.of(argv));
    }

    /** Runs a command on this side to completion. */
    public CommandResult run(Duration timeout, String... argv) throws IOException {
        return Commands.run(command(List.of(argv)), timeout);
    }

    public CommandResult run(String... argv) throws IOException {
        return run(Commands.DEFAULT_TIMEOUT, argv);
    }

    /** Runs a shell command line on this side and throws unless it succeeds. */
    public CommandResult shell(String script) throws IOException {
        return Commands.run(command(List.of("sh", "-c", script)), Commands.DEFAULT_TIMEOUT).orThrow();
    }

    @Override
    public String toString() {
        return role.shortName() + " (" + address + ")";
    }
}
