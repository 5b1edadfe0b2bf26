package io.dpuvirt.cli.virsh;

import io.dpuvirt.rpc.client.RemoteCallException;
import io.dpuvirt.rpc.remote.DomainFlags;
import io.dpuvirt.rpc.remote.DomainSetAutostartArgs;
import io.dpuvirt.rpc.remote.DomainValue;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.remote.StringValue;
import io.dpuvirt.rpc.remote.XmlFlags;
import io.dpuvirt.rpc.wire.NonnullDomain;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static io.dpuvirt.cli.virsh.OptionSpec.flag;
import static io.dpuvirt.cli.virsh.OptionSpec.required;
import static io.dpuvirt.cli.virsh.OptionSpec.value;

/**
 * define, create, start, suspend, resume, shutdown, reboot, destroy, undefine, autostart: virsh's words,
 * its flags, and its habit of naming the domain as the user wrote it (start, define and create name it
 * by its real name).
 */
final class LifecycleCommands {
    private static final int START_PAUSED = 1;
    private static final int START_AUTODESTROY = 2;
    private static final int START_BYPASS_CACHE = 4;
    private static final int START_FORCE_BOOT = 8;
    private static final int START_VALIDATE = 16;
    private static final Map<String, Integer> SHUTDOWN_MODES = Map.of(
            "acpi", 1, "agent", 2, "initctl", 4, "signal", 8, "paravirt", 16);
    private static final Map<String, Integer> UNDEFINE_FLAGS = Map.of(
            "managed-save", 1, "snapshots-metadata", 2, "nvram", 4, "keep-nvram", 8, "checkpoints-metadata", 16);

    private LifecycleCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("define", LifecycleCommands::define, required("file"), flag("validate")),
                Command.of("create", LifecycleCommands::create, required("file"), flag("console"), flag("paused"),
                        flag("autodestroy"), flag("validate")),
                Command.of("start", LifecycleCommands::start, required("domain"), flag("console"), flag("paused"),
                        flag("autodestroy"), flag("bypass-cache"), flag("force-boot")),
                Command.of("suspend", (session, options) -> simple(session, options, "suspend", "suspended",
                        domain -> session.call(RemoteCalls.SUSPEND, new DomainValue(domain))), required("domain")),
                Command.of("resume", (session, options) -> simple(session, options, "resume", "resumed",
                        domain -> session.call(RemoteCalls.RESUME, new DomainValue(domain))), required("domain")),
                Command.of("shutdown", LifecycleCommands::shutdown, required("domain"), value("mode")),
                Command.of("reboot", (session, options) -> {
                    int flags = modes(options);
                    simple(session, options, "reboot", "is being rebooted",
                            domain -> session.call(RemoteCalls.REBOOT, new DomainFlags(domain, flags)));
                }, required("domain"), value("mode")),
                Command.of("destroy", (session, options) -> simple(session, options, "destroy", "destroyed", domain -> {
                    if (options.flag("graceful")) {
                        session.call(RemoteCalls.DESTROY_FLAGS, new DomainFlags(domain, 1));
                    } else {
                        session.call(RemoteCalls.DESTROY, new DomainValue(domain));
                    }
                }), required("domain"), flag("graceful")),
                Command.of("undefine", (session, options) -> {
                    if (options.flag("nvram") && options.flag("keep-nvram")) {
                        throw new VirshException("Options --nvram and --keep-nvram are mutually exclusive");
                    }
                    int flags = UNDEFINE_FLAGS.entrySet().stream().filter(f -> options.flag(f.getKey()))
                            .mapToInt(Map.Entry::getValue).reduce(0, (a, b) -> a | b);
                    simple(session, options, "undefine", "has been undefined",
                            domain -> session.call(RemoteCalls.UNDEFINE_FLAGS, new DomainFlags(domain, flags)));
                }, required("domain"), flag("managed-save"), flag("snapshots-metadata"), flag("nvram"),
                        flag("keep-nvram"), flag("checkpoints-metadata")),
                Command.of("autostart", LifecycleCommands::autostart, required("domain"), flag("disable")));
    }

    @FunctionalInterface
    private interface DomainCall {
        void apply(NonnullDomain domain) throws VirshException, RemoteCallException;
    }

    /** Look the domain up, act, and report "Domain 'x' <done>" or "Failed to <verb> domain 'x'". */
    private static void simple(Session session, Options options, String verb, String done, DomainCall call)
            throws VirshException {
        String name = options.required("domain");
        NonnullDomain domain = session.domain(name);
        try {
            call.apply(domain);
        } catch (RemoteCallException e) {
            throw VirshException.of("Failed to " + verb + " domain '" + name + "'", e);
        }
        session.output().printExtra("Domain '" + name + "' " + done + "\n");
    }

    private static void define(Session session, Options options) throws VirshException {
        String file = options.required("file");
        String xml = XmlFiles.read(file);
        NonnullDomain domain;
        try {
            domain = options.flag("validate")
                    ? session.call(RemoteCalls.DEFINE_XML_FLAGS, new XmlFlags(xml, 1)).dom()
                    : session.call(RemoteCalls.DEFINE_XML, new StringValue(xml)).dom();
        } catch (RemoteCallException e) {
            throw VirshException.of("Failed to define domain from " + file, e);
        }
        session.output().printExtra("Domain '" + domain.name() + "' defined from " + file + "\n");
    }

    private static void create(Session session, Options options) throws VirshException, RemoteCallException {
        String file = options.required("file");
        String xml = XmlFiles.read(file);
        int flags = (options.flag("paused") ? START_PAUSED : 0) | (options.flag("autodestroy") ? START_AUTODESTROY : 0)
                | (options.flag("validate") ? START_VALIDATE : 0);
        NonnullDomain domain;
        try {
            domain = session.call(RemoteCalls.CREATE_XML, new XmlFlags(xml, flags)).dom();
        } catch (RemoteCallException e) {
            throw VirshException.of("Failed to create domain from " + file, e);
        }
        session.output().printExtra("Domain '" + domain.name() + "' created from " + file + "\n");
        if (options.flag("console")) {
            ConsoleCommand.attach(session, domain, java.util.Optional.empty(), false);
        }
    }

    private static void start(Session session, Options options) throws VirshException, RemoteCallException {
        NonnullDomain domain = session.domain(options.required("domain"), EnumSet.of(Lookup.BY_NAME, Lookup.BY_UUID));
        if (domain.id() != NonnullDomain.INACTIVE_ID) {
            throw new VirshException("Domain is already active");
        }
        int flags = (options.flag("paused") ? START_PAUSED : 0) | (options.flag("autodestroy") ? START_AUTODESTROY : 0)
                | (options.flag("bypass-cache") ? START_BYPASS_CACHE : 0)
                | (options.flag("force-boot") ? START_FORCE_BOOT : 0);
        try {
            if (flags == 0) {
                session.call(RemoteCalls.CREATE, new DomainValue(domain));
            } else {
                session.call(RemoteCalls.CREATE_WITH_FLAGS, new DomainFlags(domain, flags));
            }
        } catch (RemoteCallException e) {
            throw VirshException.of("Failed to start domain '" + domain.name() + "'", e);
        }
        session.output().printExtra("Domain '" + domain.name() + "' started\n");
        if (options.flag("console")) {
            ConsoleCommand.attach(session, domain, java.util.Optional.empty(), false);
        }
    }

    private static void shutdown(Session session, Options options) throws VirshException {
        int flags = modes(options);
        simple(session, options, "shutdown", "is being shutdown", domain -> {
            if (options.value("mode").isPresent()) {
                session.call(RemoteCalls.SHUTDOWN_FLAGS, new DomainFlags(domain, flags));
            } else {
                session.call(RemoteCalls.SHUTDOWN, new DomainValue(domain));
            }
        });
    }

    /** {@code --mode acpi,agent}: the modes' bits, or virsh's error for one it does not know. */
    private static int modes(Options options) throws VirshException {
        int flags = 0;
        for (String mode : options.value("mode").map(m -> m.split(",")).orElse(new String[0])) {
            Integer bit = SHUTDOWN_MODES.get(mode);
            if (bit == null) {
                throw new VirshException("Unknown mode " + mode + " value, expecting 'acpi', 'agent', 'initctl', "
                        + "'signal', or 'paravirt'");
            }
            flags |= bit;
        }
        return flags;
    }

    private static void autostart(Session session, Options options) throws VirshException {
        String name = options.required("domain");
        NonnullDomain domain = session.domain(name);
        boolean autostart = !options.flag("disable");
        try {
            session.call(RemoteCalls.SET_AUTOSTART, new DomainSetAutostartArgs(domain, autostart));
        } catch (RemoteCallException e) {
            throw VirshException.of("Failed to " + (autostart ? "mark" : "unmark") + " domain '" + name
                    + "' as autostarted", e);
        }
        session.output().printExtra("Domain '" + name + "' " + (autostart ? "marked" : "unmarked") + " as autostarted\n");
    }
}
