package io.dpuvirt.cli;

import io.dpuvirt.cli.virsh.Virsh;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code virsh}: libvirt's command names, options, output and exit statuses (0 when the last command
 * succeeded, 1 otherwise), over libvirt's protocol to a local daemon. The URI is {@code -c URI}, else
 * {@code LIBVIRT_DEFAULT_URI}, else {@code VIRSH_DEFAULT_CONNECT_URI}, else the daemon's default.
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

    private VirshMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Optional<String> uri = Optional.ofNullable(System.getenv("LIBVIRT_DEFAULT_URI"))
                .or(() -> Optional.ofNullable(System.getenv("VIRSH_DEFAULT_CONNECT_URI")))
                .filter(u -> !u.isEmpty());
        boolean readOnly = false;
        boolean quiet = false;
        int i = 0;
        // global options come before the command, as virsh's getopt stops at the first word that is not one
        for (; i < args.length && args[i].startsWith("-") && args[i].length() > 1; i++) {
            String option = args[i];
            switch (option) {
                case "-c", "--connect" -> {
                    if (++i >= args.length) {
                        return usage("option " + option + " needs a URI");
                    }
                    uri = Optional.of(args[i]);
                }
                case "-r", "--readonly" -> readOnly = true;
                case "-q", "--quiet" -> quiet = true;
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    return ExitStatus.OK;
                }
                case "-v", "--version" -> {
                    System.out.println("9.0.0");
                    return ExitStatus.OK;
                }
                case "-V" -> {
                    System.out.println("Virsh command line tool of dpuvirt, speaking the protocol of libvirt 9.0.0");
                    return ExitStatus.OK;
                }
                case "-t", "--timing" -> { }
                case "-e", "--escape", "-k", "--keepalive-interval", "-K", "--keepalive-count", "-d", "--debug",
                     "-l", "--log" -> i++;
                default -> {
                    if (!option.startsWith("--connect=")) {
                        return usage("unsupported option '" + option + "'");
                    }
                    uri = Optional.of(option.substring("--connect=".length()));
                }
            }
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.UTF_8);
        return new Virsh().execute(uri, readOnly, quiet, List.of(args).subList(i, args.length), out, System.err);
    }

    private static int usage(String problem) {
        System.err.println("virsh: " + problem);
        System.err.print(USAGE);
        return ExitStatus.FAILED;
    }
}
