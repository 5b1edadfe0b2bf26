package io.dpuvirt.cli.virsh;

import io.dpuvirt.rpc.client.RemoteCallException;
import io.dpuvirt.rpc.remote.Empty;
import io.dpuvirt.rpc.remote.NodeGetInfoRet;
import io.dpuvirt.rpc.remote.RemoteCalls;

import java.util.List;
import java.util.Locale;

import static io.dpuvirt.cli.virsh.OptionSpec.flag;

/** version, uri, hostname, nodeinfo, capabilities. */
final class HostCommands {
    /** The libvirt API level this virsh speaks, shown where virsh shows its library's version. */
    static final long LIBRARY_VERSION = 9_000_000;

    private HostCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("version", HostCommands::version, flag("daemon")),
                Command.of("uri", (session, options) -> session.output().print(session.uri() + "\n")),
                Command.of("hostname", (session, options) -> session.output().print(
                        session.call(RemoteCalls.GET_HOSTNAME, Empty.INSTANCE).value() + "\n")),
                Command.of("nodeinfo", HostCommands::nodeinfo),
                Command.of("capabilities", (session, options) -> session.output().print(
                        session.call(RemoteCalls.GET_CAPABILITIES, Empty.INSTANCE).value() + "\n")));
    }

    private static void version(Session session, Options options) throws VirshException, RemoteCallException {
        StringBuilder out = new StringBuilder();
        out.append("Compiled against library: libvirt ").append(dotted(LIBRARY_VERSION)).append('\n');
        out.append("Using library: libvirt ").append(dotted(LIBRARY_VERSION)).append('\n');
        String type = session.call(RemoteCalls.GET_TYPE, Empty.INSTANCE).value();
        out.append("Using API: ").append(type).append(' ').append(dotted(LIBRARY_VERSION)).append('\n');
        long hypervisor = session.call(RemoteCalls.GET_VERSION, Empty.INSTANCE).value();
        if (hypervisor == 0) {
            out.append("Cannot extract running ").append(type).append(" hypervisor version\n");
        } else {
            out.append("Running hypervisor: ").append(type).append(' ').append(dotted(hypervisor)).append('\n');
        }
        if (options.flag("daemon")) {
            long daemon = session.call(RemoteCalls.GET_LIB_VERSION, Empty.INSTANCE).value();
            out.append("Running against daemon: ").append(dotted(daemon)).append('\n');
        }
        session.output().print(out.toString());
    }

    /** libvirt's major × 1,000,000 + minor × 1,000 + micro as "major.minor.micro". */
    static String dotted(long version) {
        return (version / 1_000_000) + "." + (version % 1_000_000 / 1_000) + "." + (version % 1_000);
    }

    private static void nodeinfo(Session session, Options options) throws VirshException, RemoteCallException {
        session.output().print(nodeinfo(session.call(RemoteCalls.NODE_INFO, Empty.INSTANCE)));
    }

    /** virsh's nodeinfo lines; a frequency the host does not know (0) is left out. */
    static String nodeinfo(NodeGetInfoRet node) {
        StringBuilder out = new StringBuilder();
        line(out, "CPU model:", node.model());
        line(out, "CPU(s):", Integer.toString(node.cpus()));
        if (node.mhz() != 0) {
            line(out, "CPU frequency:", node.mhz() + " MHz");
        }
        line(out, "CPU socket(s):", Integer.toString(node.sockets()));
        line(out, "Core(s) per socket:", Integer.toString(node.cores()));
        line(out, "Thread(s) per core:", Integer.toString(node.threads()));
        line(out, "NUMA cell(s):", Integer.toString(node.nodes()));
        line(out, "Memory size:", Long.toUnsignedString(node.memoryKiB()) + " KiB");
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "%-20s %s\n", label, value));
    }
}
