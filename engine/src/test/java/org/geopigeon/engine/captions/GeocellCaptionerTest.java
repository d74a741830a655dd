package org.geopigeon.engine.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Month;
import java.util.List;
import java.util.Optional;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellIndex;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

class GeocellCaptionerTest {

    private static CaptionData shipped;

    @BeforeAll
    static void load() throws IOException {
        shipped = CaptionData.shipped();
    }

    private static MultiPolygon boxes(Envelope... parts) {
        Polygon[] p = new Polygon[parts.length];
        for (int i = 0; i < parts.length; i++) {
            p[i] = (Polygon) GeoJsonGeometry.WGS84.toGeometry(parts[i]);
        }
        return GeoJsonGeometry.WGS84.createMultiPolygon(p);
    }

    private static Geocell cell(String name, String admin1, String country, LatLon centroid, Envelope... parts) {
        return new Geocell(0, "c", name, admin1, country, 1, centroid, boxes(parts));
    }

    private static CaptionData withTowns(Town... towns) {
        return new CaptionData(shipped.countries(), new TownIndex(List.of(towns)), shipped.templates());
    }

    @Test
    void shippedDataLoads() {
        assertTrue(shipped.towns().size() > 20_000, "towns: " + shipped.towns().size());
        assertEquals("the Netherlands", shipped.countries().byAlpha3("NLD").orElseThrow().nameInSentence());
        assertEquals(CountryFacts.DrivingSide.LEFT, shipped.countries().byAlpha3("JPN").orElseThrow().drives());
        assertEquals(CountryFacts.DrivingSide.RIGHT, shipped.countries().byAlpha2("FR").orElseThrow().drives());
        assertEquals("Europe", shipped.countries().byAlpha3("KOS").orElseThrow().continent(), "Natural Earth alias");
    }

    @Test
    void countryCellGetsEveryKindOfCaption() {
        Geocell bavaria = cell("Oberbayern", "Bayern", "DEU", new LatLon(48.1, 11.6), new Envelope(10.7, 13.1, 47.3, 49.1));
        List<String> c = new GeocellCaptioner(shipped, GeocellCaptioner.Options.defaults()).captions(bavaria);
        assertTrue(c.contains("A street view photo in Germany."), c::toString);
        assertTrue(c.contains("A photo taken in the region of Bayern in Germany."), c::toString);
        assertTrue(c.contains("A photo taken in Oberbayern, Bayern, Germany."), c::toString);
        assertTrue(c.contains("A street near Munich, Germany."), c::toString);
        assertTrue(c.contains("A landscape in Germany, Europe."), c::toString);
        assertTrue(c.contains("A place in the northern hemisphere."), c::toString);
        assertTrue(c.contains("In this place people drive on the right side of the road."), c::toString);
        assertTrue(c.stream().noneMatch(s -> s.contains("{") || s.contains("season")), c::toString);
    }

    @Test
    void townsAreTheLargestInsideTheCell() {
        Geocell c = cell("", "", "DEU", new LatLon(48.1, 11.6), new Envelope(10.7, 13.1, 47.3, 49.1));
        GeocellCaptioner.Facts f = new GeocellCaptioner(shipped, GeocellCaptioner.Options.defaults()).facts(c);
        assertEquals(3, f.towns().size());
        assertEquals("Munich", f.towns().get(0).name());
        assertTrue(f.towns().get(0).population() >= f.towns().get(1).population());
    }

    @Test
    void antimeridianCellFindsTownsOnBothSides() {
        // A cell cut at ±180 (like Fiji or Chukotka): one part east of the line, one west.
        Town east = new Town("Eastville", new LatLon(-17.0, 179.5), "FJ", 50_000);
        Town west = new Town("Westville", new LatLon(-17.0, -179.5), "FJ", 90_000);
        Town far = new Town("Faraway", new LatLon(-17.0, 0.0), "FJ", 9_000_000);
        CaptionData data = withTowns(east, west, far);
        Geocell split = cell("", "", "FJI", new LatLon(-17.0, 179.9),
                new Envelope(179.0, 180.0, -18.0, -16.0), new Envelope(-180.0, -179.0, -18.0, -16.0));
        GeocellCaptioner captioner = new GeocellCaptioner(data, GeocellCaptioner.Options.defaults());
        assertEquals(List.of("Westville", "Eastville"), captioner.facts(split).towns().stream().map(Town::name).toList());
        assertTrue(captioner.captions(split).contains("A street near Westville, Fiji."));
        assertTrue(captioner.captions(split).contains("In this place people drive on the left side of the road."));

        // A town-less sliver next to the line: the nearest town is 15 km away across it, not 40,000 km.
        Geocell sliver = cell("", "", "FJI", new LatLon(-17.0, 179.99), new Envelope(179.98, 180.0, -17.01, -16.99));
        Town across = new Town("Across", new LatLon(-17.0, -179.87), "FJ", 30_000);
        List<Town> near = new GeocellCaptioner(withTowns(across, far), GeocellCaptioner.Options.defaults()).facts(sliver).towns();
        assertEquals(List.of("Across"), near.stream().map(Town::name).toList());
    }

    @Test
    void cellWithoutTownKeepsItsOtherCaptions() {
        Geocell ocean = cell("Open sea", "", "unknown", new LatLon(-40.0, -120.0), new Envelope(-121, -119, -41, -39));
        List<String> c = new GeocellCaptioner(shipped, GeocellCaptioner.Options.defaults()).captions(ocean);
        assertTrue(c.stream().noneMatch(s -> s.contains("near") || s.contains("town")), c::toString);
        assertTrue(c.stream().noneMatch(s -> s.contains("unknown")), c::toString);
        assertTrue(c.contains("A place in the southern hemisphere."), c::toString);
        assertFalse(c.isEmpty());
    }

    @Test
    void nonLatinNamesPassThroughUnchanged() {
        Geocell cairo = cell("القاهرة", "محافظة القاهرة", "EGY", new LatLon(30.04, 31.24), new Envelope(31.0, 31.5, 29.8, 30.3));
        Geocell tokyo = cell("東京都", "関東", "JPN", new LatLon(35.68, 139.76), new Envelope(139.5, 140.0, 35.5, 35.9));
        GeocellCaptioner captioner = new GeocellCaptioner(shipped, GeocellCaptioner.Options.defaults());
        assertTrue(captioner.captions(cairo).contains("A photo taken in القاهرة, محافظة القاهرة, Egypt."),
                () -> captioner.captions(cairo).toString());
        assertTrue(captioner.captions(tokyo).contains("A photo taken in the region of 関東 in Japan."));
        assertTrue(captioner.captions(tokyo).contains("In this place people drive on the left side of the road."));
    }

    @Test
    void decomposedAccentsAreNormalisedToNfc() {
        String decomposed = "Mu\u0308nchen"; // u + combining diaeresis
        Geocell c = cell(decomposed, "Bayern", "DEU", new LatLon(48.1, 11.6), new Envelope(11.4, 11.8, 48.0, 48.3));
        List<String> captions = new GeocellCaptioner(shipped, GeocellCaptioner.Options.defaults()).captions(c);
        assertTrue(captions.contains("A photo taken in M\u00fcnchen, Bayern, Germany."), captions::toString);
    }

    @Test
    void regionalGroupUsesItsNameAndAgreedFacts() {
        // Demo-bundle style cell: country is a group name, not a code.
        Geocell benelux = cell("Benelux", "", "Benelux", new LatLon(50.8, 4.5), new Envelope(2.5, 7.2, 49.4, 53.6));
        List<String> c = new GeocellCaptioner(shipped, GeocellCaptioner.Options.defaults()).captions(benelux);
        assertTrue(c.contains("A street view photo in Benelux."), c::toString);
        assertTrue(c.contains("A landscape in Benelux, Europe."), c::toString);
        assertTrue(c.contains("In this place people drive on the right side of the road."), c::toString);
    }

    @Test
    void demoGeocellsAllGetCaptionsDeterministically() throws IOException {
        Path demo = Path.of("..", "sample-data", "demo-bundle", "geocells.geojson");
        GeocellSet cells = GeocellGeoJson.read(demo);
        GeocellCaptioner captioner = new GeocellCaptioner(shipped, GeocellCaptioner.Options.defaults());
        List<List<String>> first = captioner.captions(cells);
        assertEquals(first, new GeocellCaptioner(CaptionData.shipped(), GeocellCaptioner.Options.defaults()).captions(cells));
        for (int i = 0; i < cells.size(); i++) {
            assertTrue(first.get(i).size() >= 5, cells.get(i).name() + ": " + first.get(i));
        }
        List<String> usa = first.get(0);
        assertTrue(usa.contains("A street near New York City, the United States."), usa::toString);
    }

    @Test
    void photoCaptionsAddSeasonAndNearestTowns() {
        Geocell nz = cell("", "Canterbury", "NZL", new LatLon(-43.5, 172.6), new Envelope(170, 174, -45, -42));
        GeocellIndex index = new GeocellIndex(new GeocellSet("t", List.of(nz)));
        PhotoCaptioner photos = new PhotoCaptioner(new GeocellCaptioner(shipped, GeocellCaptioner.Options.defaults()), index);
        List<String> c = photos.captions(new LatLon(-43.53, 172.63), Month.JANUARY);
        assertTrue(c.contains("A photo taken in summer in the southern hemisphere."), c::toString);
        assertTrue(c.contains("A photo taken in January in New Zealand."), c::toString);
        assertTrue(c.contains("A street near Christchurch, New Zealand."), c::toString);
        assertTrue(photos.captions(new LatLon(-43.53, 172.63), null).stream().noneMatch(s -> s.contains("summer")));
    }

    @Test
    void seasonsFollowHemisphereAndSkipTheTropics() {
        assertEquals(Optional.of(Season.WINTER), Season.of(Month.JANUARY, 48.0));
        assertEquals(Optional.of(Season.SUMMER), Season.of(Month.JANUARY, -35.0));
        assertEquals(Optional.of(Season.AUTUMN), Season.of(Month.OCTOBER, 40.0));
        assertEquals(Optional.of(Season.SPRING), Season.of(Month.OCTOBER, -40.0));
        assertEquals(Optional.empty(), Season.of(Month.JULY, 10.0));
    }

    @Test
    void badTemplatesNameTheLine() {
        IOException e = assertThrows(IOException.class, () -> CaptionTemplates.parse("t.txt", "a\tIn {nowhere}.\n"));
        assertTrue(e.getMessage().contains("t.txt: line 1: unknown placeholder {nowhere}"), e.getMessage());
        e = assertThrows(IOException.class, () -> CaptionTemplates.parse("t.txt", "# c\nno tab here\n"));
        assertTrue(e.getMessage().startsWith("t.txt: line 2: expected 'id<TAB>template'"), e.getMessage());
        e = assertThrows(IOException.class, () -> CaptionTemplates.parse("t.txt", "a\tX {country}.\na\tY.\n"));
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
    }
}
