package io.dpuvirt.cli.rexec;

import io.dpuvirt.cli.UsageException;
import io.dpuvirt.fabric.rexec.ByteString;
import io.dpuvirt.fabric.rexec.DetachedFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * rexec's command line: options, then the program and its arguments. Options end at the first argument that is not
 * one (or at {@code --}), so everything after the program name belongs to the program, byte for byte.
 *
 * @param directory       null: the client's working directory (or / where the server has no such directory)
 * @param socket          null: $REXEC_SOCKET or the default socket
 * @param environment     null: the client's whole environment; else exactly these NAME or NAME=VALUE choices
 * @param detached        null: the program is attached; else it is detached, its output going to these files
 */
record RexecOptions(boolean help, boolean terminal, boolean stdinFromNull, List<ByteString> environment,
                    ByteString directory, Path socket, List<Integer> fds, DetachedFiles detached, List<ByteString> command) {
    static final String USAGE = """
            usage: rexec [options] PROGRAM [ARGUMENT...]

            Runs PROGRAM through rexec_server (on the other side when udsproxyd carries its socket) as if it ran here:
            arguments byte for byte, stdin/stdout/stderr, environment, working directory, signals, exit status.
            PROGRAM is an absolute path, or a name the server looks up in its own fixed PATH.

              -t, --tty             give PROGRAM a terminal when stdin is one (raw mode here; the size follows)
              -n, --no-stdin        PROGRAM's stdin is /dev/null (rexec reads nothing from its own)
              -i, --no-environment  pass no environment variables
              -e, --env NAME[=VALUE]  pass NAME from here, or set it; only the variables named are passed (repeatable)
              -C, --chdir DIR       run in DIR on the server, which must exist (default: this directory, or /)
              -s, --socket PATH     the server's socket (default: $REXEC_SOCKET, else /var/run/rexec/rexec_uds.sock)
                  --fd N            pass descriptor N as N (repeatable; across hosts: regular files only)
                  --detach          PROGRAM outlives rexec, the link and the server; rexec prints "PID START-TIME"
                                    and exits 0 once it runs (its stdin is /dev/null)
                  --stdout FILE     with --detach: append PROGRAM's stdout to FILE on the server (default /dev/null)
                  --stderr FILE     with --detach: the same for its stderr
              -h, --help            this text
            The remote pid is in /var/run/rexec/pids/<pid of rexec> while PROGRAM runs.
            exit status: PROGRAM's (0 once a detached one runs), 128+N if a signal N killed it, 126 refused or not
            executable, 127 not found, 255 rexec itself failed (wrong usage, server unreachable, connection lost)
            """;
    private static final ByteString END_OF_OPTIONS = ByteString.of("--");
    private static final java.util.Set<String> VALUED = java.util.Set.of("-e", "--env", "-C", "--chdir", "-s", "--socket", "--fd",
            "--stdout", "--stderr");

    static RexecOptions parse(List<ByteString> args) throws UsageException {
        boolean help = false, terminal = false, stdinFromNull = false, noEnvironment = false, detach = false;
        ByteString stdout = null, stderr = null;
        List<ByteString> chosen = new ArrayList<>();
        ByteString directory = null;
        Path socket = null;
        List<Integer> fds = new ArrayList<>();
        int next = 0;
        while (next < args.size()) {
            ByteString arg = args.get(next);
            if (arg.equals(END_OF_OPTIONS)) {
                next++;
                break;
            }
            if (arg.length() < 2 || arg.byteAt(0) != '-') {
                break;
            }
            next++;
            // --name=value is --name value
            int equals = arg.indexOf((byte) '=');
            boolean inline = arg.byteAt(1) == '-' && equals > 0;
            String name = (inline ? arg.substring(0, equals) : arg).toString();
            ByteString value = inline ? arg.substring(equals + 1, arg.length()) : null;
            if (!VALUED.contains(name) && inline) {
                throw new UsageException("option " + name + " takes no value");
            }
            if (VALUED.contains(name) && value == null) {
                if (next >= args.size()) {
                    throw new UsageException("option " + name + " needs a value");
                }
                value = args.get(next++);
            }
            switch (name) {
                case "-h", "--help" -> help = true;
                case "-t", "--tty" -> terminal = true;
                case "-n", "--no-stdin" -> stdinFromNull = true;
                case "-i", "--no-environment" -> noEnvironment = true;
                case "-e", "--env" -> chosen.add(value);
                case "-C", "--chdir" -> directory = value;
                case "-s", "--socket" -> socket = Path.of(value.toString());
                case "--fd" -> fds.add(descriptor(value.toString()));
                case "--detach" -> detach = true;
                case "--stdout" -> stdout = value;
                case "--stderr" -> stderr = value;
                default -> throw new UsageException("unknown option " + arg + " (options go before PROGRAM)");
            }
        }
        List<ByteString> command = List.copyOf(args.subList(next, args.size()));
        if (command.isEmpty() && !help) {
            throw new UsageException("no PROGRAM given");
        }
        List<ByteString> environment = noEnvironment || !chosen.isEmpty() ? List.copyOf(chosen) : null;
        DetachedFiles detached = detach ? detachedOutput(terminal, stdout, stderr) : null;
        if (!detach && (stdout != null || stderr != null)) {
            throw new UsageException("--stdout and --stderr go with --detach (an attached program's output comes here)");
        }
        return new RexecOptions(help, terminal, stdinFromNull || detach, environment, directory, socket, List.copyOf(fds), detached, command);
    }

    private static DetachedFiles detachedOutput(boolean terminal, ByteString stdout, ByteString stderr) throws UsageException {
        if (terminal) {
            throw new UsageException("--detach and -t contradict each other: nothing of a detached program's stdio comes here");
        }
        try {
            return new DetachedFiles(stdout == null ? ByteString.EMPTY : stdout, stderr == null ? ByteString.EMPTY : stderr,
                    ByteString.EMPTY);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--stdout and --stderr need absolute paths on the server's machine");
        }
    }

    private static int descriptor(String value) throws UsageException {
        if (!value.matches("\\d{1,4}")) {
            throw new UsageException("--fd needs a descriptor number, not '" + value + "'");
        }
        return Integer.parseInt(value);
    }
}
