package io.dpuvirt.cli;

/**
 * Run by {@link RawTerminalTest} in a JVM of its own, stdin on the test's pseudo-terminal: "interactive"
 * prints what {@link RawTerminal} makes of stdin; "raw" puts the terminal in raw mode, says so, and waits
 * to be ended by a signal.
 */
final class RawTerminalProbe {
    private RawTerminalProbe() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "interactive" -> System.out.println(RawTerminal.interactive());
            case "raw" -> {
                try (RawTerminal _ = RawTerminal.enter()) {
                    System.out.println("raw");
                    Thread.sleep(60_000);
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
