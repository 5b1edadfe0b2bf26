package io.dpuvirt.virt.conf;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * parse → write → parse gives equal records, and whatever unknown XML is slipped into a known document
 * (elements anywhere, namespaced or not, with any text; attributes on modelled elements) survives.
 */
class RoundTripPropertyTest {
    private static final List<String> BASES = List.of("seed004-x86.xml", "seed004-aarch64.xml",
            "seed002-z-b-data-1.xml", "kitchen-sink.xml");
    /** Unknown elements go right before one of these; every base has each of them. */
    private static final List<String> ELEMENT_POINTS = List.of("</domain>", "</devices>", "</os>", "</disk>",
            "</interface>", "</features>", "<emulator>", "</memballoon>");
    /** Unknown attributes go right after one of these. */
    private static final List<String> ATTRIBUTE_POINTS = List.of("<domain ", "<disk ", "<interface ", "<target ",
            "<memballoon ", "<controller ");
    private static final String TEST_NS = "urn:dpuvirt:test";

    /** An unknown element: its name, whether namespaced, one attribute, and text or leaf children. */
    record Fragment(String name, boolean namespaced, String attributeValue, String text, List<String> leaves) {
    }

    record Injection(int point, Fragment fragment) {
    }

    record AttributeInjection(int point, String name, String value) {
    }

    record Document(String base, List<Injection> elements, List<AttributeInjection> attributes) {
        String xml() {
            String xml = TestDomains.resource(base);
            for (int i = 0; i < elements.size(); i++) {
                Injection injection = elements.get(i);
                String point = ELEMENT_POINTS.get(injection.point());
                xml = xml.replaceFirst(java.util.regex.Pattern.quote(point),
                        java.util.regex.Matcher.quoteReplacement(serialize(injection.fragment(), i) + point));
            }
            for (AttributeInjection attribute : attributes) {
                String point = ATTRIBUTE_POINTS.get(attribute.point());
                xml = xml.replaceFirst(java.util.regex.Pattern.quote(point), java.util.regex.Matcher.quoteReplacement(
                        point + serializeAttribute(attribute.name(), attribute.value()) + " "));
            }
            return xml;
        }
    }

    @Provide
    Arbitrary<Document> documents() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)
                .map(n -> "u" + n);
        // attribute values: no tab, CR or LF, which attribute-value normalisation turns into spaces
        Arbitrary<String> values = Arbitraries.strings().withCharRange(' ', '~').withChars("éü中€&<>\"'")
                .ofMaxLength(16);
        Arbitrary<String> texts = Arbitraries.strings().withCharRange(' ', '~').withChars("\néü中&<>]]>")
                .ofMaxLength(24);
        Arbitrary<Fragment> fragments = Combinators.combine(names, Arbitraries.of(true, false), values, texts,
                names.list().ofMaxSize(3)).as(Fragment::new);
        Arbitrary<Injection> injections = Combinators.combine(
                Arbitraries.integers().between(0, ELEMENT_POINTS.size() - 1), fragments).as(Injection::new);
        Arbitrary<AttributeInjection> attributes = Combinators.combine(
                Arbitraries.integers().between(0, ATTRIBUTE_POINTS.size() - 1), names, values)
                .as(AttributeInjection::new);
        return Combinators.combine(Arbitraries.of(BASES), injections.list().ofMaxSize(6),
                attributes.list().ofMaxSize(3).uniqueElements(AttributeInjection::point)).as(Document::new);
    }

    @Property(tries = 300)
    void parseWriteParseGivesEqualRecords(@ForAll("documents") Document document) {
        DomainConfig first = TestDomains.parse(document.xml()).config();
        String written = new DomainXmlWriter().write(first);
        DomainConfig second = TestDomains.parse(written).config();
        assertThat(second).isEqualTo(first);
        assertThat(new DomainXmlWriter().write(second)).isEqualTo(written);
    }

    @Property(tries = 300)
    void unknownElementsAndAttributesSurvive(@ForAll("documents") Document document) {
        String written = new DomainXmlWriter().write(TestDomains.parse(document.xml()).config());
        for (int i = 0; i < document.elements().size(); i++) {
            assertThat(written).contains("uid='" + i + "'");
        }
        for (AttributeInjection attribute : document.attributes()) {
            // written back as libvirt writes attributes, whatever quoting the input used
            assertThat(written).contains(attribute.name() + "='" + XmlEmitter.escaped(attribute.value()) + "'");
        }
    }

    private static String serialize(Fragment fragment, int id) {
        return write(w -> {
            if (fragment.namespaced()) {
                w.writeStartElement("t", fragment.name(), TEST_NS);
                w.writeNamespace("t", TEST_NS);
            } else {
                w.writeStartElement(fragment.name());
            }
            w.writeAttribute("uid", Integer.toString(id));
            w.writeAttribute("uvalue", fragment.attributeValue());
            if (fragment.leaves().isEmpty()) {
                w.writeCharacters(fragment.text());
            }
            for (String leaf : fragment.leaves()) {
                w.writeEmptyElement(leaf);
            }
            w.writeEndElement();
        });
    }

    /** An attribute as the writer puts it out, to look for in its output. */
    private static String serializeAttribute(String name, String value) {
        String element = write(w -> {
            w.writeEmptyElement("x");
            w.writeAttribute(name, value);
        });
        return element.substring("<x ".length(), element.length() - "/>".length());
    }

    private interface XmlBody {
        void write(XMLStreamWriter writer) throws XMLStreamException;
    }

    private static String write(XmlBody body) {
        try {
            StringWriter out = new StringWriter();
            XMLStreamWriter writer = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out);
            body.write(writer);
            writer.writeEndDocument();
            writer.flush();
            return out.toString();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }
}
