package org.geopigeon.app.serve.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads the Rules of the project's SLD styles ({@code styles/*.sld}, packaged into the app jar), so the viewer
 * colours cells and points with exactly the classes GeoServer and MapServer use: one source, no copy. Handles
 * the filters those styles use ({@code PropertyIsLessThan}, {@code PropertyIsGreaterThanOrEqualTo},
 * {@code PropertyIsEqualTo}, {@code And}) and the Polygon/Point/Line symbolizers' CSS parameters.
 */
public final class SldStyles {

    static final String SLD = "http://www.opengis.net/sld";
    static final String OGC = "http://www.opengis.net/ogc";
    /** Where the build puts {@code styles/*.sld} (see app/pom.xml). */
    public static final String RESOURCE_DIR = "/org/geopigeon/app/serve/viewer/styles/";

    private SldStyles() {
    }

    /** The rules of a packaged style, e.g. {@code geopigeon_predicted_cells.sld}. */
    public static List<SldRule> packaged(String file) {
        try (InputStream in = SldStyles.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("style " + file + " is missing from the jar (built from styles/)");
            }
            return read(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read style " + file + ": " + e.getMessage(), e);
        }
    }

    /** All Rules of all FeatureTypeStyles, in document order. */
    public static List<SldRule> read(InputStream sld) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder b = f.newDocumentBuilder();
            doc = b.parse(sld);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("not a readable SLD: " + e.getMessage(), e);
        }
        List<SldRule> rules = new ArrayList<>();
        NodeList list = doc.getElementsByTagNameNS(SLD, "Rule");
        for (int i = 0; i < list.getLength(); i++) {
            rules.add(rule((Element) list.item(i)));
        }
        return rules;
    }

    private static SldRule rule(Element r) {
        String property = null;
        Double min = null;
        Double max = null;
        Double eq = null;
        for (String op : List.of("PropertyIsLessThan", "PropertyIsGreaterThanOrEqualTo", "PropertyIsEqualTo")) {
            NodeList cmp = r.getElementsByTagNameNS(OGC, op);
            for (int i = 0; i < cmp.getLength(); i++) {
                Element c = (Element) cmp.item(i);
                property = text(c, OGC, "PropertyName");
                double v = Double.parseDouble(text(c, OGC, "Literal"));
                switch (op) {
                    case "PropertyIsLessThan" -> max = v;
                    case "PropertyIsGreaterThanOrEqualTo" -> min = v;
                    default -> eq = v;
                }
            }
        }
        Element symbolizer = first(r, "PolygonSymbolizer", "PointSymbolizer", "LineSymbolizer");
        String fill = null;
        Double fillOpacity = null;
        String stroke = null;
        Double strokeWidth = null;
        String dash = null;
        Double size = null;
        String mark = null;
        if (symbolizer != null) {
            NodeList params = symbolizer.getElementsByTagNameNS(SLD, "CssParameter");
            for (int i = 0; i < params.getLength(); i++) {
                Element p = (Element) params.item(i);
                String v = p.getTextContent().trim();
                switch (p.getAttribute("name")) {
                    case "fill" -> fill = v;
                    case "fill-opacity" -> fillOpacity = Double.parseDouble(v);
                    case "stroke" -> stroke = v;
                    case "stroke-width" -> strokeWidth = Double.parseDouble(v);
                    case "stroke-dasharray" -> dash = v;
                    default -> { }
                }
            }
            String s = text(symbolizer, SLD, "Size");
            size = s == null ? null : Double.parseDouble(s);
            mark = text(symbolizer, SLD, "WellKnownName");
        }
        return new SldRule(text(r, SLD, "Name"), text(r, SLD, "Title"), property, min, max, eq, fill, fillOpacity,
                stroke, strokeWidth, dash, size, mark);
    }

    private static Element first(Element parent, String... names) {
        for (String n : names) {
            NodeList l = parent.getElementsByTagNameNS(SLD, n);
            if (l.getLength() > 0) {
                return (Element) l.item(0);
            }
        }
        return null;
    }

    /** Text of the first descendant {@code ns:name}, trimmed, or null. */
    private static String text(Element parent, String ns, String name) {
        NodeList l = parent.getElementsByTagNameNS(ns, name);
        for (int i = 0; i < l.getLength(); i++) {
            Node n = l.item(i);
            if (n.getParentNode() != null) {
                return n.getTextContent().trim();
            }
        }
        return null;
    }
}
