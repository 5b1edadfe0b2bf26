package io.dpuvirt.cli.virsh;

import io.dpuvirt.common.linux.Libc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;

/** A console's input, read from a pipe standing for stdin. */
class ConsoleInputTest {
    private final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
    private int[] pipe;

    @BeforeEach
    void openPipe() throws Exception {
        pipe = Libc.pipe2(O_CLOEXEC);
    }

    @AfterEach
    void closePipe() {
        Libc.close(pipe[0]);
        if (pipe[1] >= 0) {
            Libc.close(pipe[1]);
        }
    }

    private ConsoleInput start(boolean interactive) {
        return ConsoleInput.start(pipe[0], interactive, bytes -> sent.add(new String(bytes, StandardCharsets.UTF_8)));
    }

    private void type(String text) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            Libc.write(pipe[1], arena.allocateFrom(JAVA_BYTE, bytes), bytes.length);
        }
    }

    /** What the pipe holds for its next reader, waiting a little for it; "" when nothing comes. */
    private String leftInThePipe() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollFd = arena.allocate(8, 4);
            pollFd.set(JAVA_INT, 0, pipe[0]);
            pollFd.set(JAVA_SHORT, 4, (short) 1);
            if (Libc.poll(pollFd, 1, 2_000) == 0) {
                return "";
            }
            MemorySegment buffer = arena.allocate(100);
            return new String(buffer.asSlice(0, Libc.read(pipe[0], buffer, 100)).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    @Test
    void onceClosedItLeavesTheInputToTheNextReader() throws Exception {
        ConsoleInput input = start(true);
        type("ls\r");
        assertThat(sent.poll(10, TimeUnit.SECONDS)).isEqualTo("ls\r");
        input.close(); // the guest went away
        type("list\n");
        assertThat(leftInThePipe()).as("the shell's next command").isEqualTo("list\n");
        assertThat(sent).isEmpty();
        assertThat(input.ended()).isNotCompletedExceptionally();
    }

    @Test
    void theEscapeCharacterEndsItOnATerminal() throws Exception {
        try (ConsoleInput input = start(true)) {
            type("ab\u001dcd");
            input.ended().get(10, TimeUnit.SECONDS);
            assertThat(sent).containsExactly("ab");
        }
    }

    @Test
    void withoutATerminalTheEscapeCharacterIsInputAndTheEndOfInputEndsIt() throws Exception {
        try (ConsoleInput input = start(false)) {
            type("ab\u001dcd");
            assertThat(sent.poll(10, TimeUnit.SECONDS)).isEqualTo("ab\u001dcd");
            Libc.close(pipe[1]);
            pipe[1] = -1;
            input.ended().get(10, TimeUnit.SECONDS);
        }
    }
}
