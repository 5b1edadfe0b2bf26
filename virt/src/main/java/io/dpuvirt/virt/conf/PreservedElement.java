package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.XmlElement;

import java.util.Objects;

/**
 * An element the model does not know, and the name of the known sibling it followed ({@code ""} when it
 * came before all of them), so that the writer puts it back in the same neighbourhood.
 */
public record PreservedElement(String after, XmlElement element) {
    public PreservedElement {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(element, "element");
    }
}
