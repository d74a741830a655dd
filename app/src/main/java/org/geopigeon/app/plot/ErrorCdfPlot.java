package org.geopigeon.app.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.geopigeon.engine.eval.ErrorMetrics;
import org.geopigeon.engine.io.AtomicFiles;

/**
 * PNG of the cumulative distribution of geolocation errors: x = error in km on a log axis
 * (0.1 .. 20,000 km, the antipode is 20,015 km away), y = share of photos with at most that error.
 * The standard thresholds (1/25/200/750/2500 km: street, city, region, country, continent) are
 * marked. Drawn with Java2D so no chart library is needed; works headless.
 */
public final class ErrorCdfPlot {

    private static final double X_MIN = 0.1;
    private static final double X_MAX = 20_000;
    private static final List<Color> PALETTE = List.of(new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b));
    private static final int W = 900;
    private static final int H = 560;
    private static final int LEFT = 70;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private ErrorCdfPlot() {
    }

    /** One curve. */
    public static void write(Path png, String title, double[] errorsKm) throws IOException {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("errors", errorsKm);
        write(png, title, m);
    }

    /** One curve per entry (legend = key), written atomically. */
    public static void write(Path png, String title, Map<String, double[]> series) throws IOException {
        BufferedImage img = render(title, series);
        AtomicFiles.write(png, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    static BufferedImage render(String title, Map<String, double[]> series) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot");
        }
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            axes(g, title);
            int i = 0;
            for (Map.Entry<String, double[]> e : series.entrySet()) {
                Color c = PALETTE.get(i % PALETTE.size());
                curve(g, e.getValue(), c);
                legend(g, i, e.getKey(), e.getValue().length, c);
                i++;
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static double x(double km) {
        double k = Math.max(X_MIN, Math.min(X_MAX, km));
        return LEFT + (Math.log10(k) - Math.log10(X_MIN)) / (Math.log10(X_MAX) - Math.log10(X_MIN)) * (W - LEFT - RIGHT);
    }

    private static double y(double frac) {
        return H - BOTTOM - frac * (H - TOP - BOTTOM);
    }

    private static void axes(Graphics2D g, String title) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0xDDDDDD));
        for (int k = 0; k <= 10; k += 2) {
            int yy = (int) y(k / 10.0);
            g.drawLine(LEFT, yy, W - RIGHT, yy);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
        for (double d = X_MIN; d <= X_MAX * 1.0001; d *= 10) {
            int xx = (int) x(d);
            g.drawLine(xx, H - BOTTOM, xx, H - BOTTOM + 5);
            String s = d < 1 ? "0.1" : String.format(Locale.ROOT, "%,d", (long) d);
            g.drawString(s, xx - g.getFontMetrics().stringWidth(s) / 2, H - BOTTOM + 20);
        }
        for (int k = 0; k <= 10; k += 2) {
            int yy = (int) y(k / 10.0);
            String s = (k * 10) + "%";
            g.drawString(s, LEFT - 8 - g.getFontMetrics().stringWidth(s), yy + 4);
        }
        g.drawString("error (km, log scale)", W / 2 - 60, H - 15);
        g.drawString("photos within", 8, TOP - 10);
        float[] dash = {5f, 4f};
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
        g.setColor(Color.GRAY);
        String[] names = {"street", "city", "region", "country", "continent"};
        for (int i = 0; i < ErrorMetrics.THRESHOLDS_KM.size(); i++) {
            double t = ErrorMetrics.THRESHOLDS_KM.get(i);
            int xx = (int) x(t);
            g.drawLine(xx, TOP, xx, H - BOTTOM);
            g.drawString(ErrorMetrics.formatKm(t) + " km " + names[i], xx + 3, TOP + 14 + 14 * (i % 2));
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title == null ? "" : title, LEFT, 28);
    }

    private static void curve(Graphics2D g, double[] km, Color c) {
        if (km.length == 0) {
            return;
        }
        double[] s = km.clone();
        Arrays.sort(s);
        Path2D.Double p = new Path2D.Double();
        p.moveTo(x(X_MIN), y(0));
        int n = s.length;
        for (int i = 0; i < n; i++) {
            double before = (double) i / n;
            double after = (double) (i + 1) / n;
            p.lineTo(x(s[i]), y(before));
            p.lineTo(x(s[i]), y(after));
        }
        p.lineTo(x(X_MAX), y(1));
        g.setColor(c);
        g.setStroke(new BasicStroke(2f));
        g.draw(p);
        g.setStroke(new BasicStroke(1f));
    }

    private static void legend(Graphics2D g, int i, String name, int n, Color c) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int yy = TOP + 50 + 18 * i;
        g.setColor(c);
        g.fillRect(LEFT + 12, yy - 9, 18, 4);
        g.setColor(Color.BLACK);
        g.drawString(name + " (n=" + n + ")", LEFT + 36, yy - 3);
    }
}
