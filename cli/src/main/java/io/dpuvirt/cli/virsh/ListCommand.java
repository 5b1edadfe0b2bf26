package io.dpuvirt.cli.virsh;

import io.dpuvirt.rpc.client.RemoteCallException;
import io.dpuvirt.rpc.remote.ConnectListAllDomainsArgs;
import io.dpuvirt.rpc.remote.DomainFlags;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.wire.NonnullDomain;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.dpuvirt.cli.virsh.OptionSpec.flag;

/**
 * {@code virsh list}: its filters (as CONNECT_LIST_ALL_DOMAINS bits), running domains by id then the
 * others by name, as a table (Id, Name, State, and Title when asked) or as bare ids, names, UUIDs.
 */
final class ListCommand {
    private static final int ACTIVE = 1;
    private static final int INACTIVE = 2;
    /** Filter options and their VIR_CONNECT_LIST_DOMAINS_* bits. */
    private static final Map<String, Integer> FILTERS = filters();

    private ListCommand() {
    }

    static Command command() {
        List<OptionSpec> options = new ArrayList<>();
        for (String name : List.of("inactive", "all", "uuid", "name", "id", "table", "managed-save", "title")) {
            options.add(flag(name));
        }
        FILTERS.keySet().forEach(name -> options.add(flag(name)));
        return new Command("list", options, ListCommand::run);
    }

    private static Map<String, Integer> filters() {
        Map<String, Integer> filters = new LinkedHashMap<>();
        filters.put("persistent", 4);
        filters.put("transient", 8);
        filters.put("state-running", 16);
        filters.put("state-paused", 32);
        filters.put("state-shutoff", 64);
        filters.put("state-other", 128);
        filters.put("with-managed-save", 256);
        filters.put("without-managed-save", 512);
        filters.put("autostart", 1024);
        filters.put("no-autostart", 2048);
        filters.put("with-snapshot", 4096);
        filters.put("without-snapshot", 8192);
        filters.put("with-checkpoint", 16384);
        filters.put("without-checkpoint", 32768);
        return filters;
    }

    private static void run(Session session, Options options) throws VirshException, RemoteCallException {
        boolean uuid = options.flag("uuid");
        boolean name = options.flag("name");
        boolean id = options.flag("id");
        boolean title = options.flag("title");
        if (options.flag("table")) {
            for (String bare : List.of("name", "uuid", "id")) {
                if (options.flag(bare)) {
                    throw new VirshException("Options --table and --" + bare + " are mutually exclusive");
                }
            }
        }
        boolean table = !uuid && !name && !id;

        List<NonnullDomain> domains = new ArrayList<>(session.call(RemoteCalls.LIST_ALL_DOMAINS,
                new ConnectListAllDomainsArgs(true, flags(options))).domains());
        domains.sort(ListCommand::virshOrder);

        StringBuilder out = new StringBuilder();
        Table rows = title ? new Table("Id", "Name", "State", "Title") : new Table("Id", "Name", "State");
        for (NonnullDomain domain : domains) {
            String idText = domain.id() == NonnullDomain.INACTIVE_ID ? "-" : Integer.toString(domain.id());
            if (table) {
                Optional<String> state = state(session, domain);
                if (state.isEmpty()) {
                    continue; // it went away meanwhile
                }
                List<String> cells = new ArrayList<>(List.of(idText, domain.name(), state.get()));
                if (title) {
                    cells.add(title(session, domain));
                }
                rows.add(cells.toArray(String[]::new));
            } else {
                List<String> words = new ArrayList<>();
                if (uuid) {
                    words.add(domain.uuid().toString());
                }
                if (id) {
                    if (domain.id() == NonnullDomain.INACTIVE_ID && !uuid && !name) {
                        continue; // ids alone: only running domains have one
                    }
                    words.add(idText);
                }
                if (name) {
                    words.add(domain.name());
                }
                out.append(String.join(" ", words)).append('\n');
            }
        }
        session.output().print(table ? rows.format(!session.output().quiet()) : out.toString());
    }

    private static int flags(Options options) {
        int flags = ACTIVE;
        if (options.flag("inactive") || options.flag("state-shutoff")) {
            flags = INACTIVE;
        }
        if (options.flag("all")) {
            flags = ACTIVE | INACTIVE;
        }
        for (Map.Entry<String, Integer> filter : FILTERS.entrySet()) {
            if (options.flag(filter.getKey())) {
                flags |= filter.getValue();
            }
        }
        return flags;
    }

    /** Running domains by id first, then the others by name, ignoring case. */
    private static int virshOrder(NonnullDomain a, NonnullDomain b) {
        boolean aActive = a.id() != NonnullDomain.INACTIVE_ID;
        boolean bActive = b.id() != NonnullDomain.INACTIVE_ID;
        if (aActive && bActive) {
            return Integer.compareUnsigned(a.id(), b.id());
        }
        if (aActive != bActive) {
            return aActive ? -1 : 1;
        }
        return Comparator.<String, String>comparing(String::toLowerCase).compare(a.name(), b.name());
    }

    private static Optional<String> state(Session session, NonnullDomain domain) throws VirshException {
        try {
            return Optional.of(StateNames.state(session.call(RemoteCalls.GET_STATE, new DomainFlags(domain, 0)).state()));
        } catch (RemoteCallException e) {
            return Optional.empty();
        }
    }

    /** The domain's {@code <title>}, from its XML as virsh falls back to it. */
    private static String title(Session session, NonnullDomain domain) throws VirshException, RemoteCallException {
        String xml = session.call(RemoteCalls.GET_XML_DESC, new DomainFlags(domain, 0)).value();
        try {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            XMLStreamReader reader = factory.createXMLStreamReader(new StringReader(xml));
            int depth = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamReader.START_ELEMENT) {
                    depth++;
                    if (depth == 2 && reader.getLocalName().equals("title")) {
                        return reader.getElementText();
                    }
                } else if (event == XMLStreamReader.END_ELEMENT) {
                    depth--;
                }
            }
            return "";
        } catch (XMLStreamException e) {
            throw new VirshException("cannot read the title of domain '" + domain.name() + "': " + e.getMessage());
        }
    }
}
