package io.dpuvirt.virt.conf.xml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An element as read from a document, with where it stood: its path (as in
 * {@code /domain/devices/disk[2]/target}) and the line and column the reader reported for it.
 * Children are {@link SourceElement}s and {@link XmlText}s in document order.
 */
public record SourceElement(String namespaceUri, String prefix, String localName, List<XmlNamespace> namespaces,
                            List<XmlAttribute> attributes, List<Object> children, ElementPath path,
                            SourcePosition position) {
    public SourceElement {
        Objects.requireNonNull(namespaceUri, "namespaceUri");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(localName, "localName");
        namespaces = List.copyOf(namespaces);
        attributes = List.copyOf(attributes);
        children = List.copyOf(children);
        for (Object child : children) {
            if (!(child instanceof SourceElement) && !(child instanceof XmlText)) {
                throw new IllegalArgumentException("child of unexpected kind: " + child.getClass());
            }
        }
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(position, "position");
    }

    // elements() and text() are loops, not streams: a define reads them for every element, mostly before the JIT
    // has compiled them, and an interpreted stream pipeline costs many times a loop (a third of a cold define's
    // parse went to streams here)

    public List<SourceElement> elements() {
        List<SourceElement> elements = new ArrayList<>(children.size());
        for (Object child : children) {
            if (child instanceof SourceElement element) {
                elements.add(element);
            }
        }
        return Collections.unmodifiableList(elements);
    }

    /** The concatenated text directly inside this element. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (Object child : children) {
            if (child instanceof XmlText piece) {
                text.append(piece.text());
            }
        }
        return text.toString();
    }

    /** Converts this element and everything below it into a fragment to keep. */
    public XmlElement toFragment() {
        boolean mixed = children.stream().anyMatch(c -> c instanceof XmlText t && !t.isBlank());
        boolean hasElements = children.stream().anyMatch(SourceElement.class::isInstance);
        // Whitespace between child elements is indentation, re-created by the writer; text that carries
        // anything else is kept exactly, together with the whitespace around it.
        List<XmlNode> kept = children.stream()
                .filter(c -> mixed || !hasElements || c instanceof SourceElement)
                .map(c -> c instanceof SourceElement e ? (XmlNode) e.toFragment() : (XmlNode) c)
                .toList();
        return new XmlElement(namespaceUri, prefix, localName, namespaces, attributes, kept);
    }
}
