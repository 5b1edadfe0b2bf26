package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.XmlAttribute;
import io.dpuvirt.virt.conf.xml.XmlNamespace;

import java.util.List;

/** What one element held that the model does not know: namespace declarations, attributes, child elements. */
public record Unknowns(List<XmlNamespace> namespaces, List<XmlAttribute> attributes,
                       List<PreservedElement> elements) {
    public static final Unknowns NONE = new Unknowns(List.of(), List.of(), List.of());

    public Unknowns {
        namespaces = List.copyOf(namespaces);
        attributes = List.copyOf(attributes);
        elements = List.copyOf(elements);
    }

    public boolean isEmpty() {
        return namespaces.isEmpty() && attributes.isEmpty() && elements.isEmpty();
    }
}
