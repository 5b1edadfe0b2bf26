package io.dpuvirt.cli.virsh;

import io.dpuvirt.cli.RawTerminal;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.rpc.client.ClientStream;
import io.dpuvirt.rpc.client.RemoteCallException;
import io.dpuvirt.rpc.remote.DomainFlags;
import io.dpuvirt.rpc.remote.DomainOpenConsoleArgs;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.wire.NonnullDomain;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static io.dpuvirt.cli.virsh.OptionSpec.flag;
import static io.dpuvirt.cli.virsh.OptionSpec.required;
import static io.dpuvirt.cli.virsh.OptionSpec.value;

/**
 * {@code virsh console}: the guest's console on this terminal, in raw mode, until Ctrl-] or the guest's
 * end. Without a terminal, stdin goes to the guest and its output to stdout; at the end of stdin the
 * session lasts until the guest has been quiet for {@link #DRAIN}, then detaches.
 */
final class ConsoleCommand {
    private static final int STDIN = 0;
    private static final int CONSOLE_FORCE = 1;
    private static final int CONSOLE_SAFE = 2;
    private static final long DRAIN_MILLIS = 500;

    private ConsoleCommand() {
    }

    static Command command() {
        return Command.of("console", (session, options) -> attach(session,
                        session.domain(options.required("domain")), options.value("devname"),
                        options.flag("force"), options.flag("safe")),
                required("domain"), value("devname"), flag("force"), flag("safe"));
    }

    static void attach(Session session, NonnullDomain domain, Optional<String> device, boolean force)
            throws VirshException, RemoteCallException {
        attach(session, domain, device, force, false);
    }

    private static void attach(Session session, NonnullDomain domain, Optional<String> device, boolean force,
                               boolean safe) throws VirshException, RemoteCallException {
        if (session.call(RemoteCalls.GET_STATE, new DomainFlags(domain, 0)).state() == StateNames.SHUTOFF) {
            throw new VirshException("The domain is not running");
        }
        session.output().printExtra("Connected to domain '" + domain.name() + "'\nEscape character is ^] (Ctrl + ])\n");
        session.output().flush();
        ClientStream stream;
        try {
            stream = session.client().openStream(RemoteCalls.OPEN_CONSOLE, new DomainOpenConsoleArgs(domain, device,
                    (force ? CONSOLE_FORCE : 0) | (safe ? CONSOLE_SAFE : 0)));
        } catch (IOException e) {
            throw new VirshException("connection to the daemon lost: " + e.getMessage());
        }
        if (RawTerminal.interactive()) {
            try (RawTerminal _ = RawTerminal.enter()) {
                run(session, stream, true);
            } catch (LinuxException e) {
                throw new VirshException("cannot set the terminal: " + e.getMessage());
            }
        } else {
            run(session, stream, false);
        }
    }

    /**
     * Guest to stdout on one thread, stdin to the guest on another, until one side ends; the stdin side is
     * stopped before this returns.
     */
    private static void run(Session session, ClientStream stream, boolean interactive) throws VirshException {
        CompletableFuture<Void> guestEnded = new CompletableFuture<>();
        AtomicLong lastOutput = new AtomicLong(System.nanoTime());
        Thread.ofVirtual().name("console-output").start(() -> {
            try {
                for (Optional<byte[]> bytes = stream.receive(); bytes.isPresent(); bytes = stream.receive()) {
                    session.output().write(bytes.get());
                    lastOutput.set(System.nanoTime());
                }
                guestEnded.complete(null);
            } catch (RemoteCallException | InterruptedException e) {
                guestEnded.completeExceptionally(e);
            }
        });
        try {
            try (ConsoleInput input = ConsoleInput.start(STDIN, interactive, stream::send)) {
                CompletableFuture.anyOf(guestEnded, input.ended()).get();
                if (!interactive && input.ended().isDone() && !guestEnded.isDone()) {
                    drain(guestEnded, lastOutput);
                }
            }
            if (guestEnded.isCompletedExceptionally()) {
                guestEnded.get();
            }
            stream.finish();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RemoteCallException remote
                    ? new VirshException(remote.error().message().orElse("console failed"))
                    : new VirshException("console: " + cause.getMessage());
        } catch (IOException e) {
            throw new VirshException("console: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirshException("console interrupted");
        }
    }

    /** Waits until the guest has said nothing for a while, or has ended. */
    private static void drain(CompletableFuture<Void> guestEnded, AtomicLong lastOutput)
            throws InterruptedException, ExecutionException {
        while (true) {
            long quietFor = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastOutput.get());
            if (quietFor >= DRAIN_MILLIS) {
                return;
            }
            try {
                guestEnded.get(DRAIN_MILLIS - quietFor, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                // look again: output may have come meanwhile
            }
        }
    }
}
