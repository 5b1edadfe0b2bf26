package io.dpuvirt.virt.conf;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** libvirt's own RelaxNG schema, when installed (Debian package libvirt0). */
class SchemaValidatorTest {
    private static SchemaCheck check(String xml) {
        assumeTrue(Files.isReadable(SchemaValidator.DEFAULT_SCHEMA), "libvirt's schemas are not installed");
        return new SchemaValidator().validate("domain.xml", xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void seed002GuestIsValid() {
        assertThat(check(TestDomains.resource("seed002-z-b-data-1.xml"))).isEqualTo(new SchemaCheck.Valid());
    }

    @Test
    void seed004ExamplesBreakTheSchemaButTheirDumpxmlDoesNot() {
        // the guide writes function='0x00'; libvirt's schema wants (0x)?[0-7], its parser takes both
        SchemaCheck raw = check(TestDomains.resource("seed004-x86.xml"));
        assertThat(raw).isInstanceOfSatisfying(SchemaCheck.Invalid.class, invalid -> assertThat(invalid.errors())
                .hasSize(6)
                .first().asString().startsWith("domain.xml:42:").contains("\"function\""));
        String written = new DomainXmlWriter().write(TestDomains.parseResource("seed004-x86.xml").config());
        assertThat(check(written)).isEqualTo(new SchemaCheck.Valid());
    }

    @Test
    void kitchenSinkDumpxmlIsValidWhereLibvirtKnowsTheElements() {
        String written = new DomainXmlWriter().write(TestDomains.parseResource("kitchen-sink.xml").config());
        assertThat(check(written)).isInstanceOfSatisfying(SchemaCheck.Invalid.class, invalid ->
                assertThat(invalid.errors()).allSatisfy(error -> assertThat(error).containsAnyOf("gadget", "owner", "flag", "note")));
    }

    @Test
    void unknownElementIsReportedWithItsLine() {
        SchemaCheck result = check(TestDomains.withDevices("<frobnicator/>"));
        assertThat(result).isInstanceOfSatisfying(SchemaCheck.Invalid.class,
                invalid -> assertThat(invalid.errors()).anySatisfy(e -> assertThat(e).startsWith("domain.xml:13:")));
    }

    @Test
    void documentIsReadByTheHardenedReaderFirst() {
        assumeTrue(Files.isReadable(SchemaValidator.DEFAULT_SCHEMA), "libvirt's schemas are not installed");
        byte[] xxe = "<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain>&x;</domain>"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new SchemaValidator().validate("domain.xml", xxe))
                .isInstanceOf(DomainXmlException.class)
                .hasMessageContaining("DOCTYPE is not allowed");
    }

    @Test
    void missingSchemasAreASkipWithTheReason() {
        SchemaCheck result = new SchemaValidator(Path.of("/nonexistent/schemas/domain.rng"))
                .validate("domain.xml", TestDomains.withDevices("").getBytes(StandardCharsets.UTF_8));
        assertThat(result).isEqualTo(new SchemaCheck.Skipped(
                "libvirt's schemas are not installed at /nonexistent/schemas (Debian package libvirt0): schema validation skipped"));
    }
}
