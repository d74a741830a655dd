package org.geopigeon.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.util.Vector;

import org.junit.jupiter.api.Test;

/** Conversion rules of PIL's convert("RGB"), which CLIP training used. */
class RgbConverterTest {

    private static int rgb(BufferedImage image, int x, int y) {
        assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
        return image.getRGB(x, y) & 0xFFFFFF;
    }

    @Test
    void plainIntRgbIsReturnedAsIs() {
        BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        assertSame(image, RgbConverter.toRgb(image));
    }

    @Test
    void subImageIsCopiedWithItsOwnPixels() {
        BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 4, 0x123456);
        BufferedImage sub = image.getSubimage(2, 2, 5, 5);
        BufferedImage converted = RgbConverter.toRgb(sub);
        assertNotSame(sub, converted);
        assertEquals(5, converted.getWidth());
        assertEquals(0x123456, rgb(converted, 1, 2));
    }

    @Test
    void greyIsReplicatedWithoutGammaChange() {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);
        grey.getRaster().setSample(1, 0, 0, 200);
        BufferedImage out = RgbConverter.toRgb(grey);
        // Graphics2D would map linear grey to sRGB and change 100 into ~170; PIL keeps 100.
        assertEquals(0x646464, rgb(out, 0, 0));
        assertEquals(0xC8C8C8, rgb(out, 1, 0));
    }

    @Test
    void sixteenBitSamplesKeepTheirHighByte() {
        BufferedImage grey16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(0, 0, 0, 0xABCD);
        assertEquals(0xABABAB, rgb(RgbConverter.toRgb(grey16), 0, 0));

        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new int[] {0x1200, 0x34FF, 0xFF01});
        assertEquals(0x1234FF, rgb(RgbConverter.toRgb(new BufferedImage(cm, raster, false, null)), 0, 0));
    }

    @Test
    void alphaIsDroppedNotComposited() {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00123456); // fully transparent: PIL keeps the stored colour
        argb.setRGB(1, 0, 0x80FF8000);
        BufferedImage out = RgbConverter.toRgb(argb);
        assertEquals(0x123456, rgb(out, 0, 0));
        assertEquals(0xFF8000, rgb(out, 1, 0));

        BufferedImage abgr = new BufferedImage(1, 1, BufferedImage.TYPE_4BYTE_ABGR);
        abgr.setRGB(0, 0, 0x10ABCDEF);
        assertEquals(0xABCDEF, rgb(RgbConverter.toRgb(abgr), 0, 0));
    }

    @Test
    void premultipliedAlphaIsUndoneFirst() {
        BufferedImage pre = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB_PRE);
        pre.setRGB(0, 0, 0x80FF0000); // stored as 0x80800000
        int out = rgb(RgbConverter.toRgb(pre), 0, 0);
        assertTrue(Math.abs((out >> 16) - 0xFF) <= 2 && (out & 0xFFFF) == 0, Integer.toHexString(out));
    }

    @Test
    void paletteIsLookedUp() {
        IndexColorModel palette = new IndexColorModel(8, 3,
                new byte[] {0, (byte) 200, 10}, new byte[] {0, 100, 20}, new byte[] {0, 50, 30});
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setSample(0, 0, 0, 1);
        indexed.getRaster().setSample(1, 0, 0, 2);
        BufferedImage out = RgbConverter.toRgb(indexed);
        assertEquals(0xC86432, rgb(out, 0, 0));
        assertEquals(0x0A141E, rgb(out, 1, 0));
    }

    @Test
    void packedFormatsAreScaledToEightBits() {
        BufferedImage rgb565 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_565_RGB);
        rgb565.setRGB(0, 0, 0xFFFFFF);
        rgb565.setRGB(1, 0, 0x000000);
        BufferedImage out = RgbConverter.toRgb(rgb565);
        assertEquals(0xFFFFFF, rgb(out, 0, 0));
        assertEquals(0x000000, rgb(out, 1, 0));

        BufferedImage bgr = new BufferedImage(1, 1, BufferedImage.TYPE_INT_BGR);
        bgr.setRGB(0, 0, 0x123456);
        assertEquals(0x123456, rgb(RgbConverter.toRgb(bgr), 0, 0));
    }

    @Test
    void floatSamplesInUnitRangeAreScaled() {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new float[] {0f, 0.5f, 1.5f});
        assertEquals(0x0080FF, rgb(RgbConverter.toRgb(new BufferedImage(cm, raster, false, null)), 0, 0));
    }

    @Test
    void anyRenderedImageIsAccepted() {
        BufferedImage source = new BufferedImage(6, 4, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                source.setRGB(x, y, x * 40 << 16 | y * 60 << 8 | (x + y) * 20);
            }
        }
        BufferedImage out = RgbConverter.toRgb(new OnlyRendered(source));
        assertArrayEquals(RgbConverter.packedRgb(RgbConverter.toRgb(source)), RgbConverter.packedRgb(out));
        assertEquals(0x283C28, rgb(out, 1, 1));
    }

    /** A RenderedImage that is not a BufferedImage, like the JAI images GeoServer hands a process. */
    private record OnlyRendered(BufferedImage image) implements RenderedImage {
        @Override public Vector<RenderedImage> getSources() { return null; }
        @Override public Object getProperty(String name) { return image.getProperty(name); }
        @Override public String[] getPropertyNames() { return image.getPropertyNames(); }
        @Override public ColorModel getColorModel() { return image.getColorModel(); }
        @Override public SampleModel getSampleModel() { return image.getSampleModel(); }
        @Override public int getWidth() { return image.getWidth(); }
        @Override public int getHeight() { return image.getHeight(); }
        @Override public int getMinX() { return 0; }
        @Override public int getMinY() { return 0; }
        @Override public int getNumXTiles() { return 1; }
        @Override public int getNumYTiles() { return 1; }
        @Override public int getMinTileX() { return 0; }
        @Override public int getMinTileY() { return 0; }
        @Override public int getTileWidth() { return image.getWidth(); }
        @Override public int getTileHeight() { return image.getHeight(); }
        @Override public int getTileGridXOffset() { return 0; }
        @Override public int getTileGridYOffset() { return 0; }
        @Override public Raster getTile(int tileX, int tileY) { return image.getRaster(); }
        @Override public Raster getData() { return image.getData(); }
        @Override public Raster getData(Rectangle rect) { return image.getData(rect); }
        @Override public WritableRaster copyData(WritableRaster raster) { return image.copyData(raster); }
    }

    @Test
    void wrapSharesTheArray() {
        int[] pixels = {0x010203, 0x040506};
        BufferedImage image = RgbConverter.wrap(pixels, 2, 1);
        assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
        assertSame(pixels, RgbConverter.packedRgb(image));
        assertEquals(new Point(0, 0), new Point(image.getMinX(), image.getMinY()));
    }
}
