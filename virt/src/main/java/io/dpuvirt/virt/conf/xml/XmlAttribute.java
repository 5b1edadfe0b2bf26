package io.dpuvirt.virt.conf.xml;

import java.util.Objects;

/**
 * An attribute with its namespace; {@code namespaceUri} and {@code prefix} are empty for the usual
 * unqualified attribute.
 */
public record XmlAttribute(String namespaceUri, String prefix, String localName, String value) {
    public XmlAttribute {
        Objects.requireNonNull(namespaceUri, "namespaceUri");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(localName, "localName");
        Objects.requireNonNull(value, "value");
    }

    public static XmlAttribute plain(String localName, String value) {
        return new XmlAttribute("", "", localName, value);
    }

    public boolean isPlain() {
        return namespaceUri.isEmpty();
    }
}
