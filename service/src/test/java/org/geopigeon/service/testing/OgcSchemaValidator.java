package org.geopigeon.service.testing;

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

/** Validates documents against an official OGC schema (SLD, WPS, ...), fully offline. */
public final class OgcSchemaValidator {

    public static final String SLD_1_0_0 = "http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd";
    public static final String WPS_1_0_0_EXECUTE = "http://schemas.opengis.net/wps/1.0.0/wpsExecute_request.xsd";
    /** Only local (jar: from the schema jars, file: for the SLD under test) access is allowed. */
    private static final String LOCAL_ONLY = "jar,file";

    private final Schema schema;

    /** @param schemaUrl canonical schemas.opengis.net location of the root schema */
    public OgcSchemaValidator(String schemaUrl) {
        ClassLoader loader = OgcSchemaValidator.class.getClassLoader();
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        try {
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, LOCAL_ONLY);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, LOCAL_ONLY);
            factory.setResourceResolver(new OfflineSchemaResolver(loader));
            URL xsd = loader.getResource(OfflineSchemaResolver.classpathPath(schemaUrl));
            if (xsd == null) {
                throw new IllegalStateException(schemaUrl + " missing from classpath: add org.jvnet.ogc:ogc-schemas");
            }
            try (InputStream in = xsd.openStream()) {
                schema = factory.newSchema(new StreamSource(in, schemaUrl));
            }
        } catch (SAXException | IOException e) {
            throw new IllegalStateException("cannot load schema " + schemaUrl + ": " + e.getMessage(), e);
        }
    }

    /** Every error and warning in {@code document}; empty when it is valid. */
    public List<SchemaProblem> validate(Path document) throws IOException {
        List<SchemaProblem> problems = new ArrayList<>();
        String name = document.getFileName().toString();
        Validator validator = schema.newValidator();
        try {
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, LOCAL_ONLY);
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, LOCAL_ONLY);
        } catch (SAXException e) {
            throw new IllegalStateException("XML validator does not support access restrictions", e);
        }
        validator.setErrorHandler(new Collector(name, problems));
        try (InputStream in = Files.newInputStream(document)) {
            validator.validate(new StreamSource(in, document.toUri().toString()));
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
