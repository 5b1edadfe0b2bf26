package io.dpuvirt.cli;

import io.dpuvirt.cli.virsh.VirshException;

import java.util.List;
import java.util.Optional;

/**
 * virsh's options before its command, one at a time, as virsh's getopt_long reads them
 * ({@code "+:c:d:e:hk:K:l:qrtvV"}) and with its messages: flags may be bundled ({@code -rq}); a value
 * follows its letter in the same word or is the next word ({@code -cURI}, {@code -c URI}); a long option
 * takes {@code --name=VALUE} or the next word, and its name may be shortened while it stays unambiguous;
 * {@code --} ends the options, and so does the first word that is not one: the command.
 */
final class VirshOptionReader {
    enum Argument { NONE, REQUIRED, OPTIONAL }

    enum Option {
        CONNECT('c', "connect", Argument.REQUIRED),
        DEBUG('d', "debug", Argument.REQUIRED),
        ESCAPE('e', "escape", Argument.REQUIRED),
        HELP('h', "help", Argument.NONE),
        KEEPALIVE_INTERVAL('k', "keepalive-interval", Argument.REQUIRED),
        KEEPALIVE_COUNT('K', "keepalive-count", Argument.REQUIRED),
        LOG('l', "log", Argument.REQUIRED),
        QUIET('q', "quiet", Argument.NONE),
        READONLY('r', "readonly", Argument.NONE),
        TIMING('t', "timing", Argument.NONE),
        /** {@code --version=long} is {@code -V}; an optional value is only ever given after "=". */
        VERSION('v', "version", Argument.OPTIONAL),
        LONG_VERSION('V', null, Argument.NONE);

        private final char letter;
        private final String longName;
        private final Argument argument;

        Option(char letter, String longName, Argument argument) {
            this.letter = letter;
            this.longName = longName;
            this.argument = argument;
        }

        /** As virsh names it in "requires an argument". */
        private String names() {
            return longName == null ? "'-" + letter + "'" : "'-" + letter + "'/'--" + longName + "'";
        }
    }

    /** An option read, with its value when it has one. */
    record Found(Option option, Optional<String> value) {
    }

    private final String[] words;
    private int next;
    /** Where the next letter of a bundle ({@code -rq}) is in {@code words[next]}; 0 outside a bundle. */
    private int letter;
    private boolean ended;

    VirshOptionReader(String[] words) {
        this.words = words.clone();
    }

    /** The next option; empty once the options have ended. */
    Optional<Found> next() throws VirshException {
        if (letter > 0) {
            return Optional.of(shortOption());
        }
        if (ended || next == words.length || !words[next].startsWith("-") || words[next].equals("-")) {
            ended = true;
            return Optional.empty();
        }
        if (words[next].equals("--")) {
            next++;
            ended = true;
            return Optional.empty();
        }
        if (words[next].startsWith("--")) {
            return Optional.of(longOption());
        }
        letter = 1;
        return Optional.of(shortOption());
    }

    /** The words after the options: the command. */
    List<String> command() {
        return List.of(words).subList(next, words.length);
    }

    private Found shortOption() throws VirshException {
        String word = words[next];
        char c = word.charAt(letter++);
        Option option = lettered(c).orElseThrow(() -> new VirshException("unsupported option '-" + c + "'. See --help."));
        boolean lastLetter = letter == word.length();
        Optional<String> value = Optional.empty();
        if (option.argument == Argument.REQUIRED) {
            value = Optional.of(lastLetter ? argumentWord(option) : word.substring(letter));
            endWord();
        } else if (lastLetter) {
            endWord();
        }
        return new Found(option, value);
    }

    private Found longOption() throws VirshException {
        String word = words[next];
        int equals = word.indexOf('=');
        String name = word.substring(2, equals < 0 ? word.length() : equals);
        Option option = named(name).orElseThrow(() -> new VirshException("unsupported option '" + word + "'. See --help."));
        Optional<String> value = Optional.empty();
        if (equals >= 0) {
            if (option.argument == Argument.NONE) {
                throw new VirshException("unsupported option '-" + option.letter + "'. See --help.");
            }
            value = Optional.of(word.substring(equals + 1));
        } else if (option.argument == Argument.REQUIRED) {
            value = Optional.of(argumentWord(option));
        }
        endWord();
        return new Found(option, value);
    }

    private static Optional<Option> lettered(char letter) {
        for (Option option : Option.values()) {
            if (option.letter == letter) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }

    /** The option whose long name is {@code name}, or begins with it while no other's does. */
    private static Optional<Option> named(String name) {
        Option found = null;
        int matches = 0;
        for (Option option : Option.values()) {
            if (option.longName == null || name.isEmpty() || !option.longName.startsWith(name)) {
                continue;
            }
            if (option.longName.equals(name)) {
                return Optional.of(option);
            }
            found = option;
            matches++;
        }
        return matches == 1 ? Optional.of(found) : Optional.empty();
    }

    /** The word after the current one, which holds {@code option}'s value. */
    private String argumentWord(Option option) throws VirshException {
        if (next + 1 == words.length) {
            throw new VirshException("option " + option.names() + " requires an argument");
        }
        return words[++next];
    }

    private void endWord() {
        next++;
        letter = 0;
    }
}
