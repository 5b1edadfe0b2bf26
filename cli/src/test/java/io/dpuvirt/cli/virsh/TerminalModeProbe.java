package io.dpuvirt.cli.virsh;

/**
 * Run by {@link TerminalModeTest} in a JVM of its own, stdin on the test's pseudo-terminal: "interactive"
 * prints what {@link TerminalMode} makes of stdin.
 */
final class TerminalModeProbe {
    private TerminalModeProbe() {
    }

    public static void main(String[] args) {
        if (args[0].equals("interactive")) {
            System.out.println(TerminalMode.interactive());
        }
    }
}
