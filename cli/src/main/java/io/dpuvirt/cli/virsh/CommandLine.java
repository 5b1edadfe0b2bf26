package io.dpuvirt.cli.virsh;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits what virsh is given as one string ({@code virsh "list --all; dominfo web1"}) into commands and
 * their words, by the rules of virsh's tokenizer (vshCommandStringGetArg): words are separated by spaces
 * and tabs; {@code ;} or a new line ends a command; a word that starts with {@code #} starts a comment
 * to the end of the line; quotes group, a single quote left open lasting to the end; {@code \} escapes
 * outside single quotes, and a backslash before a new line joins the lines.
 */
final class CommandLine {
    private final String text;
    private int position;

    private CommandLine(String text) {
        this.text = text;
    }

    static List<List<String>> split(String text) throws VirshException {
        return new CommandLine(text).commands();
    }

    private List<List<String>> commands() throws VirshException {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        while (true) {
            skipBlanks();
            if (position == text.length()) {
                break;
            }
            char c = text.charAt(position);
            if (c == ';' || c == '\n' || c == '#') {
                position = c == '#' ? afterLine() : position + 1;
                if (!words.isEmpty()) {
                    commands.add(words);
                    words = new ArrayList<>();
                }
            } else {
                words.add(word());
            }
        }
        if (!words.isEmpty()) {
            commands.add(words);
        }
        return commands;
    }

    /** Spaces, tabs, and backslash-newline pairs. */
    private void skipBlanks() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == ' ' || c == '\t') {
                position++;
            } else if (c == '\\' && text.startsWith("\n", position + 1)) {
                position += 2;
            } else {
                return;
            }
        }
    }

    /** Past the new line that ends this line, or at the end of the text. */
    private int afterLine() {
        int newline = text.indexOf('\n', position);
        return newline < 0 ? text.length() : newline + 1;
    }

    private String word() throws VirshException {
        StringBuilder word = new StringBuilder();
        boolean singleQuote = false;
        boolean doubleQuote = false;
        for (; position < text.length(); position++) {
            char c = text.charAt(position);
            if (!singleQuote && !doubleQuote && (c == ' ' || c == '\t' || c == ';' || c == '\n')) {
                break;
            }
            if (c == '\'' && !doubleQuote) {
                singleQuote = !singleQuote;
            } else if (c == '"' && !singleQuote) {
                doubleQuote = !doubleQuote;
            } else if (c == '\\' && !singleQuote) {
                position++;
                if (position == text.length()) {
                    throw new VirshException("dangling \\");
                }
                if (text.charAt(position) != '\n') {
                    word.append(text.charAt(position));
                }
            } else {
                word.append(c);
            }
        }
        if (doubleQuote) {
            throw new VirshException("missing \"");
        }
        return word.toString();
    }
}
