package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.ElementPath;
import io.dpuvirt.virt.conf.xml.SourceElement;
import io.dpuvirt.virt.conf.xml.SourcePosition;
import io.dpuvirt.virt.conf.xml.XmlAttribute;
import io.dpuvirt.virt.conf.xml.XmlNamespace;
import io.dpuvirt.virt.conf.xml.XmlText;

import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an XML document into a tree of {@link SourceElement}s with StAX, refusing what a management
 * daemon must never process from a client: any DOCTYPE (and with it external entities and entity
 * expansion), documents above a size cap and nesting above a depth cap.
 */
public final class SecureXmlReader {
    public static final int DEFAULT_MAX_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_DEPTH = 64;

    /** The JDK prefixes its messages with the position, which our own format already shows. */
    private static final Pattern STAX_MESSAGE = Pattern.compile("(?s)ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message: (.*)");

    private final int maxBytes;
    private final int maxDepth;
    private final XMLInputFactory factory;

    public SecureXmlReader() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH);
    }

    public SecureXmlReader(int maxBytes, int maxDepth) {
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
        this.factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    }

    /** Reads at most the size cap from {@code in}; the stream is not closed. */
    public SourceElement read(String source, InputStream in) {
        byte[] document;
        try {
            document = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        return read(source, document);
    }

    public SourceElement read(String source, byte[] document) {
        if (document.length > maxBytes) {
            throw new DomainXmlException(ConfigProblem.ofDocument(source, SourcePosition.UNKNOWN,
                    "document is larger than the limit of " + maxBytes + " bytes"));
        }
        XMLStreamReader reader = null;
        try {
            reader = factory.createXMLStreamReader(new ByteArrayInputStream(document));
            return readTree(source, reader);
        } catch (XMLStreamException e) {
            throw new DomainXmlException(ConfigProblem.ofDocument(source, position(e.getLocation()),
                    "malformed XML: " + staxMessage(e)), e);
        } finally {
            closeQuietly(reader);
        }
    }

    private SourceElement readTree(String source, XMLStreamReader reader) throws XMLStreamException {
        Deque<ElementBuilder> open = new ArrayDeque<>();
        ElementBuilder root = null;
        while (reader.hasNext()) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.DTD -> throw new DomainXmlException(ConfigProblem.ofDocument(source,
                        position(reader.getLocation()),
                        "DOCTYPE is not allowed (no DTD, external entity or entity expansion is processed)"));
                case XMLStreamConstants.ENTITY_REFERENCE -> throw new DomainXmlException(ConfigProblem.ofDocument(source,
                        position(reader.getLocation()),
                        "entity reference '&" + reader.getLocalName() + ";' is not allowed"));
                case XMLStreamConstants.START_ELEMENT -> {
                    ElementBuilder element = ElementBuilder.start(reader);
                    if (open.size() >= maxDepth) {
                        throw new DomainXmlException(ConfigProblem.ofDocument(source, element.position,
                                "element '" + element.qualifiedName() + "' is nested deeper than the limit of "
                                        + maxDepth + " levels"));
                    }
                    if (open.isEmpty()) {
                        root = element;
                    } else {
                        open.peek().children.add(element);
                    }
                    open.push(element);
                }
                case XMLStreamConstants.END_ELEMENT -> open.pop();
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (!open.isEmpty()) {
                        open.peek().appendText(reader.getText());
                    }
                }
                default -> {
                    // comments and processing instructions are dropped, as libvirt drops them
                }
            }
        }
        return root.build(ElementPath.ROOT.child(root.qualifiedName()));
    }

    private static String staxMessage(XMLStreamException e) {
        Matcher matcher = STAX_MESSAGE.matcher(String.valueOf(e.getMessage()));
        return matcher.matches() ? matcher.group(1).strip() : String.valueOf(e.getMessage());
    }

    private static SourcePosition position(Location location) {
        return location == null ? SourcePosition.UNKNOWN
                : new SourcePosition(location.getLineNumber(), location.getColumnNumber());
    }

    private static void closeQuietly(XMLStreamReader reader) {
        if (reader == null) {
            return;
        }
        try {
            reader.close();
        } catch (XMLStreamException e) {
            // the document is in memory: closing frees only parser state, and a failure to do so
            // must not hide the result or the error of the read itself
        }
    }

    /** An element under construction; text pieces are merged as they arrive. */
    private static final class ElementBuilder {
        final String namespaceUri;
        final String prefix;
        final String localName;
        final List<XmlNamespace> namespaces = new ArrayList<>();
        final List<XmlAttribute> attributes = new ArrayList<>();
        final List<Object> children = new ArrayList<>();
        final SourcePosition position;

        private ElementBuilder(String namespaceUri, String prefix, String localName, SourcePosition position) {
            this.namespaceUri = namespaceUri;
            this.prefix = prefix;
            this.localName = localName;
            this.position = position;
        }

        static ElementBuilder start(XMLStreamReader reader) {
            ElementBuilder element = new ElementBuilder(nonNull(reader.getNamespaceURI()), nonNull(reader.getPrefix()),
                    reader.getLocalName(), position(reader.getLocation()));
            for (int i = 0; i < reader.getNamespaceCount(); i++) {
                element.namespaces.add(new XmlNamespace(nonNull(reader.getNamespacePrefix(i)),
                        nonNull(reader.getNamespaceURI(i))));
            }
            for (int i = 0; i < reader.getAttributeCount(); i++) {
                element.attributes.add(new XmlAttribute(nonNull(reader.getAttributeNamespace(i)),
                        nonNull(reader.getAttributePrefix(i)), reader.getAttributeLocalName(i),
                        reader.getAttributeValue(i)));
            }
            return element;
        }

        String qualifiedName() {
            return prefix.isEmpty() ? localName : prefix + ":" + localName;
        }

        void appendText(String text) {
            if (!children.isEmpty() && children.getLast() instanceof StringBuilder last) {
                last.append(text);
            } else {
                children.add(new StringBuilder(text));
            }
        }

        SourceElement build(ElementPath path) {
            Map<String, Integer> counts = new HashMap<>();
            for (Object child : children) { // a loop: a stream here, run per element, was a cold define's cost
                if (child instanceof ElementBuilder element) {
                    counts.merge(element.qualifiedName(), 1, Integer::sum);
                }
            }
            Map<String, Integer> seen = new HashMap<>();
            List<Object> built = new ArrayList<>(children.size());
            for (Object child : children) {
                if (child instanceof ElementBuilder element) {
                    String name = element.qualifiedName();
                    int index = seen.merge(name, 1, Integer::sum) - 1;
                    built.add(element.build(path.child(name, index, counts.get(name))));
                } else {
                    built.add(new XmlText(child.toString()));
                }
            }
            return new SourceElement(namespaceUri, prefix, localName, namespaces, attributes, built, path, position);
        }

        private static String nonNull(String value) {
            return value == null ? "" : value;
        }
    }
}
