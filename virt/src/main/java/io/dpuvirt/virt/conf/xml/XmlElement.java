package io.dpuvirt.virt.conf.xml;

import java.util.List;
import java.util.Objects;

/**
 * An element the domain model does not know, kept whole so that it can be written back unchanged.
 * Namespace declarations are kept where the document made them.
 */
public record XmlElement(String namespaceUri, String prefix, String localName, List<XmlNamespace> namespaces,
                         List<XmlAttribute> attributes, List<XmlNode> children) implements XmlNode {
    public XmlElement {
        Objects.requireNonNull(namespaceUri, "namespaceUri");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(localName, "localName");
        namespaces = List.copyOf(namespaces);
        attributes = List.copyOf(attributes);
        children = List.copyOf(children);
    }

    public String qualifiedName() {
        return prefix.isEmpty() ? localName : prefix + ":" + localName;
    }
}
