package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.common.linux.Signals;
import io.dpuvirt.common.log.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Detached programs through rexec_server and the Java API in this JVM: they outlive their client and the server,
 * a restarted server takes them over, and the requests about them reach them and nothing else. (Across the test
 * bed, with the server killed -9 and the link in between, see systest.) Every program started here is killed by
 * pid after each test, whatever happened.
 */
class DetachedProgramsTest {
    private static final Duration GRACE = Duration.ofMillis(300);

    @TempDir
    Path dir;
    private Path socket;
    private RexecServerConfig config;
    private RexecServer server;
    private RexecClient client;
    private final List<ProgramId> started = new ArrayList<>();
    private final List<RemoteProcess> attached = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("rexec.sock");
        Path whitelist = dir.resolve("whitelist");
        Files.writeString(whitelist, "/bin/sh\n/bin/sleep\n/bin/true\n");
        Files.setPosixFilePermissions(whitelist, PosixFilePermissions.fromString("rw-------"));
        Files.createDirectory(dir.resolve("logs"));
        Files.createDirectory(dir.resolve("state"));
        config = new RexecServerConfig(socket, whitelist, false, GRACE, List.of(dir.resolve("logs")), List.of(dir.resolve("state")), List.of());
        server = RexecServer.start(config);
        client = new RexecClient(socket);
    }

    @AfterEach
    void stop() {
        attached.forEach(RemoteProcess::close);
        started.forEach(DetachedProgramCleanup::killIfRunning);
        if (server != null) {
            server.close();
        }
    }

    private ProgramId detached(DetachedFiles output, String... argv) throws Exception {
        ProgramId program = client.spawnDetached(SpawnRequest.of(argv), output);
        started.add(program);
        return program;
    }

    private ProgramId detachedSleep() throws Exception {
        return detached(DetachedFiles.DISCARD, "/bin/sleep", "1000");
    }

    /** A process started by the program itself, known by its pid: adopted for clean-up. */
    private ProgramId process(int pid) {
        ProgramId process = new ProgramId(pid, ProcessStat.read(pid).orElseThrow().startTime());
        started.add(process);
        return process;
    }

    private static boolean runs(ProgramId program) {
        return ProcessStat.read(program.pid()).filter(stat -> stat.startTime() == program.startTime() && !stat.ended()).isPresent();
    }

    /** Waits (generously: no timing assertion) until {@code condition} holds. */
    /** The server tells watchers of an end before it removes the program's record: the removal follows shortly. */
    private void awaitRecordRemoved(ProgramId program) throws InterruptedException {
        Path record = config.detachedDirectory().resolve(Integer.toString(program.pid()));
        await("the removal of " + record, () -> !Files.exists(record));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ProgramState.Ended endOf(CompletableFuture<ProgramState.Ended> watch) throws Exception {
        return watch.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aDetachedProgramOutlivesItsClientWithItsOutputInFilesAndStdinFromDevNull() throws Exception {
        Path out = dir.resolve("logs/out.log");
        Path err = dir.resolve("logs/err.log");
        Files.writeString(out, "before\n");
        // spawnDetached has closed its connection when it returns: the client is gone, the program runs on
        ProgramId program = detached(DetachedFiles.appendTo(out, err), "/bin/sh", "-c", "echo out; echo err >&2; exec sleep 1000");

        assertThat(runs(program)).isTrue();
        assertThat(ProcessStat.read(program.pid()).orElseThrow().session()).isEqualTo(program.pid());
        assertThat(Files.readSymbolicLink(Path.of("/proc", Integer.toString(program.pid()), "fd", "0"))).isEqualTo(Path.of("/dev/null"));
        await("its output", () -> read(out).equals("before\nout\n") && read(err).equals("err\n"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(err))).isEqualTo("rw-------");
        assertThat(client.status(program)).isEqualTo(new ProgramState.Running());

        // recorded for the next server, and not among the attached programs a next server would terminate
        assertThat(Files.readString(config.detachedDirectory().resolve(Integer.toString(program.pid()))))
                .isEqualTo("start-time " + program.startTime() + "\nuid 0\nprogram /usr/bin/dash\n");
        assertThat(config.childrenDirectory().resolve(Integer.toString(program.pid()))).doesNotExist();
    }

    @Test
    void aWatchRemovesTheProgramsDirectoryWithItsFilesBeforeItTellsOfTheEnd() throws Exception {
        Path run = Files.createDirectories(dir.resolve("state/domain-1"));
        Files.writeString(run.resolve("pid"), "1\n"); // what a hypervisor leaves when it is killed
        Files.createSymbolicLink(run.resolve("link"), dir.resolve("logs")); // removed itself, not followed
        ProgramId program = detachedSleep();
        CompletableFuture<ProgramState.Ended> watch = client.watch(program, run);
        assertThat(client.status(program)).isInstanceOf(ProgramState.Running.class);
        assertThat(run).isDirectory();

        client.signal(program, Signals.SIGTERM);
        assertThat(endOf(watch)).isEqualTo(ProgramState.Ended.of(ExitStatus.killed(Signals.SIGTERM)));
        assertThat(run).as("gone by the time the end is told").doesNotExist();
        assertThat(dir.resolve("logs")).isDirectory();

        Path holding = Files.createDirectories(dir.resolve("state/domain-2/sub"));
        Files.writeString(holding.getParent().resolve("pid"), "2\n");
        assertThat(endOf(client.watch(program, holding.getParent()))).isEqualTo(ProgramState.Ended.of(ExitStatus.killed(Signals.SIGTERM)));
        assertThat(holding.getParent().resolve("pid")).as("its files go").doesNotExist();
        assertThat(holding).as("a directory in it stays, and so does it").isDirectory();
    }

    @Test
    void aWatchCleansUpOnlyBeneathAStateDirectoryAndAlsoForAProgramLongGone() throws Exception {
        ProgramId program = detachedSleep();
        Path logs = dir.resolve("logs");
        assertThatThrownBy(() -> endOf(client.watch(program, logs)))
                .hasCauseInstanceOf(RequestRefusedException.class)
                .hasMessageContaining("beneath a state directory");
        assertThat(logs).isDirectory();
        assertThat(runs(program)).isTrue();

        Path run = Files.createDirectories(dir.resolve("state/domain-3"));
        Files.writeString(run.resolve("pid"), "3\n");
        ProgramId unknown = new ProgramId(program.pid(), program.startTime() + 1);
        assertThatThrownBy(() -> endOf(client.watch(unknown, run)))
                .hasCauseInstanceOf(RequestRefusedException.class)
                .hasMessageContaining("no detached program " + unknown);
        assertThat(run).as("a program the server no longer knows ended long ago: its directory goes").doesNotExist();
    }

    @Test
    void signalStatusWatchAffinityAndCpuTimeReachTheProgram() throws Exception {
        ProgramId program = detached(DetachedFiles.DISCARD, "/bin/sh", "-c", "trap 'exit 3' USR1; while :; do sleep 0.02; done");
        CompletableFuture<ProgramState.Ended> watch = client.watch(program);

        assertThat(client.cpuTime(program)).isGreaterThanOrEqualTo(Duration.ZERO);
        BitSet firstCpu = new BitSet();
        firstCpu.set(0);
        client.setAffinity(program, program.pid(), firstCpu);
        assertThat(Files.readAllLines(Path.of("/proc", Integer.toString(program.pid()), "status")))
                .contains("Cpus_allowed_list:\t0");
        int notItsThread = (int) ProcessHandle.current().pid();
        assertThatThrownBy(() -> client.setAffinity(program, notItsThread, firstCpu))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.programGone()).isFalse())
                .hasMessage("thread " + notItsThread + " is not a thread of " + program);
        assertThat(watch).isNotDone();

        client.signal(program, Signals.SIGUSR1);
        assertThat(endOf(watch)).isEqualTo(ProgramState.Ended.of(ExitStatus.exited(3)));
        assertThat(client.status(program)).isEqualTo(ProgramState.Ended.of(ExitStatus.exited(3)));
        assertThat(endOf(client.watch(program))).isEqualTo(ProgramState.Ended.of(ExitStatus.exited(3)));
        awaitRecordRemoved(program);
        assertThatThrownBy(() -> client.signal(program, Signals.SIGTERM))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.programGone()).isTrue())
                .hasMessage(program + " has ended: exited with status 3");
        assertThatThrownBy(() -> client.cpuTime(program)).isInstanceOf(RequestRefusedException.class);
    }

    @Test
    void requestsReachNothingButARunningDetachedProgramOfTheServer() throws Exception {
        ProgramId program = detachedSleep();
        ProgramId wrongStartTime = new ProgramId(program.pid(), program.startTime() + 1);
        RemoteProcess attachedSleep = client.start(SpawnRequest.of("/bin/sleep", "1000"));
        attached.add(attachedSleep);
        ProgramId attachedProgram = process((int) attachedSleep.pid());
        ProgramId thisJvm = new ProgramId((int) ProcessHandle.current().pid(),
                ProcessStat.read((int) ProcessHandle.current().pid()).orElseThrow().startTime());

        for (ProgramId other : List.of(wrongStartTime, attachedProgram, thisJvm)) {
            for (ThrowingRequest request : List.<ThrowingRequest>of(() -> client.status(other), () -> client.signal(other, Signals.SIGKILL),
                    () -> client.cpuTime(other), () -> client.setAffinity(other, other.pid(), BitSet.valueOf(new long[] {1})),
                    () -> endOf(client.watch(other)))) {
                assertThatThrownBy(request::run).satisfies(thrown -> {
                    Throwable refusal = thrown instanceof ExecutionException ? thrown.getCause() : thrown;
                    assertThat(refusal).isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.programGone()).isTrue())
                            .hasMessageStartingWith("no detached program " + other);
                });
            }
        }
        assertThat(runs(attachedProgram)).isTrue();
        assertThat(runs(program)).isTrue();
    }

    private interface ThrowingRequest {
        void run() throws Exception;
    }

    @Test
    void attachedProgramsAreStillEndedWhenTheirClientGoes() throws Exception {
        ProgramId program = detachedSleep();
        RemoteProcess attachedSleep = client.start(SpawnRequest.of("/bin/sleep", "1000"));
        ProgramId attachedProgram = process((int) attachedSleep.pid());
        attachedSleep.close();
        await("the attached program's end", () -> !runs(attachedProgram));
        assertThat(client.status(program)).isEqualTo(new ProgramState.Running());
    }

    @Test
    void aClientMayStayConnectedAfterStartedToBeToldTheEnd() throws Exception {
        try (ChannelWire wire = ChannelWire.connect(socket)) {
            wire.write(SpawnRequest.of("/bin/sh", "-c", "exit 7").withDetached(DetachedFiles.DISCARD).encode());
            FrameReader reader = new FrameReader(wire, Protocol.MAX_ANSWER);
            FrameReader.Frame started = reader.next();
            assertThat(started.type()).isEqualTo(Protocol.STARTED);
            ProgramId program = ProgramId.decode(started.payload());
            // unconfirmed (the end may come first): the end is told all the same
            FrameReader.Frame exited = reader.next();
            assertThat(exited.type()).isEqualTo(Protocol.EXITED);
            assertThat(ProgramState.Ended.decode(exited.payload())).isEqualTo(ProgramState.Ended.of(ExitStatus.exited(7)));
            assertThat(reader.next()).isNull();
            assertThat(client.status(program)).isEqualTo(ProgramState.Ended.of(ExitStatus.exited(7)));
        }
    }

    @Test
    void aStartKeptAsTheWatchTellsTheEndAfterRemovingTheRunDirectory() throws Exception {
        Path run = dir.resolve("state/domain-4");
        Path stop = dir.resolve("stop");
        RexecClient.Detached started = client.startDetached(SpawnRequest.of("/bin/sh", "-c",
                "while [ ! -e " + stop + " ]; do sleep 0.01; done; echo left > " + run.resolve("pid") + "; exit 7"),
                DetachedFiles.DISCARD.withRunDirectory(run));
        assertThat(run).as("made before the start").isDirectory();
        assertThat(started.end()).isNotDone();
        assertThat(client.status(started.program())).isEqualTo(new ProgramState.Running());

        Files.writeString(stop, "");
        assertThat(endOf(started.end())).isEqualTo(ProgramState.Ended.of(ExitStatus.exited(7)));
        assertThat(run).as("gone with its files by the time the end is told").doesNotExist();

        RexecClient.Detached quick = client.startDetached(SpawnRequest.of("/bin/true"), DetachedFiles.DISCARD);
        assertThat(endOf(quick.end())).as("an end right after STARTED, read off the same connection")
                .isEqualTo(ProgramState.Ended.of(ExitStatus.exited(0)));
    }

    @Test
    void theRunDirectoryAndTheOutputsDirectoryAreMadeBeforeTheStartBeneathTheirAreasOnly() throws Exception {
        Path run = dir.resolve("state/qemu/domain-1-vm");
        Path log = dir.resolve("logs/qemu/vm.log");
        ProgramId program = detached(DetachedFiles.appendTo(log, log).withRunDirectory(run),
                "/bin/sh", "-c", "test -d \"$0\" && echo there; exec sleep 1000", run.toString());
        await("the program's output", () -> read(log).equals("there\n"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent()))).isEqualTo("rwxr-xr-x");
        client.signal(program, Signals.SIGKILL);

        Path outsideRun = dir.resolve("elsewhere/run");
        assertThatThrownBy(() -> detached(DetachedFiles.DISCARD.withRunDirectory(outsideRun), "/bin/sleep", "1000"))
                .isInstanceOf(SpawnFailedException.class).hasMessageContaining("is not beneath a state directory");
        Path outsideLog = dir.resolve("elsewhere/log/vm.log");
        assertThatThrownBy(() -> detached(DetachedFiles.appendTo(outsideLog, outsideLog), "/bin/sleep", "1000"))
                .isInstanceOf(SpawnFailedException.class).hasMessageContaining("outside the directories");
        Files.createDirectory(dir.resolve("state/link-target"));
        Files.createSymbolicLink(dir.resolve("logs/escape"), dir.resolve("state/link-target"));
        Path throughLink = dir.resolve("logs/escape/new/vm.log");
        assertThatThrownBy(() -> detached(DetachedFiles.appendTo(throughLink, throughLink), "/bin/sleep", "1000"))
                .isInstanceOf(SpawnFailedException.class);
        assertThat(dir.resolve("elsewhere")).doesNotExist();
        assertThat(dir.resolve("state/link-target/new")).doesNotExist();
        assertThatThrownBy(() -> detached(DetachedFiles.DISCARD.withRunDirectory(dir.resolve("state/x")), "/bin/forbidden"))
                .isInstanceOf(SpawnFailedException.class);
        assertThat(dir.resolve("state/x")).as("nothing is made for a program that is refused").doesNotExist();
    }

    @Test
    void aStartThatFailsAfterTheRunDirectoryWasMadeTakesItAwayAgainButLeavesOneThatWasThere() throws Exception {
        Path run = dir.resolve("state/qemu/domain-2-vm");
        SpawnRequest inMissingDirectory = SpawnRequest.of("/bin/sleep", "1000").withDirectory(ByteString.of(dir + "/none"));
        assertThatThrownBy(() -> client.spawnDetached(inMissingDirectory, DetachedFiles.DISCARD.withRunDirectory(run)))
                .isInstanceOf(SpawnFailedException.class).hasMessageContaining("does not exist on the server");
        assertThat(run).as("made for the start, gone with it").doesNotExist();
        assertThat(run.getParent()).as("a parent is shared by programs: kept").isDirectory();

        Files.createDirectories(run);
        Files.writeString(run.resolve("kept"), "");
        assertThatThrownBy(() -> client.spawnDetached(inMissingDirectory, DetachedFiles.DISCARD.withRunDirectory(run)))
                .isInstanceOf(SpawnFailedException.class);
        assertThat(run.resolve("kept")).as("there before the start: not this server's to remove").exists();
    }

    @Test
    void aRestartedServerTakesOverTheDetachedProgramsItsPredecessorLeft() throws Exception {
        Path out = dir.resolve("logs/background");
        ProgramId program = detached(new DetachedFiles(ByteString.of(out.toString()), ByteString.EMPTY, ByteString.EMPTY),
                "/bin/sh", "-c", "sleep 1000 & echo $!; exec sleep 1000");
        await("the background pid", () -> read(out).endsWith("\n"));
        ProgramId background = process(Integer.parseInt(read(out).strip()));
        CompletableFuture<ProgramState.Ended> cutWatch = client.watch(program);

        server.close(); // a clean stop: attached programs are terminated, detached ones and their sessions are not
        assertThatThrownBy(() -> endOf(cutWatch)).hasCauseInstanceOf(java.io.IOException.class);
        assertThat(runs(program)).isTrue();
        assertThat(runs(background)).isTrue();
        assertThat(config.detachedDirectory().resolve(Integer.toString(program.pid()))).exists();

        server = RexecServer.start(config);
        assertThat(client.status(program)).isEqualTo(new ProgramState.Running());
        assertThat(client.cpuTime(program)).isGreaterThanOrEqualTo(Duration.ZERO);
        CompletableFuture<ProgramState.Ended> watch = client.watch(program);
        client.signal(program, Signals.SIGTERM);
        // no longer the server's child: it learns of the end from the program's pidfd, without a status
        assertThat(endOf(watch)).isEqualTo(ProgramState.Ended.withUnknownStatus());
        assertThat(client.status(program)).isEqualTo(ProgramState.Ended.withUnknownStatus());
        awaitRecordRemoved(program);
    }

    /** SPAWN of a detached program on a connection of its own; the STARTED read if {@code readAnswer}; then closed, unconfirmed. */
    private ProgramId spawnWithoutConfirming(SpawnRequest request, DetachedFiles output, boolean readAnswer) throws Exception {
        try (ChannelWire wire = ChannelWire.connect(socket)) {
            wire.write(request.withDetached(output).encode());
            if (!readAnswer) {
                return null;
            }
            FrameReader.Frame answer = new FrameReader(wire, Protocol.MAX_ANSWER).next();
            assertThat(answer.type()).isEqualTo(Protocol.STARTED);
            ProgramId program = ProgramId.decode(answer.payload());
            started.add(program);
            return program;
        }
    }

    @Test
    void aProgramWhoseClientGoesWithoutConfirmingItsStartIsKilledAndItsRunDirectoryRemoved() throws Exception {
        Path run = dir.resolve("state/guest");
        // the client that lost the connection right after the answer came: it took the start for failed
        ProgramId program = spawnWithoutConfirming(SpawnRequest.of("/bin/sleep", "1000"), DetachedFiles.DISCARD.withRunDirectory(run), true);

        await("the unconfirmed program's end", () -> !runs(program));
        awaitRecordRemoved(program);
        await("the removal of its run directory", () -> !Files.exists(run));
        assertThat(client.status(program)).isEqualTo(ProgramState.Ended.of(ExitStatus.killed(Signals.SIGKILL)));
    }

    @Test
    void aProgramWhoseClientGoesBeforeTheAnswerIsKilled() throws Exception {
        // the program is killed before it could say its pid: the server's log says it
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            spawnWithoutConfirming(SpawnRequest.of("/bin/sleep", "1000"), DetachedFiles.DISCARD, false);
            Pattern killed = Pattern.compile("killed detached pid (\\d+) \\(start time (\\d+)\\) \\(\\S+/sleep\\): its client went before confirming");
            await("the kill in the log", () -> killed.matcher(log.toString(StandardCharsets.UTF_8)).find());
            Matcher found = killed.matcher(log.toString(StandardCharsets.UTF_8));
            assertThat(found.find()).isTrue();
            ProgramId program = new ProgramId(Integer.parseInt(found.group(1)), Long.parseLong(found.group(2)));
            started.add(program);
            await("the unconfirmed program's end", () -> !runs(program));
            awaitRecordRemoved(program);
        } finally {
            Log.redirect(System.err);
        }
    }

    @Test
    void aStartKeptAsTheWatchLastsAsLongAsItsConnectionUntilConfirmed() throws Exception {
        RexecClient.Detached unconfirmed = client.startDetached(SpawnRequest.of("/bin/sleep", "1000"), DetachedFiles.DISCARD);
        started.add(unconfirmed.program());
        RexecClient.Detached confirmed = client.startDetached(SpawnRequest.of("/bin/sleep", "1000"), DetachedFiles.DISCARD);
        started.add(confirmed.program());
        confirmed.confirm();

        // giving up the watch closes the connection that started the program
        unconfirmed.end().cancel(true);
        confirmed.end().cancel(true);
        await("the unconfirmed program's end", () -> !runs(unconfirmed.program()));
        assertThat(runs(confirmed.program())).isTrue();
        assertThat(client.status(confirmed.program())).isEqualTo(new ProgramState.Running());
    }

    @Test
    void aProgramThatEndsBeforeItsStartIsConfirmedIsNoFailedStart() throws Exception {
        for (int i = 0; i < 20; i++) {
            detached(DetachedFiles.DISCARD, "/bin/true"); // its end may be told before the CONFIRM is written
        }
    }

    @Test
    void aConfirmedStartIsRecordedConfirmed() throws Exception {
        ProgramId program = detachedSleep();
        Path record = config.detachedDirectory().resolve(Integer.toString(program.pid()));
        String confirmed = "program " + Path.of("/bin/sleep").toRealPath() + "\n";
        await("the confirmation in the record", () -> read(record).endsWith(confirmed));
        assertThat(runs(program)).isTrue();
    }

    @Test
    void aRestartedServerKillsAProgramRecordedUnconfirmed() throws Exception {
        server.close();
        Process sleep = new ProcessBuilder("/bin/sleep", "1000").start();
        ProgramId program = process((int) sleep.pid());
        Path record = config.detachedDirectory().resolve(Long.toString(sleep.pid()));
        Files.writeString(record, "start-time " + program.startTime() + "\nuid 0\nprogram /bin/sleep\nunconfirmed\n");

        server = RexecServer.start(config);
        assertThat(sleep.waitFor(20, TimeUnit.SECONDS)).as("killed by the server that found it unconfirmed").isTrue();
        assertThat(sleep.exitValue()).isEqualTo(128 + Signals.SIGKILL);
        awaitRecordRemoved(program);
    }

    @Test
    void aProgramThatEndedWhileNoServerRanIsDroppedOnLoad() throws Exception {
        ProgramId program = detachedSleep();
        server.close();
        DetachedProgramCleanup.killIfRunning(program);
        await("the program's end", () -> !runs(program));

        server = RexecServer.start(config);
        assertThat(config.detachedDirectory().resolve(Integer.toString(program.pid()))).doesNotExist();
        assertThatThrownBy(() -> client.status(program))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.programGone()).isTrue());
    }

    @Test
    void detachedProgramsPassTheSameChecksAsAnyAndWriteOnlyWhereAllowed() throws Exception {
        assertThatThrownBy(() -> client.spawnDetached(SpawnRequest.of("/usr/bin/id"), DetachedFiles.DISCARD))
                .isInstanceOfSatisfying(SpawnFailedException.class, e -> assertThat(e.exitStatus()).isEqualTo(126))
                .hasMessage("/usr/bin/id: not allowed, not in the whitelist " + config.whitelist());

        Path outside = dir.resolve("outside.log");
        Files.createSymbolicLink(dir.resolve("logs/link.log"), outside);
        for (Path target : List.of(outside, dir.resolve("logs/../outside.log"), dir.resolve("logs/link.log"))) {
            assertThatThrownBy(() -> client.spawnDetached(SpawnRequest.of("/bin/true"), DetachedFiles.appendTo(Path.of("/dev/null"), target)))
                    .isInstanceOfSatisfying(SpawnFailedException.class, e -> assertThat(e.exitStatus()).isEqualTo(126))
                    .hasMessage("/bin/true: its stderr " + target + " is outside the directories for detached programs' output ("
                            + dir.resolve("logs") + ")");
        }
        assertThat(outside).doesNotExist();
        // a FIFO there would hold the connection's thread in open(2) until someone reads it
        Path fifo = dir.resolve("logs/fifo");
        FileCalls.mknodat(FileCalls.AT_FDCWD, fifo.toString(), 0010600, 0);
        assertThatThrownBy(() -> client.spawnDetached(SpawnRequest.of("/bin/true"), DetachedFiles.appendTo(fifo, fifo)))
                .isInstanceOfSatisfying(SpawnFailedException.class, e -> assertThat(e.exitStatus()).isEqualTo(126))
                .hasMessageStartingWith("/bin/true: ").hasMessageContaining(fifo.toString());
        assertThat(server.runningPrograms()).isZero();
    }

    @Test
    void theFilesInTheRegistryAreAllItTrusts() throws Exception {
        ProgramId program = detachedSleep();
        server.close();
        // a record naming this JVM (which no server started detached) is taken over only if pid and start time match
        Path forged = config.detachedDirectory().resolve(Long.toString(ProcessHandle.current().pid()));
        Files.writeString(forged, "start-time 1\nuid 0\nprogram /bin/sh\n");
        Files.writeString(config.detachedDirectory().resolve("junk"), "junk");
        server = RexecServer.start(config);
        assertThat(forged).doesNotExist();
        assertThat(config.detachedDirectory().resolve("junk")).doesNotExist();
        assertThat(client.status(program)).isEqualTo(new ProgramState.Running());
    }
}
