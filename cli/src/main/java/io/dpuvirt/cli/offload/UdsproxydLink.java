package io.dpuvirt.cli.offload;

import io.dpuvirt.fabric.udsproxy.StatusServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this side's udsproxyd says of its link to the other side (the "link:" line of {@code udsproxyd --status}).
 *
 * @param answered whether a udsproxyd answered on the status socket at all
 * @param text     its "link:" line, or why none answered
 */
record UdsproxydLink(boolean answered, boolean up, String text) {
    static UdsproxydLink ask(Path statusSocket) {
        if (!Files.exists(statusSocket)) {
            return new UdsproxydLink(false, false, "no udsproxyd runs here (no status socket " + statusSocket + ")");
        }
        try {
            String status = StatusServer.ask(statusSocket, "status");
            String line = status.lines().filter(l -> l.startsWith("link: ")).findFirst().orElse("link: (not in its status)");
            return new UdsproxydLink(true, line.startsWith("link: up"), line);
        } catch (IOException e) {
            return new UdsproxydLink(false, false, "udsproxyd does not answer at " + statusSocket + ": " + e.getMessage());
        }
    }

    /** What to look at when the link to {@code other} is not up: its state and a question, or why none answered. */
    String explain(Side other) {
        return answered ? " (" + text + "): is udsproxyd running on the " + other + ", with the same key?" : ": " + text;
    }
}
