package io.dpuvirt.virt.conf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test documents: the resources under {@code domains/} and a minimal domain to put snippets into. */
final class TestDomains {
    static final String SOURCE = "domain.xml";

    private TestDomains() {
    }

    static String resource(String name) {
        try (InputStream in = TestDomains.class.getResourceAsStream("/domains/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource domains/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParsedDomain parseResource(String name) {
        return new DomainXmlParser().parse(name, resource(name));
    }

    static ParsedDomain parse(String xml) {
        return new DomainXmlParser().parse(SOURCE, xml);
    }

    /**
     * A small valid domain with {@code devices} inside {@code <devices>}; lines 1–12 are fixed, the
     * first device line is line 13.
     */
    static String withDevices(String devices) {
        return """
                <domain type='kvm'>
                  <name>guest</name>
                  <memory unit='MiB'>512</memory>
                  <vcpu>2</vcpu>
                  <iothreads>1</iothreads>
                  <os>
                    <type arch='x86_64' machine='q35'>hvm</type>
                  </os>
                  <features>
                    <acpi/>
                  </features>
                  <devices>
                """ + devices.indent(4) + """
                  </devices>
                </domain>
                """;
    }
}
