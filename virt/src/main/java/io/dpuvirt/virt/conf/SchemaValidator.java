package io.dpuvirt.virt.conf;

import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.ValidationDriver;
import com.thaiopensource.validate.rng.SAXSchemaReader;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a document against libvirt's own RelaxNG schema ({@code domain.rng}, shipped by Debian's
 * {@code libvirt0}) with Jing, as {@code virsh define --validate} does. Optional twice over: the schemas
 * may not be installed and Jing is an optional dependency; either way the check is
 * {@link SchemaCheck.Skipped} with the reason.
 */
public final class SchemaValidator {
    public static final Path DEFAULT_SCHEMA = Path.of("/usr/share/libvirt/schemas/domain.rng");
    private static final String JING_CLASS = "com.thaiopensource.validate.ValidationDriver";

    private final Path schema;
    private final SecureXmlReader reader = new SecureXmlReader();

    public SchemaValidator() {
        this(DEFAULT_SCHEMA);
    }

    public SchemaValidator(Path schema) {
        this.schema = schema;
    }

    public SchemaCheck validate(String source, byte[] document) {
        if (!Files.isReadable(schema)) {
            return new SchemaCheck.Skipped("libvirt's schemas are not installed at " + schema.getParent()
                    + " (Debian package libvirt0): schema validation skipped");
        }
        if (!jingAvailable()) {
            return new SchemaCheck.Skipped("Jing (org.relaxng:jing) is not on the class path: schema validation skipped");
        }
        // the document goes through the hardened reader first, so that no DOCTYPE reaches Jing's SAX parser
        reader.read(source, document);
        return JingCheck.run(schema, source, document);
    }

    private static boolean jingAvailable() {
        try {
            Class.forName(JING_CLASS, false, SchemaValidator.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Everything that touches Jing, loaded only once Jing is known to be there. */
    private static final class JingCheck {
        static SchemaCheck run(Path schema, String source, byte[] document) {
            List<String> errors = new ArrayList<>();
            ErrorHandler collector = new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                    // warnings do not make a document invalid
                }

                @Override
                public void error(SAXParseException e) {
                    errors.add(source + ":" + e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
                }

                @Override
                public void fatalError(SAXParseException e) {
                    error(e);
                }
            };
            PropertyMapBuilder properties = new PropertyMapBuilder();
            properties.put(ValidateProperty.ERROR_HANDLER, collector);
            ValidationDriver driver = new ValidationDriver(properties.toPropertyMap(), SAXSchemaReader.getInstance());
            try {
                if (!driver.loadSchema(ValidationDriver.fileInputSource(schema.toFile()))) {
                    throw new IllegalStateException("cannot load " + schema + ": " + String.join("; ", errors));
                }
                InputSource input = new InputSource(new ByteArrayInputStream(document));
                input.setSystemId(source);
                return driver.validate(input) ? new SchemaCheck.Valid() : new SchemaCheck.Invalid(errors);
            } catch (SAXException e) {
                return new SchemaCheck.Invalid(errors.isEmpty() ? List.of(source + ": " + e.getMessage()) : errors);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + schema, e);
            }
        }
    }
}
