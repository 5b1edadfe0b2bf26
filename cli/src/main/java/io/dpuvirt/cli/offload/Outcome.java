package io.dpuvirt.cli.offload;

/**
 * What one step of {@code up} or {@code down} did: {@code verb} says it in a word (created, added, started, removed,
 * stopped, kept, ok…), {@code text} what it was done to. {@code changed} is false when everything was already as wanted.
 */
record Outcome(boolean changed, String verb, String text) {
    static Outcome changed(String verb, String text) {
        return new Outcome(true, verb, text);
    }

    /** Nothing to do: it was already so. */
    static Outcome unchanged(String verb, String text) {
        return new Outcome(false, verb, text);
    }
}
