package org.geopigeon.wps.styles;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** Validates SLD 1.0.0 documents against the official OGC schema, fully offline. */
final class SldSchemaValidator {

    static final String SLD_XSD = "http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd";
    /** Only local (jar: from the schema jars, file: for the SLD under test) access is allowed. */
    private static final String LOCAL_ONLY = "jar,file";

    private final Schema schema;

    SldSchemaValidator() {
        ClassLoader loader = SldSchemaValidator.class.getClassLoader();
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        try {
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, LOCAL_ONLY);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, LOCAL_ONLY);
            factory.setResourceResolver(new OfflineSchemaResolver(loader));
            URL xsd = loader.getResource(OfflineSchemaResolver.classpathPath(SLD_XSD));
            if (xsd == null) {
                throw new IllegalStateException("SLD schema missing from classpath: add org.jvnet.ogc:ogc-schemas");
            }
            try (InputStream in = xsd.openStream()) {
                schema = factory.newSchema(new StreamSource(in, SLD_XSD));
            }
        } catch (SAXException | IOException e) {
            throw new IllegalStateException("cannot load the SLD 1.0.0 schema: " + e.getMessage(), e);
        }
    }

    /** Every error and warning in {@code sld}; empty when the document is valid. */
    List<SchemaProblem> validate(Path sld) throws IOException {
        List<SchemaProblem> problems = new ArrayList<>();
        String name = sld.getFileName().toString();
        Validator validator = schema.newValidator();
        try {
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, LOCAL_ONLY);
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, LOCAL_ONLY);
        } catch (SAXException e) {
            throw new IllegalStateException("XML validator does not support access restrictions", e);
        }
        validator.setErrorHandler(new Collector(name, problems));
        try (InputStream in = Files.newInputStream(sld)) {
            validator.validate(new StreamSource(in, sld.toUri().toString()));
        } catch (SAXParseException e) {
            // fatal (not well-formed): already collected by the handler
        } catch (SAXException e) {
            problems.add(new SchemaProblem(name, -1, -1, e.getMessage()));
        }
        return problems;
    }

    private record Collector(String file, List<SchemaProblem> problems) implements ErrorHandler {
        @Override public void warning(SAXParseException e) { add(e); }
        @Override public void error(SAXParseException e) { add(e); }
        @Override public void fatalError(SAXParseException e) throws SAXParseException { add(e); throw e; }

        private void add(SAXParseException e) {
            problems.add(new SchemaProblem(file, e.getLineNumber(), e.getColumnNumber(), e.getMessage()));
        }
    }
}
