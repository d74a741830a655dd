package org.geopigeon.service.styles;

/** An sRGB colour; enough arithmetic to predict what a renderer paints. */
record Rgb(int r, int g, int b) {

    static final Rgb WHITE = new Rgb(255, 255, 255);

    Rgb {
        if ((r | g | b) < 0 || r > 255 || g > 255 || b > 255) {
            throw new IllegalArgumentException("colour channel out of 0..255: " + r + "," + g + "," + b);
        }
    }

    /** {@code #rrggbb} as written in an SLD CssParameter. */
    static Rgb hex(String hex) {
        if (!hex.matches("#[0-9a-fA-F]{6}")) {
            throw new IllegalArgumentException("not a #rrggbb colour: " + hex);
        }
        int v = Integer.parseInt(hex.substring(1), 16);
        return new Rgb(v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff);
    }

    static Rgb ofArgb(int argb) {
        return new Rgb(argb >> 16 & 0xff, argb >> 8 & 0xff, argb & 0xff);
    }

    /** This colour painted with {@code opacity} over {@code background} (source-over compositing). */
    Rgb over(Rgb background, double opacity) {
        return new Rgb(mix(r, background.r, opacity), mix(g, background.g, opacity), mix(b, background.b, opacity));
    }

    /** Largest per-channel difference. */
    int distance(Rgb other) {
        return Math.max(Math.abs(r - other.r), Math.max(Math.abs(g - other.g), Math.abs(b - other.b)));
    }

    /** Rec. 601 luma, 0 (black) .. 255 (white). */
    double luma() {
        return 0.299 * r + 0.587 * g + 0.114 * b;
    }

    private static int mix(int fg, int bg, double a) {
        return (int) Math.round(fg * a + bg * (1 - a));
    }

    @Override
    public String toString() {
        return String.format("#%02x%02x%02x", r, g, b);
    }
}
