package io.dpuvirt.cli.rexec;

import io.dpuvirt.cli.RawTerminal;
import io.dpuvirt.cli.UsageException;
import io.dpuvirt.fabric.rexec.ByteString;
import io.dpuvirt.fabric.rexec.ExitStatus;
import io.dpuvirt.fabric.rexec.OutputSink;
import io.dpuvirt.fabric.rexec.PassedFd;
import io.dpuvirt.fabric.rexec.ProgramId;
import io.dpuvirt.fabric.rexec.RemoteProcess;
import io.dpuvirt.fabric.rexec.RexecClient;
import io.dpuvirt.fabric.rexec.SpawnFailedException;
import io.dpuvirt.fabric.rexec.SpawnRequest;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code rexec} does: build the request from the command line and this process (arguments, environment and
 * working directory as bytes), start the program, copy stdin to it and its output to fds 1 and 2, pass signals
 * on, and exit with its status. Kept free of native calls until the program runs (they cost start-up time), except
 * for -t, which needs the terminal's settings first.
 */
public final class RexecCommand {
    /** rexec itself failed: wrong usage, no server, connection lost; as ssh reports its own failures. */
    static final int FAILED = 255;

    private RexecCommand() {
    }

    public static int run(String[] args) {
        warmUpUnixSockets();
        RexecOptions options;
        try {
            options = RexecOptions.parse(RawInvocation.arguments(args));
        } catch (UsageException e) {
            System.err.println("rexec: " + e.getMessage());
            System.err.print(RexecOptions.USAGE);
            return FAILED;
        }
        if (options.help()) {
            System.out.print(RexecOptions.USAGE);
            return 0;
        }
        RawTerminal terminal = null;
        try {
            // without a terminal, -t gives the program pipes, as without it
            terminal = options.terminal() && RawTerminal.interactive() ? RawTerminal.enter() : null;
            return execute(options, terminal);
        } catch (SpawnFailedException e) {
            System.err.println("rexec: " + e.getMessage());
            return e.exitStatus();
        } catch (IOException e) {
            System.err.println("rexec: " + e.getMessage());
            return FAILED;
        } finally {
            if (terminal != null) {
                terminal.close();
            }
        }
    }

    private static int execute(RexecOptions options, RawTerminal terminal) throws IOException {
        RexecClient client = new RexecClient(options.socket() == null ? RexecClient.socketFromEnvironment() : options.socket());
        if (options.detached() != null) {
            ProgramId program = client.spawnDetached(request(options, null), options.detached());
            System.out.println(program.pid() + " " + program.startTime());
            System.out.flush(); // rexec halts, nothing flushes at exit
            return 0;
        }
        OutputSink stdout = OutputSink.to(new FileOutputStream(FileDescriptor.out).getChannel());
        OutputSink stderr = OutputSink.to(new FileOutputStream(FileDescriptor.err).getChannel());
        RemoteProcess process = client.start(request(options, terminal), stdout, stderr);
        PidFile.Writer pidFile = PidFile.writeInBackground(process.pid());
        try {
            if (!options.stdinFromNull()) {
                Thread.ofPlatform().daemon().name("rexec-stdin").start(() -> copyStdin(process));
            }
            SignalForwarder.start(process, terminal);
            ExitStatus status = process.waitFor();
            return status.shellStatus();
        } finally {
            pidFile.remove();
        }
    }

    /**
     * The JDK's unix sockets initialize a SecureRandom on first use (for temporary socket names rexec never uses),
     * some 20 ms: started on another core first thing, while this thread reads the command line and builds the request.
     */
    private static void warmUpUnixSockets() {
        Thread.ofPlatform().daemon().name("rexec-warm-up").start(() -> {
            try {
                SocketChannel.open(StandardProtocolFamily.UNIX).close();
            } catch (IOException ignored) {
                // the real connection reports whatever is wrong
            }
        });
    }

    private static SpawnRequest request(RexecOptions options, RawTerminal terminal) {
        List<ByteString> environment = RawInvocation.environment();
        SpawnRequest request = SpawnRequest.of(options.command())
                .withEnvironment(options.environment() == null ? environment : chosen(options.environment(), environment));
        request = options.directory() != null
                ? request.withDirectory(options.directory())
                : request.withPreferredDirectory(RawInvocation.workingDirectory(environment));
        if (options.stdinFromNull()) {
            request = request.withStdinFromNull();
        }
        if (terminal != null) {
            request = request.withTerminal(terminal.size());
        }
        if (!options.fds().isEmpty()) {
            request = request.withFds(options.fds().stream().map(fd -> new PassedFd(fd, fd)).toList());
        }
        return request;
    }

    /** -e choices: NAME=VALUE as given, NAME with its value here (left out when unset here). */
    private static List<ByteString> chosen(List<ByteString> choices, List<ByteString> environment) {
        List<ByteString> entries = new ArrayList<>();
        for (ByteString choice : choices) {
            if (choice.indexOf((byte) '=') > 0) {
                entries.add(choice);
                continue;
            }
            ByteString prefix = choice.concat(ByteString.of("="));
            environment.stream().filter(entry -> entry.startsWith(prefix)).findFirst().ifPresent(entries::add);
        }
        return entries;
    }

    /** Copies this process's stdin to the program's until end of file, which it then passes on. */
    private static void copyStdin(RemoteProcess process) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = new FileInputStream(FileDescriptor.in); OutputStream out = process.stdin()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the program ended, or stdin cannot be read (closed): end of input either way
        }
    }
}
