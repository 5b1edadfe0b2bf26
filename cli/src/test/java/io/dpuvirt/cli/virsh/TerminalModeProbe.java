package io.dpuvirt.cli.virsh;

/**
 * Run by {@link TerminalModeTest} in a JVM of its own, stdin on the test's pseudo-terminal: "interactive"
 * prints what {@link TerminalMode} makes of stdin; "raw" puts the terminal in raw mode, says so, and waits
 * to be ended by a signal.
 */
final class TerminalModeProbe {
    private TerminalModeProbe() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "interactive" -> System.out.println(TerminalMode.interactive());
            case "raw" -> {
                try (TerminalMode _ = TerminalMode.raw()) {
                    System.out.println("raw");
                    Thread.sleep(60_000);
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
