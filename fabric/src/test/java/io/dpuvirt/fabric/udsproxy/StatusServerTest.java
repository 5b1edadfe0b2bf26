package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A status client gets the daemon's whole answer, and gives up on a daemon that never answers: a stopped (SIGSTOP)
 * or stuck udsproxyd still has its listening socket take connections into the backlog, and offload up, check and down
 * must not wait for it forever.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StatusServerTest {
    @TempDir
    Path dir;

    @Test
    void theAnswerComesWhole() throws Exception {
        Path socket = dir.resolve("status.sock");
        String longAnswer = "x".repeat(20_000) + "\n";
        try (StatusServer ignored = StatusServer.start(socket, command -> command.equals("status") ? longAnswer : "?")) {
            assertThat(StatusServer.ask(socket, "status")).isEqualTo(longAnswer);
        }
    }

    @Test
    void charactersThatSpanTwoReadsComeWhole() throws Exception {
        Path socket = dir.resolve("status.sock");
        String answer = "x" + "é".repeat(20_000) + "\n"; // every 'é' at an odd offset: the reads of 8 KiB cut them
        try (StatusServer ignored = StatusServer.start(socket, command -> answer)) {
            assertThat(StatusServer.ask(socket, "status")).isEqualTo(answer);
        }
    }

    @Test
    void aDaemonThatTakesTheConnectionButNeverAnswersIsGivenUpOn() throws Exception {
        Path socket = dir.resolve("stopped.sock");
        try (NativeSocket neverAccepting = NativeSocket.listen(new SockAddr.Unix(socket.toString()), SocketType.STREAM, 4)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> StatusServer.ask(socket, "status"))
                    .isInstanceOf(IOException.class)
                    .hasMessage(socket + ": no answer within " + StatusServer.ANSWER_WAIT.toSeconds()
                            + " s (is the daemon stopped or stuck?)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(StatusServer.ANSWER_WAIT.multipliedBy(2));
        }
    }

    @Test
    void aDaemonWhoseBacklogIsFullIsGivenUpOn() throws Exception {
        Path socket = dir.resolve("full.sock");
        try (NativeSocket neverAccepting = NativeSocket.listen(new SockAddr.Unix(socket.toString()), SocketType.STREAM, 0);
             NativeSocket waiting = NativeSocket.connect(new SockAddr.Unix(socket.toString()), SocketType.STREAM)) {
            assertThatThrownBy(() -> StatusServer.ask(socket, "status"))
                    .isInstanceOf(IOException.class)
                    .hasMessage(socket + ": its backlog of connections is full (is the daemon stopped or stuck?)");
        }
    }
}
