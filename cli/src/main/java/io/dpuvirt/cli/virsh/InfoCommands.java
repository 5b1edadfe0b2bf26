package io.dpuvirt.cli.virsh;

import io.dpuvirt.rpc.client.RemoteCallException;
import io.dpuvirt.rpc.remote.DomainFlags;
import io.dpuvirt.rpc.remote.DomainGetInfoRet;
import io.dpuvirt.rpc.remote.DomainGetStateRet;
import io.dpuvirt.rpc.remote.DomainValue;
import io.dpuvirt.rpc.remote.Empty;
import io.dpuvirt.rpc.remote.NodeGetSecurityModelRet;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.remote.SecurityLabel;
import io.dpuvirt.rpc.wire.ErrorCode;
import io.dpuvirt.rpc.wire.NonnullDomain;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

import static io.dpuvirt.cli.virsh.OptionSpec.flag;
import static io.dpuvirt.cli.virsh.OptionSpec.required;

/** dominfo, domstate, dumpxml, domid, domuuid, domname, laid out as virsh lays them out. */
final class InfoCommands {
    private static final int XML_SECURE = 1;
    private static final int XML_INACTIVE = 2;
    private static final int XML_UPDATE_CPU = 4;
    private static final int XML_MIGRATABLE = 8;
    /** virsh prints "no limit" for a maximum memory of UINT_MAX. */
    private static final long NO_LIMIT = 0xffff_ffffL;

    private InfoCommands() {
    }

    static List<Command> all() {
        return List.of(
                Command.of("dominfo", InfoCommands::dominfo, required("domain")),
                Command.of("domstate", InfoCommands::domstate, required("domain"), flag("reason")),
                Command.of("dumpxml", InfoCommands::dumpxml, required("domain"), flag("inactive"),
                        flag("security-info"), flag("update-cpu"), flag("migratable")),
                Command.of("domid", (session, options) -> {
                    NonnullDomain domain = session.domain(options.required("domain"), EnumSet.of(Lookup.BY_NAME, Lookup.BY_UUID));
                    session.output().print((domain.id() == NonnullDomain.INACTIVE_ID ? "-" : Integer.toString(domain.id())) + "\n");
                }, required("domain")),
                Command.of("domuuid", (session, options) -> session.output().print(
                        session.domain(options.required("domain"), EnumSet.of(Lookup.BY_ID, Lookup.BY_NAME)).uuid() + "\n"),
                        required("domain")),
                Command.of("domname", (session, options) -> session.output().print(
                        session.domain(options.required("domain"), EnumSet.of(Lookup.BY_ID, Lookup.BY_UUID)).name() + "\n"),
                        required("domain")));
    }

    private static void dominfo(Session session, Options options) throws VirshException, RemoteCallException {
        NonnullDomain domain = session.domain(options.required("domain"));
        DomainValue value = new DomainValue(domain);
        StringBuilder out = new StringBuilder();
        line(out, "Id:", domain.id() == NonnullDomain.INACTIVE_ID ? "-" : Integer.toString(domain.id()));
        line(out, "Name:", domain.name());
        line(out, "UUID:", domain.uuid().toString());
        line(out, "OS Type:", session.call(RemoteCalls.GET_OS_TYPE, value).value());
        DomainGetInfoRet info = session.call(RemoteCalls.GET_INFO, value);
        line(out, "State:", StateNames.state(info.state()));
        line(out, "CPU(s):", Integer.toString(info.nrVirtCpu()));
        if (info.cpuTimeNs() != 0) {
            line(out, "CPU time:", String.format(Locale.ROOT, "%.1fs", info.cpuTimeNs() / 1e9));
        }
        line(out, "Max memory:", info.maxMemKiB() == NO_LIMIT ? "no limit" : Long.toUnsignedString(info.maxMemKiB()) + " KiB");
        line(out, "Used memory:", Long.toUnsignedString(info.memoryKiB()) + " KiB");
        line(out, "Persistent:", session.call(RemoteCalls.IS_PERSISTENT, value).isTrue() ? "yes" : "no");
        line(out, "Autostart:", session.call(RemoteCalls.GET_AUTOSTART, value).isTrue() ? "enable" : "disable");
        line(out, "Managed save:", session.call(RemoteCalls.HAS_MANAGED_SAVE_IMAGE, new DomainFlags(domain, 0)).isTrue()
                ? "yes" : "no");
        securityLines(session, value, out);
        session.output().print(out.toString());
    }

    /** Only when a security model is active; an older daemon without one answers NO_SUPPORT. */
    private static void securityLines(Session session, DomainValue domain, StringBuilder out)
            throws VirshException, RemoteCallException {
        NodeGetSecurityModelRet model;
        try {
            model = session.call(RemoteCalls.NODE_SECURITY_MODEL, Empty.INSTANCE);
        } catch (RemoteCallException e) {
            if (e.is(ErrorCode.NO_SUPPORT)) {
                return;
            }
            throw e;
        }
        if (model.model().isEmpty()) {
            return;
        }
        line(out, "Security model:", model.model());
        line(out, "Security DOI:", model.doi());
        SecurityLabel label = session.call(RemoteCalls.GET_SECURITY_LABEL, domain);
        if (!label.label().isEmpty()) {
            line(out, "Security label:", label.label() + " (" + (label.enforcing() ? "enforcing" : "permissive") + ")");
        }
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "%-15s %s\n", label, value));
    }

    private static void domstate(Session session, Options options) throws VirshException, RemoteCallException {
        NonnullDomain domain = session.domain(options.required("domain"));
        DomainGetStateRet state = session.call(RemoteCalls.GET_STATE, new DomainFlags(domain, 0));
        String text = StateNames.state(state.state());
        if (options.flag("reason")) {
            text += " (" + StateNames.reason(state.state(), state.reason()) + ")";
        }
        session.output().print(text + "\n");
    }

    private static void dumpxml(Session session, Options options) throws VirshException, RemoteCallException {
        NonnullDomain domain = session.domain(options.required("domain"));
        int flags = (options.flag("security-info") ? XML_SECURE : 0) | (options.flag("inactive") ? XML_INACTIVE : 0)
                | (options.flag("update-cpu") ? XML_UPDATE_CPU : 0) | (options.flag("migratable") ? XML_MIGRATABLE : 0);
        session.output().print(session.call(RemoteCalls.GET_XML_DESC, new DomainFlags(domain, flags)).value());
    }
}
