package io.dpuvirt.cli.virsh;

import io.dpuvirt.cli.RawTerminal;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * virsh's question after an edit that could not be defined: "Failed. Try again? [y,n,i,f,?]: ", answered by one
 * key on the terminal (raw mode, no Enter), with the words, the help and the line ends Debian's virsh 9.0 prints.
 */
final class ReeditQuestion {
    /** What the user chose. */
    enum Answer {
        /** y: the editor again, on the edited text. */
        EDIT_AGAIN,
        /** n: the edits are thrown away. */
        DISCARD,
        /** i: defined again without schema validation (offered only while validating). */
        WITHOUT_VALIDATION,
        /** f: defined again as it is. */
        DEFINE_AGAIN
    }

    private final Output output;
    private final InputStream keys;

    ReeditQuestion(Output output, InputStream keys) {
        this.output = output;
        this.keys = keys;
    }

    /**
     * The answer, or none when nobody can give one: stdin is not a terminal (as virsh, which then does not ask), or
     * it ended before a valid key (where virsh asks for ever). {@code errors}, what went wrong, are printed first.
     */
    Optional<Answer> ask(String message, List<String> errors, boolean withoutValidationOffered) throws VirshException {
        if (!RawTerminal.interactive()) {
            return Optional.empty();
        }
        errors.forEach(output::error);
        Optional<Answer> answer;
        try (RawTerminal ignored = RawTerminal.enter()) {
            answer = readAnswer(message, withoutValidationOffered);
        } catch (IOException e) {
            throw new VirshException("cannot read the answer from the terminal: " + e.getMessage());
        }
        output.print("\r\n"); // after the terminal is back: "\r\r\n", as virsh
        output.flush();
        return answer;
    }

    private Optional<Answer> readAnswer(String message, boolean withoutValidationOffered) throws IOException {
        while (true) {
            output.print("\r" + message + " Try again? " + (withoutValidationOffered ? "[y,n,i,f,?]" : "[y,n,f,?]") + ": ");
            output.flush();
            int key = keys.read();
            if (key < 0) {
                return Optional.empty();
            }
            switch (Character.toLowerCase((char) key)) {
                case 'y' -> {
                    return Optional.of(Answer.EDIT_AGAIN);
                }
                case 'n' -> {
                    return Optional.of(Answer.DISCARD);
                }
                case 'f' -> {
                    return Optional.of(Answer.DEFINE_AGAIN);
                }
                case 'i' -> {
                    if (withoutValidationOffered) {
                        return Optional.of(Answer.WITHOUT_VALIDATION);
                    }
                }
                case '?' -> printHelp(withoutValidationOffered);
                default -> {
                    // asked again, as virsh does for any other key
                }
            }
        }
    }

    private void printHelp(boolean withoutValidationOffered) {
        output.print("\r\n");
        output.print("y - yes, start editor again\r\n");
        output.print("n - no, throw away my changes\r\n");
        if (withoutValidationOffered) {
            output.print("i - turn off validation and try to redefine again\r\n");
        }
        output.print("f - force, try to redefine again\r\n");
        output.print("? - print this help\r\n");
    }
}
