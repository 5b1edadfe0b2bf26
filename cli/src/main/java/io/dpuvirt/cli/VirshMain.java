package io.dpuvirt.cli;

import io.dpuvirt.cli.VirshOptionReader.Found;
import io.dpuvirt.cli.virsh.CommandInput;
import io.dpuvirt.cli.virsh.Virsh;
import io.dpuvirt.cli.virsh.VirshException;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * {@code virsh}: libvirt's command names, options, output and exit statuses (0 when the last command
 * succeeded, 1 otherwise), over libvirt's protocol to a local daemon. The URI is {@code -c URI}, else
 * {@code VIRSH_DEFAULT_CONNECT_URI}, else {@code LIBVIRT_DEFAULT_URI}, else the daemon's default; as in
 * libvirt, an empty one counts as none, but an empty {@code -c} still keeps virsh's variable out.
 */
public final class VirshMain {
    private static final String USAGE = """
            usage: virsh [options] [COMMAND [ARGS...]]

              -c | --connect URI   hypervisor connection URI (test+unix:///default?socket=PATH, qemu:///system, ...)
              -r | --readonly      connect read-only
              -q | --quiet         quiet mode: no table headers, no "Domain 'x' started"
              -h | --help          this help
              -v | --version       the libvirt version this virsh speaks
              -e, -k, -K, -d, -l, -t  accepted for compatibility, ignored (the console's escape is Ctrl-])
            One argument is a command line ("list --all; dominfo web1"), several are one command, none reads
            commands from stdin. Run 'virsh help' for the commands.
            """;
    private static final String LONG_VERSION = "Virsh command line tool of dpuvirt, speaking the protocol of libvirt 9.0.0";

    private VirshMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> environment, PrintStream stdout, PrintStream stderr) {
        Optional<String> connect = Optional.empty();
        boolean readOnly = false;
        boolean quiet = false;
        VirshOptionReader options = new VirshOptionReader(args);
        try {
            for (Optional<Found> found = options.next(); found.isPresent(); found = options.next()) {
                switch (found.get().option()) {
                    case CONNECT -> connect = found.get().value();
                    case READONLY -> readOnly = true;
                    case QUIET -> quiet = true;
                    case HELP -> {
                        stdout.print(USAGE);
                        return ExitStatus.OK;
                    }
                    case VERSION -> {
                        stdout.println(found.get().value().equals(Optional.of("long")) ? LONG_VERSION : "9.0.0");
                        return ExitStatus.OK;
                    }
                    case LONG_VERSION -> {
                        stdout.println(LONG_VERSION);
                        return ExitStatus.OK;
                    }
                    case TIMING, ESCAPE, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT, DEBUG, LOG -> {
                    }
                }
            }
        } catch (VirshException e) {
            stderr.println("error: " + e.getMessage());
            return ExitStatus.FAILED;
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(stdout, 1 << 16), false, StandardCharsets.UTF_8);
        return new Virsh(CommandInput.stdin()).execute(uri(connect, environment), readOnly, quiet, options.command(), out, stderr);
    }

    /**
     * {@code -c}'s URI, else virsh's own variable; an empty one is none, and then libvirt reads
     * LIBVIRT_DEFAULT_URI.
     */
    static Optional<String> uri(Optional<String> connect, Map<String, String> environment) {
        return connect.or(() -> Optional.ofNullable(environment.get("VIRSH_DEFAULT_CONNECT_URI")))
                .filter(uri -> !uri.isEmpty())
                .or(() -> Optional.ofNullable(environment.get("LIBVIRT_DEFAULT_URI")).filter(uri -> !uri.isEmpty()));
    }
}
