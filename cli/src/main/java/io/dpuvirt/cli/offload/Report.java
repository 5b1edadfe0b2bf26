package io.dpuvirt.cli.offload;

import java.io.PrintStream;

/** The lines {@code up}, {@code down} and {@code check} print: a word for what happened, then what it happened to. */
final class Report {
    private final PrintStream out;
    private int changes;
    private int missing;

    Report(PrintStream out) {
        this.out = out;
    }

    void title(String text) {
        out.println(text);
    }

    void outcome(Outcome outcome) {
        if (outcome.changed()) {
            changes++;
        }
        line(outcome.verb(), outcome.text());
    }

    void finding(Finding finding) {
        if (!finding.met()) {
            missing++;
        }
        line(finding.met() ? "ok" : "MISSING", finding.text());
    }

    void summary(String text) {
        out.println(text);
    }

    int changes() {
        return changes;
    }

    int missing() {
        return missing;
    }

    private void line(String verb, String text) {
        out.printf("  %-8s %s%n", verb, text);
    }
}
