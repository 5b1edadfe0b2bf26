package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.XmlAttribute;
import io.dpuvirt.virt.conf.xml.XmlElement;
import io.dpuvirt.virt.conf.xml.XmlNamespace;
import io.dpuvirt.virt.conf.xml.XmlNode;
import io.dpuvirt.virt.conf.xml.XmlText;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one {@link XmlEmitter} a document is written through (libvirt's own form: single quotes, escapes), with:
 * indentation (two spaces a level, as {@code virsh dumpxml}), namespace scopes (a prefix in use is
 * declared where it is not yet bound) and refusal of characters XML 1.0 cannot carry.
 */
final class XmlOutput {
    private static final String INDENT = "  ";

    private final XmlEmitter writer;
    private final Deque<Map<String, String>> scopes = new ArrayDeque<>();

    XmlOutput(XmlEmitter writer) {
        this.writer = writer;
        scopes.push(Map.of("", ""));
    }

    /** Opens an element (empty or not) and writes its declarations and attributes. */
    void start(String prefix, String namespaceUri, String localName, List<XmlNamespace> namespaces,
               List<XmlAttribute> attributes, boolean empty) {
        writer.startElement(prefix, localName, empty);
        scopes.push(new HashMap<>());
        for (XmlNamespace namespace : namespaces) {
            declare(namespace.prefix(), namespace.uri());
        }
        bind(prefix, namespaceUri);
        for (XmlAttribute attribute : attributes) {
            if (!attribute.isPlain()) {
                bind(attribute.prefix(), attribute.namespaceUri());
            }
            writer.attribute(attribute.prefix(), attribute.localName(), checked(attribute.value()));
        }
        if (empty) {
            scopes.pop();
        }
    }

    void end() {
        writer.endElement();
        scopes.pop();
    }

    void text(String text) {
        writer.text(checked(text));
    }

    void newline(int depth) {
        writer.whitespace("\n" + INDENT.repeat(depth));
    }

    /** Writes a preserved element as it was read, indented unless text is mixed with its elements. */
    void fragment(XmlElement element, int depth, boolean indent) {
        boolean hasText = element.children().stream().anyMatch(XmlText.class::isInstance);
        boolean hasElements = element.children().stream().anyMatch(XmlElement.class::isInstance);
        start(element.prefix(), element.namespaceUri(), element.localName(), element.namespaces(),
                element.attributes(), element.children().isEmpty());
        if (element.children().isEmpty()) {
            return;
        }
        boolean indentChildren = indent && !hasText;
        for (XmlNode child : element.children()) {
            if (indentChildren) {
                newline(depth + 1);
            }
            switch (child) {
                case XmlElement e -> fragment(e, depth + 1, indentChildren);
                case XmlText t -> text(t.text());
            }
        }
        if (indentChildren && hasElements) {
            newline(depth);
        }
        end();
    }

    void finish() {
        writer.whitespace("\n");
        writer.finish();
    }

    private void bind(String prefix, String namespaceUri) {
        if (!namespaceUri.equals(lookup(prefix))) {
            declare(prefix, namespaceUri);
        }
    }

    private void declare(String prefix, String namespaceUri) {
        writer.namespace(prefix, namespaceUri);
        scopes.peek().put(prefix, namespaceUri);
    }

    private String lookup(String prefix) {
        for (Map<String, String> scope : scopes) {
            String uri = scope.get(prefix);
            if (uri != null) {
                return uri;
            }
        }
        return null;
    }

    /** XML 1.0 has no way to carry most control characters, not even as references. */
    private static String checked(String text) {
        for (int i = 0; i < text.length(); i++) {
            int c = text.codePointAt(i);
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (!allowed) {
                throw new IllegalArgumentException("character U+%04X at index %d cannot be written in XML"
                        .formatted(c, i));
            }
            if (c >= 0x10000) {
                i++;
            }
        }
        return text;
    }

}
