package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.config.PathPrefixes;
import io.dpuvirt.common.fs.CanonicalPaths;
import io.dpuvirt.common.linux.Inotify;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watcher reports sockets appearing and going away under the prefixes, wherever below them and whenever their
 * directories were made; nothing outside them. Events are queued by the kernel during the system call that causes
 * them, so what a test did is there to be read when it is done: no test waits on a clock.
 */
class DirectoryWatcherTest {
    @TempDir
    Path dir;
    private DirectoryWatcher watcher;
    private final List<ServerSocketChannel> servers = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        dir = CanonicalPaths.canonical(dir); // prefixes are canonical, as the whitelist resolves them
        watcher = new DirectoryWatcher(Inotify.open(), DirectoryWatcher.MAX_WATCHES);
    }

    @AfterEach
    void close() throws Exception {
        watcher.close();
        for (ServerSocketChannel server : servers) {
            server.close();
        }
    }

    @Test
    void aSocketBoundInANewNestedDirectoryIsReportedAndSoIsItsRemoval() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        watcher.follow(prefixes(allowed));
        assertThat(watcher.complete()).isTrue();

        Path socket = allowed.resolve("qemu/domain-1-guest/monitor.sock");
        Files.createDirectories(socket.getParent());
        listen(socket);
        assertThat(changes().appeared()).contains(socket.toString());

        Files.delete(socket);
        DirectoryWatcher.Changes removal = changes();
        assertThat(removal.any()).isTrue();
        assertThat(removal.appeared()).isEmpty();
        assertThat(removal.incomplete()).as("the events told all: the scan may wait").isFalse();
    }

    @Test
    void aDirectoryMadeWithItsSocketAlreadyInsideIsReported() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        watcher.follow(prefixes(allowed));
        Path elsewhere = Files.createDirectories(dir.resolve("staging/run"));
        listen(elsewhere.resolve("monitor.sock"));

        Files.move(dir.resolve("staging"), allowed.resolve("moved-in"));
        assertThat(changes().appeared()).contains(allowed.resolve("moved-in/run/monitor.sock").toString());
    }

    @Test
    void nothingOutsideThePrefixesIsReportedNorFollowedThroughSymlinks() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(allowed.resolve("link"), outside);
        watcher.follow(prefixes(allowed));

        listen(outside.resolve("hidden.sock"));
        listen(dir.resolve("beside.sock"));
        assertThat(watcher.await(0).any()).isFalse();
        listen(allowed.resolve("seen.sock"));
        assertThat(changes().appeared()).containsExactly(allowed.resolve("seen.sock").toString());
    }

    @Test
    void aSymlinkedPrefixIsWatchedWhereItLeads() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        watcher.follow(prefixes(CanonicalPaths.canonical(link)));

        listen(link.resolve("via-link.sock"));
        assertThat(changes().appeared()).containsExactly(real.resolve("via-link.sock").toString());
    }

    @Test
    void aPrefixThatDoesNotExistYetIsWaitedForInItsNearestAncestor() throws Exception {
        Path prefix = dir.resolve("later/qemu");
        watcher.follow(prefixes(prefix));
        assertThat(watcher.complete()).isTrue();

        Files.createDirectory(dir.resolve("unrelated"));
        listen(dir.resolve("unrelated.sock"));
        assertThat(watcher.await(0).any()).as("names not on the way to the prefix").isFalse();

        Path socket = prefix.resolve("domain-2-guest/monitor.sock");
        Files.createDirectories(socket.getParent());
        listen(socket);
        DirectoryWatcher.Changes arrival = changes();
        assertThat(arrival.appeared()).contains(socket.toString());
        assertThat(arrival.incomplete()).as("the prefix came: the watches were made afresh").isTrue();
    }

    @Test
    void aPrefixNamingTheSocketItselfIsWaitedForInItsDirectory() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path socket = run.resolve("rexec.sock");
        watcher.follow(prefixes(socket));

        listen(run.resolve("other.sock"));
        assertThat(watcher.await(0).any()).isFalse();
        listen(socket);
        assertThat(changes().appeared()).containsExactly(socket.toString());
    }

    @Test
    void aPrefixInsideAnotherIsWatchedAsPartOfIt() throws Exception {
        Path outer = Files.createDirectories(dir.resolve("outer"));
        Path inner = Files.createDirectories(outer.resolve("inner"));
        watcher.follow(new PathPrefixes(List.of(inner.toString(), outer.toString())));

        listen(inner.resolve("in.sock"));
        listen(outer.resolve("out.sock"));
        assertThat(changes().appeared()).containsExactlyInAnyOrder(inner.resolve("in.sock").toString(),
                outer.resolve("out.sock").toString());
    }

    @Test
    void aWhitelistChangeMovesTheWatches() throws Exception {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second/sub"));
        watcher.follow(prefixes(first));
        watcher.follow(prefixes(second.getParent()));

        listen(first.resolve("old.sock"));
        assertThat(watcher.await(0).any()).isFalse();
        listen(second.resolve("new.sock"));
        assertThat(changes().appeared()).containsExactly(second.resolve("new.sock").toString());
    }

    @Test
    void aPrefixWhoseParentWasRenamedIsWatchedAgainAfterARecheck() throws Exception {
        Path prefix = Files.createDirectories(dir.resolve("parent/prefix"));
        watcher.follow(prefixes(prefix));
        Files.move(dir.resolve("parent"), dir.resolve("parent-old"));
        Files.createDirectories(prefix);
        watcher.recheck();

        listen(prefix.resolve("after.sock"));
        assertThat(changes().appeared()).contains(prefix.resolve("after.sock").toString());
    }

    @Test
    void aDirectoryMovedOutWithItsSocketIsAChangeAndNoLongerWatched() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed/sub"));
        listen(allowed.resolve("moved.sock"));
        watcher.follow(prefixes(allowed.getParent()));
        Files.move(allowed, dir.resolve("sub-outside"));
        assertThat(changes().any()).isTrue();

        listen(dir.resolve("sub-outside/gone.sock"));
        assertThat(watcher.await(0).any()).isFalse();
    }

    @Test
    void filesThatAreNoSocketsAndEmptyDirectoriesAreNoChange() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        watcher.follow(prefixes(allowed));

        Path run = Files.createDirectories(allowed.resolve("qemu/domain-3-guest"));
        Files.writeString(run.resolve("pid"), "4242\n");
        Files.move(run.resolve("pid"), run.resolve("pid.old"));
        Files.delete(run.resolve("pid.old"));
        Files.delete(run);
        assertThat(changes().any()).as("a pid file and a run directory coming and going").isFalse();

        Path socket = Files.createDirectories(allowed.resolve("qemu/domain-4-guest")).resolve("monitor.sock");
        listen(socket);
        assertThat(changes().appeared()).containsExactly(socket.toString());
        Files.writeString(socket.resolveSibling("pid"), "4243\n");
        Files.move(socket.resolveSibling("pid"), socket, StandardCopyOption.REPLACE_EXISTING);
        assertThat(changes().any()).as("a file renamed over the socket").isTrue();
    }

    @Test
    void beyondItsLimitTheWatcherSaysItIsIncomplete() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Files.createDirectories(allowed.resolve("a"));
        try (DirectoryWatcher small = new DirectoryWatcher(Inotify.open(), 2)) {
            small.follow(prefixes(allowed));
            assertThat(small.complete()).isTrue();
            Files.createDirectories(allowed.resolve("b"));
            small.await(0);
            assertThat(small.complete()).isFalse();
        }
    }

    private static PathPrefixes prefixes(Path prefix) {
        return new PathPrefixes(List.of(prefix.toString()));
    }

    private void listen(Path path) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        servers.add(server);
        server.bind(UnixDomainSocketAddress.of(path));
    }

    /** The changes the events so far amount to (reading until none are left). */
    private DirectoryWatcher.Changes changes() {
        boolean any = false;
        boolean incomplete = false;
        Set<String> appeared = new HashSet<>();
        for (DirectoryWatcher.Changes changes = watcher.await(0); changes.any(); changes = watcher.await(0)) {
            any = true;
            incomplete |= changes.incomplete();
            appeared.addAll(changes.appeared());
        }
        return new DirectoryWatcher.Changes(any, appeared, incomplete);
    }
}
