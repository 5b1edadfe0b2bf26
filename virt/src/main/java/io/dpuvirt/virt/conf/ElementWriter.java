package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.XmlAttribute;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Writes one modelled element: its known attributes, then what its record kept of it in
 * {@link Extensions} — unknown attributes after the known ones, each unknown element right after the
 * known sibling it followed when it was read. Mirrors {@link ElementReader}: {@link #part} writes an
 * element folded into the current record, {@link #child} one with a record of its own.
 * <p>
 * The start tag waits until content arrives, so that an element without any is written empty.
 */
final class ElementWriter {
    private final XmlOutput out;
    private final String name;
    private final int depth;
    private final Extensions extensions;
    private final String key;
    private final Unknowns unknowns;
    private final List<XmlAttribute> attributes = new ArrayList<>();
    private final List<PreservedElement> pending;
    private boolean started;
    private boolean hasElements;

    private ElementWriter(XmlOutput out, String name, int depth, Extensions extensions, String key) {
        this.out = out;
        this.name = name;
        this.depth = depth;
        this.extensions = extensions;
        this.key = key;
        this.unknowns = extensions.at(key);
        this.pending = new ArrayList<>(unknowns.elements());
    }

    static void root(XmlOutput out, String name, Extensions extensions, Consumer<ElementWriter> body) {
        ElementWriter root = new ElementWriter(out, name, 0, extensions, "");
        body.accept(root);
        root.close();
    }

    ElementWriter attribute(String attribute, String value) {
        if (started) {
            throw new IllegalStateException("attribute '" + attribute + "' after content in '" + name + "'");
        }
        attributes.add(XmlAttribute.plain(attribute, value));
        return this;
    }

    ElementWriter attribute(String attribute, Optional<?> value) {
        value.ifPresent(v -> attribute(attribute, v instanceof XmlEnum e ? e.xmlValue() : v.toString()));
        return this;
    }

    ElementWriter text(String text) {
        open();
        out.text(text);
        return this;
    }

    /** An element folded into the current record. */
    ElementWriter part(String element, Consumer<ElementWriter> body) {
        return nested(element, extensions, key.isEmpty() ? element : key + "/" + element, body);
    }

    /**
     * A part whose attributes are all optional: written when the model has something for it, or when
     * the record kept something of it (a {@code <driver>} holding only attributes the model ignores).
     */
    ElementWriter part(String element, boolean modelled, Consumer<ElementWriter> body) {
        String partKey = key.isEmpty() ? element : key + "/" + element;
        if (modelled || !extensions.at(partKey).isEmpty()) {
            nested(element, extensions, partKey, body);
        }
        return this;
    }

    /** The {@code index}-th (0-based) of {@code count} same-named parts. */
    ElementWriter part(String element, int index, int count, Consumer<ElementWriter> body) {
        String step = count > 1 ? element + "[" + (index + 1) + "]" : element;
        return nested(element, extensions, key.isEmpty() ? step : key + "/" + step, body);
    }

    ElementWriter textPart(String element, String text) {
        return part(element, e -> e.text(text));
    }

    ElementWriter textPart(String element, Optional<?> text) {
        text.ifPresent(t -> textPart(element, t instanceof XmlEnum e ? e.xmlValue() : t.toString()));
        return this;
    }

    /** An element with a record of its own, whose unknowns are in {@code childExtensions}. */
    ElementWriter child(String element, Extensions childExtensions, Consumer<ElementWriter> body) {
        return nested(element, childExtensions, "", body);
    }

    private ElementWriter nested(String element, Extensions nestedExtensions, String nestedKey,
                                 Consumer<ElementWriter> body) {
        open();
        hasElements = true;
        out.newline(depth + 1);
        ElementWriter nested = new ElementWriter(out, element, depth + 1, nestedExtensions, nestedKey);
        body.accept(nested);
        nested.close();
        writePending(element);
        return this;
    }

    private void open() {
        if (started) {
            return;
        }
        started = true;
        out.start("", "", name, unknowns.namespaces(), allAttributes(), false);
        writePending("");
    }

    private List<XmlAttribute> allAttributes() {
        List<XmlAttribute> all = new ArrayList<>(attributes);
        all.addAll(unknowns.attributes());
        return all;
    }

    /** Writes the kept elements that followed a known element named {@code after}. */
    private void writePending(String after) {
        for (Iterator<PreservedElement> it = pending.iterator(); it.hasNext(); ) {
            PreservedElement preserved = it.next();
            if (preserved.after().equals(after)) {
                it.remove();
                writePreserved(preserved);
            }
        }
    }

    private void writePreserved(PreservedElement preserved) {
        hasElements = true;
        out.newline(depth + 1);
        out.fragment(preserved.element(), depth + 1, true);
    }

    private void close() {
        if (!started && pending.isEmpty()) {
            out.start("", "", name, unknowns.namespaces(), allAttributes(), true);
            return;
        }
        open();
        // what followed an element the record no longer has goes last
        pending.forEach(this::writePreserved);
        pending.clear();
        if (hasElements) {
            out.newline(depth);
        }
        out.end();
    }
}
