package io.dpuvirt.virt.conf;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code id} of a running domain: printed in its live XML, ignored in a definition as libvirt ignores it. */
class LiveIdTest {
    private static final String RUNNING = """
            <domain type='test' id='7'>
              <name>guest</name>
              <memory>1024</memory>
              <os><type>hvm</type></os>
            </domain>
            """;

    @Test
    void aDefinitionForgetsTheIdDumpxmlPrinted() {
        DomainConfig config = TestDomains.parse(RUNNING).config();
        assertThat(config.type()).isEqualTo(DomainConfig.Type.TEST);
        assertThat(new DomainXmlWriter().write(config)).startsWith("<domain type='test'>").doesNotContain("id=");
    }

    @Test
    void theLiveXmlCarriesTheIdAfterTheType() {
        DomainConfig config = TestDomains.parse(RUNNING).config();
        assertThat(new DomainXmlWriter().write(config, OptionalInt.of(3))).startsWith("<domain type='test' id='3'>");
    }
}
