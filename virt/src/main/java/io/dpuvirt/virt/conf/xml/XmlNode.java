package io.dpuvirt.virt.conf.xml;

/** A node of an XML fragment kept verbatim: an element or a piece of text. */
public sealed interface XmlNode permits XmlElement, XmlText {
}
