package io.dpuvirt.virt.conf;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Documents a daemon must refuse before reading anything from them. */
class HardenedParsingTest {
    private static final String DOCTYPE_REFUSED =
            "DOCTYPE is not allowed (no DTD, external entity or entity expansion is processed)";

    @Test
    void externalEntityIsRefusedWithoutReadingTheFile() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE domain [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
                <domain type='kvm'><name>&secret;</name></domain>
                """;
        assertThatThrownBy(() -> TestDomains.parse(xxe))
                .isInstanceOf(DomainXmlException.class)
                .hasMessage("domain.xml:2: " + DOCTYPE_REFUSED)
                .hasMessageNotContaining("root:");
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            entities.append("<!ENTITY lol%d \"%s\">".formatted(i, ("&lol" + (i - 1) + ";").repeat(10)));
        }
        String bomb = "<!DOCTYPE domain [" + entities + "]>\n<domain type='kvm'><name>&lol9;</name></domain>";
        assertThatThrownBy(() -> TestDomains.parse(bomb)).hasMessage("domain.xml:1: " + DOCTYPE_REFUSED);
    }

    @Test
    void anyDoctypeIsRefused() {
        String withDoctype = "<?xml version='1.0'?>\n<!DOCTYPE domain SYSTEM 'http://example.invalid/domain.dtd'>\n"
                + "<domain type='kvm'/>";
        assertThatThrownBy(() -> TestDomains.parse(withDoctype)).hasMessage("domain.xml:2: " + DOCTYPE_REFUSED);
    }

    @Test
    void undeclaredEntityReferenceIsRefused() {
        assertThatThrownBy(() -> TestDomains.parse("<domain type='kvm'>\n<name>&foo;</name></domain>"))
                .isInstanceOf(DomainXmlException.class)
                .hasMessageStartingWith("domain.xml:2: ");
    }

    @Test
    void documentAboveOneMebibyteIsRefused() {
        String padding = "<!--" + "x".repeat(SecureXmlReader.DEFAULT_MAX_BYTES) + "-->";
        String big = TestDomains.withDevices("").replace("<name>", padding + "<name>");
        assertThatThrownBy(() -> TestDomains.parse(big))
                .hasMessage("domain.xml: document is larger than the limit of 1048576 bytes");
        assertThatThrownBy(() -> new DomainXmlParser().parse("domain.xml",
                new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .hasMessage("domain.xml: document is larger than the limit of 1048576 bytes");
    }

    @Test
    void documentJustBelowTheLimitIsRead() {
        String xml = TestDomains.withDevices("");
        String padding = "<!--" + "x".repeat(SecureXmlReader.DEFAULT_MAX_BYTES - xml.length() - 7) + "-->";
        String fits = xml.replace("<name>", padding + "<name>");
        assertThat(fits.getBytes(StandardCharsets.UTF_8)).hasSize(SecureXmlReader.DEFAULT_MAX_BYTES);
        assertThat(TestDomains.parse(fits).config().name()).isEqualTo("guest");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        int depth = SecureXmlReader.DEFAULT_MAX_DEPTH + 1;
        String deep = "<domain type='kvm'>\n<metadata>" + "<a>".repeat(depth) + "</a>".repeat(depth) + "</metadata></domain>";
        assertThatThrownBy(() -> TestDomains.parse(deep))
                .hasMessage("domain.xml:2: element 'a' is nested deeper than the limit of 64 levels");
    }

    @Test
    void malformedDocumentNamesTheLine() {
        assertThatThrownBy(() -> TestDomains.parse("<domain type='kvm'>\n  <name>x</nam>\n</domain>"))
                .isInstanceOf(DomainXmlException.class)
                .hasMessageStartingWith("domain.xml:2: malformed XML: ")
                .satisfies(e -> assertThat(((DomainXmlException) e).line()).isEqualTo(2));
    }

    @Test
    void rootMustBeDomain() {
        assertThatThrownBy(() -> TestDomains.parse("<network/>"))
                .hasMessage("domain.xml:1: element 'network': the root element must be 'domain'");
    }
}
