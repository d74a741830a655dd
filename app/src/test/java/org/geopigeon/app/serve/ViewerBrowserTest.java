package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.geopigeon.app.serve.auth.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The viewer in a real browser (Debian's chromium through Selenium): sign in with a token, upload a photo with
 * EXIF GPS, and check what Leaflet drew: each cell filled with the colour the SLD style gives its probability
 * (read here from styles/geopigeon_predicted_cells.sld with XPath, independently of the server), the estimate
 * sized and coloured by the points style, the EXIF position and the dashed error line, and the offline
 * Natural Earth outlines. tools/test.sh installs chromium and chromium-driver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewerBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private RunningService svc;
    private ChromeDriver browser;

    @BeforeAll
    void start() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "the viewer test needs Debian's"
                + " chromium and chromium-driver: apt-get install chromium chromium-driver (tools/test.sh does)");
        svc = RunningService.start("viewer");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1280,900", "--disable-background-networking", "--no-first-run", "--no-proxy-server",
                        "--user-data-dir=" + Files.createTempDirectory("geopigeon-chromium"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build(), options);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (svc != null) {
            svc.close();
        }
    }

    @Test
    void anUploadedPhotoIsDrawnWithTheSldClassesTheEstimateTheExifPositionAndTheErrorLine() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        browser.get(svc.uri("/viewer/").toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertTrue(browser.findElement(By.id("banner")).isDisplayed(), "the demo-weights warning shows before sign-in");
        browser.findElement(By.id("token")).sendKeys(svc.token(Role.ANALYST));
        browser.findElement(By.id("signin")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("model-info"), "geopigeon-demo"));
        assertTrue(browser.findElements(By.cssSelector(".leaflet-outlines-pane path")).size() > 0,
                "the Natural Earth outlines are drawn");

        Path photo = RunningService.REPO.resolve("sample-data/photos/street_with_gps.jpg");
        browser.findElement(By.id("image")).sendKeys(photo.toString());
        browser.findElement(By.id("purpose")).sendKeys("browser test of the viewer");
        browser.findElement(By.id("submit")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "class", "ok"));
        String status = browser.findElement(By.id("status")).getText();
        long id = Long.parseLong(status.replaceAll("\\D+", " ").trim().split(" ")[0]);

        // What the server stored for this prediction, to know each cell's probability.
        JsonNode fc = svc.get("/predictions/" + id, Role.ANALYST).json();
        JsonNode estimate = fc.get("features").get(0).get("properties");
        Map<Integer, Double> probability = new HashMap<>();
        for (int i = 1; i < fc.get("features").size(); i++) {
            JsonNode p = fc.get("features").get(i).get("properties");
            probability.put(p.get("rank").asInt(), p.get("probability").asDouble());
        }
        List<WebElement> cells = browser.findElements(By.cssSelector("path.cell"));
        assertEquals(probability.size(), cells.size(), "one polygon per ranked cell");
        List<String[]> cellRules = rules("geopigeon_predicted_cells.sld", "probability");
        for (WebElement cell : cells) {
            int rank = Integer.parseInt(cell.getAttribute("class").replaceAll(".*rank-(\\d+).*", "$1"));
            String[] rule = match(cellRules, probability.get(rank));
            assertEquals(rule[2], cell.getAttribute("fill"), "fill of cell " + rank + " (p=" + probability.get(rank) + ")");
            assertEquals(Double.parseDouble(rule[3]), Double.parseDouble(cell.getAttribute("fill-opacity")), 1e-9);
            assertEquals(rule[4], cell.getAttribute("stroke"));
        }
        assertEquals(1, browser.findElements(By.cssSelector("path.top-cell")).size(), "rank 1 outlined");

        WebElement point = browser.findElement(By.cssSelector("path.estimate"));
        String[] pointRule = match(rules("geopigeon_predicted_points.sld", "confidence"), estimate.get("confidence").asDouble());
        assertEquals(pointRule[2], point.getAttribute("fill"));

        WebElement exif = browser.findElement(By.cssSelector(".exif-marker"));
        assertEquals("rgba(26, 152, 80, 1)", exif.getCssValue("background-color"), "EXIF colour of the SLD (#1a9850)");
        WebElement line = browser.findElement(By.cssSelector("path.error-line"));
        assertEquals("#525252", line.getAttribute("stroke"));
        assertEquals("6 3", line.getAttribute("stroke-dasharray"));
        assertTrue(browser.findElement(By.id("summary")).getText().contains("km"), "the error in km is shown");

        // What the user saw, for docs/img/viewer.png when the viewer changes.
        Path shot = Path.of(System.getProperty("java.io.tmpdir"), "geopigeon-viewer.png");
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
    }

    /** Each Rule with a range on {@code property}: {min, max, fill, fill-opacity, stroke}, from the SLD itself. */
    static List<String[]> rules(String sld, String property) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        Document doc = f.newDocumentBuilder().parse(new File(RunningService.REPO.resolve("styles/" + sld).toString()));
        XPath x = XPathFactory.newInstance().newXPath();
        NodeList list = (NodeList) x.evaluate("//*[local-name()='Rule'][.//*[local-name()='PropertyName']='" + property
                + "']", doc, XPathConstants.NODESET);
        java.util.ArrayList<String[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            Element r = (Element) list.item(i);
            String opacity = x.evaluate(el("Fill") + "/*[local-name()='CssParameter'][@name='fill-opacity']", r);
            out.add(new String[] {x.evaluate(el("PropertyIsGreaterThanOrEqualTo") + "/*[local-name()='Literal']", r),
                    x.evaluate(el("PropertyIsLessThan") + "/*[local-name()='Literal']", r),
                    x.evaluate(el("Fill") + "/*[local-name()='CssParameter'][@name='fill']", r),
                    opacity.isEmpty() ? "1" : opacity,
                    x.evaluate(el("Stroke") + "/*[local-name()='CssParameter'][@name='stroke']", r)});
        }
        return out;
    }

    /** XPath step for an element of any namespace. */
    private static String el(String name) {
        return ".//*[local-name()='" + name + "']";
    }

    static String[] match(List<String[]> rules, double v) {
        for (String[] r : rules) {
            if ((r[0].isEmpty() || v >= Double.parseDouble(r[0])) && (r[1].isEmpty() || v < Double.parseDouble(r[1]))) {
                return r;
            }
        }
        throw new AssertionError("no SLD rule for " + v);
    }
}
