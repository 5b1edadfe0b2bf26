package io.dpuvirt.virt.driver.managed;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.conf.DomainDefaults;
import io.dpuvirt.virt.conf.DomainValidator;
import io.dpuvirt.virt.conf.DomainXmlException;
import io.dpuvirt.virt.conf.DomainXmlParser;
import io.dpuvirt.virt.conf.DomainXmlWriter;
import io.dpuvirt.virt.conf.ParsedDomain;
import io.dpuvirt.virt.conf.SchemaCheck;
import io.dpuvirt.virt.conf.SchemaValidator;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * Domain XML in and out for a driver: what a client sends is parsed, completed with libvirt's defaults
 * and validated (general rules, the hypervisor's limits and, when asked, libvirt's RelaxNG schema); what
 * the driver stored is parsed as it was written.
 */
final class DomainDefinitions {
    /** The name libvirt gives a document a client sent, in its messages. */
    static final String SOURCE = "(domain_definition)";

    private final DomainXmlParser parser = new DomainXmlParser();
    private final DomainXmlWriter writer = new DomainXmlWriter();
    private final DomainDefaults defaults = new DomainDefaults();
    private final DomainValidator validator;
    private final SchemaValidator schema = new SchemaValidator();
    private final VirErrorDomain origin;

    DomainDefinitions(Hypervisor hypervisor) {
        this.validator = new DomainValidator(hypervisor.limits());
        this.origin = hypervisor.errorDomain();
    }

    /** A client's document: XML_ERROR naming line and element, or XML_INVALID_SCHEMA, when it cannot be accepted. */
    DomainConfig accept(String xml, boolean validateSchema) throws DriverException {
        try {
            if (validateSchema) {
                checkSchema(xml);
            }
            ParsedDomain parsed = parser.parse(SOURCE, xml);
            DomainConfig config = defaults.apply(parsed.config());
            validator.check(config, parsed.positions());
            return config;
        } catch (DomainXmlException e) {
            throw DriverException.of(VirErrorCode.XML_ERROR, origin, e.getMessage(), e);
        }
    }

    /** A document this driver wrote: it was accepted once, so it is only read. */
    DomainConfig stored(String source, String xml) {
        return parser.parse(source, xml).config();
    }

    String write(DomainConfig config) {
        return writer.write(config);
    }

    String writeLive(DomainConfig config, int id) {
        return writer.write(config, OptionalInt.of(id));
    }

    private void checkSchema(String xml) throws DriverException {
        switch (schema.validate(SOURCE, xml.getBytes(StandardCharsets.UTF_8))) {
            case SchemaCheck.Valid valid -> { }
            case SchemaCheck.Invalid invalid -> throw DriverException.of(VirErrorCode.XML_INVALID_SCHEMA, origin,
                    "Unable to validate doc against " + SchemaValidator.DEFAULT_SCHEMA + "\n"
                            + String.join("\n", invalid.errors()));
            case SchemaCheck.Skipped skipped -> Log.warn("define --validate: " + skipped.reason());
        }
    }
}
