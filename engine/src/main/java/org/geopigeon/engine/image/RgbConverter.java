package org.geopigeon.engine.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.util.Hashtable;

/**
 * Turns any {@link RenderedImage} (ImageIO output, a GeoServer coverage rendering) into TYPE_INT_RGB.
 *
 * <p>The rules follow PIL's {@code convert("RGB")}, which Hugging Face's CLIPImageProcessor applies, so the
 * model sees the same pixels as in training:
 * <ul>
 *   <li>RGB samples are copied as stored; an embedded ICC profile is ignored (PIL ignores it too).</li>
 *   <li>Alpha is dropped, not composited (PIL keeps the colour under transparent pixels).</li>
 *   <li>Grey is replicated to R=G=B; palettes are looked up.</li>
 *   <li>16-bit samples keep their high byte. PIL does this for 16-bit RGB; for 16-bit grey PIL clips to 255
 *       (an all-white image), which we deliberately do not copy.</li>
 *   <li>Other colour spaces (CMYK, YCbCr, Lab) go through Java's colour management to sRGB.</li>
 * </ul>
 * Raw 8-bit samples are read straight from the data buffer: drawing with Graphics2D would apply
 * colour-space conversions (e.g. linear grey to sRGB) that change values.
 */
public final class RgbConverter {

    // Private; only passed to Raster.createPackedRaster, which copies the masks into its sample model.
    private static final int[] RGB_MASKS = {0xFF0000, 0xFF00, 0xFF};
    private static final DirectColorModel RGB_MODEL = new DirectColorModel(24, 0xFF0000, 0xFF00, 0xFF);

    private RgbConverter() {
    }

    /** A TYPE_INT_RGB copy of {@code image}, or {@code image} itself when it already is a plain TYPE_INT_RGB. */
    public static BufferedImage toRgb(RenderedImage image) {
        if (image instanceof BufferedImage buffered && isPlainIntRgb(buffered)) {
            return buffered;
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int[] pixels = convert(image);
        return wrap(pixels, width, height);
    }

    /**
     * Packed 0xRRGGBB pixels of {@code image}, row-major. For a plain TYPE_INT_RGB image this is the image's own
     * buffer (callers must not modify it); otherwise a fresh array.
     */
    public static int[] packedRgb(RenderedImage image) {
        if (image instanceof BufferedImage buffered && isPlainIntRgb(buffered)) {
            return ((DataBufferInt) buffered.getRaster().getDataBuffer()).getData();
        }
        return convert(image);
    }

    /** Wraps packed 0xRRGGBB pixels as a TYPE_INT_RGB image; the image uses {@code pixels} as its buffer. */
    public static BufferedImage wrap(int[] pixels, int width, int height) {
        if (width <= 0 || height <= 0 || pixels.length != width * height) {
            throw new IllegalArgumentException("pixel array has " + pixels.length + " values, expected "
                    + width + "x" + height);
        }
        WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(pixels, pixels.length), width, height,
                width, RGB_MASKS, null);
        return new BufferedImage(RGB_MODEL, raster, false, null);
    }

    static boolean isPlainIntRgb(BufferedImage image) {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            return false;
        }
        WritableRaster raster = image.getRaster();
        // Sub-images share a larger buffer; those need a copy.
        return raster.getParent() == null && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0
                && raster.getDataBuffer().getSize() == image.getWidth() * image.getHeight()
                && raster.getDataBuffer().getNumBanks() == 1
                && ((DataBufferInt) raster.getDataBuffer()).getOffset() == 0;
    }

    private static int[] convert(RenderedImage image) {
        ColorModel cm = image.getColorModel();
        Raster raster = image instanceof BufferedImage b ? b.getRaster() : image.getData();
        if (cm != null && cm.isAlphaPremultiplied()) {
            // PIL drops alpha from straight (not premultiplied) colour: undo the premultiplication first.
            WritableRaster copy = raster.createCompatibleWritableRaster();
            copy.setRect(raster);
            cm = cm.coerceData(copy, false);
            raster = copy;
        }
        int bands = raster.getNumBands();
        if (cm instanceof IndexColorModel icm) {
            return fromPalette(raster, icm);
        }
        int colourSpace = cm == null ? (bands >= 3 ? ColorSpace.TYPE_RGB : ColorSpace.TYPE_GRAY)
                : cm.getColorSpace().getType();
        int colourBands = cm == null ? (bands >= 3 ? 3 : 1) : cm.getNumColorComponents();
        if (colourSpace == ColorSpace.TYPE_RGB && colourBands == 3 && bands >= 3) {
            return fromComponents(raster, new int[] {0, 1, 2});
        }
        if (colourSpace == ColorSpace.TYPE_GRAY && colourBands == 1 && bands >= 1) {
            return fromComponents(raster, new int[] {0, 0, 0});
        }
        return viaColourManagement(raster, cm);
    }

    private static int[] fromPalette(Raster raster, IndexColorModel icm) {
        int[] lut = new int[icm.getMapSize()];
        icm.getRGBs(lut);
        int width = raster.getWidth();
        int height = raster.getHeight();
        int[] out = new int[width * height];
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, row);
            int base = y * width;
            for (int x = 0; x < width; x++) {
                int index = row[x];
                out[base + x] = index >= 0 && index < lut.length ? lut[index] & 0xFFFFFF : 0;
            }
        }
        return out;
    }

    /** Copies the given bands as R, G, B (same band three times for grey), scaled to 8 bits. */
    private static int[] fromComponents(Raster raster, int[] rgbBands) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int[] out = new int[width * height];
        if (raster.getDataBuffer() instanceof DataBufferByte byteBuffer
                && raster.getSampleModel() instanceof ComponentSampleModel csm
                && allSampleSizes(csm, rgbBands, 8)) {
            fromByteComponents(raster, byteBuffer, csm, rgbBands, out);
            return out;
        }
        SampleModel sm = raster.getSampleModel();
        int dataType = sm.getDataType();
        boolean floating = dataType == DataBuffer.TYPE_FLOAT || dataType == DataBuffer.TYPE_DOUBLE;
        int[] shifts = new int[3];
        for (int c = 0; c < 3; c++) {
            int bits = sm.getSampleSize(rgbBands[c]);
            shifts[c] = bits;
        }
        int[] row = new int[width];
        float[] frow = floating ? new float[width] : null;
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            int bits = shifts[c];
            for (int y = 0; y < height; y++) {
                int base = y * width;
                if (floating) {
                    raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, rgbBands[c], frow);
                    for (int x = 0; x < width; x++) {
                        out[base + x] |= unitTo8(frow[x]) << shift;
                    }
                } else {
                    raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, rgbBands[c], row);
                    for (int x = 0; x < width; x++) {
                        out[base + x] |= to8(row[x], bits) << shift;
                    }
                }
            }
        }
        return out;
    }

    /** Fast path for 8-bit interleaved or banded byte rasters (what ImageIO returns for JPEG and most PNG). */
    private static void fromByteComponents(Raster raster, DataBufferByte buffer, ComponentSampleModel csm,
                                           int[] rgbBands, int[] out) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int x0 = raster.getMinX() - raster.getSampleModelTranslateX();
        int y0 = raster.getMinY() - raster.getSampleModelTranslateY();
        int pixelStride = csm.getPixelStride();
        int scanline = csm.getScanlineStride();
        int[] bankIndices = csm.getBankIndices();
        int[] bandOffsets = csm.getBandOffsets();
        byte[][] banks = new byte[3][];
        int[] starts = new int[3];
        for (int c = 0; c < 3; c++) {
            int band = rgbBands[c];
            int bank = bankIndices[band];
            banks[c] = buffer.getData(bank);
            starts[c] = buffer.getOffsets()[bank] + bandOffsets[band] + y0 * scanline + x0 * pixelStride;
        }
        byte[] r = banks[0];
        byte[] g = banks[1];
        byte[] b = banks[2];
        for (int y = 0; y < height; y++) {
            int ir = starts[0] + y * scanline;
            int ig = starts[1] + y * scanline;
            int ib = starts[2] + y * scanline;
            int base = y * width;
            for (int x = 0; x < width; x++) {
                out[base + x] = (r[ir] & 0xFF) << 16 | (g[ig] & 0xFF) << 8 | (b[ib] & 0xFF);
                ir += pixelStride;
                ig += pixelStride;
                ib += pixelStride;
            }
        }
    }

    private static boolean allSampleSizes(SampleModel sm, int[] bands, int bits) {
        for (int band : bands) {
            if (sm.getSampleSize(band) != bits) {
                return false;
            }
        }
        return true;
    }

    private static int to8(int value, int bits) {
        if (value <= 0) {
            return 0;
        }
        if (bits == 8) {
            return Math.min(value, 255);
        }
        if (bits > 8) {
            return Math.min(value >>> (bits - 8), 255);
        }
        int max = (1 << bits) - 1;
        return Math.min((value * 255 + max / 2) / max, 255);
    }

    private static int unitTo8(float value) {
        if (!(value > 0)) {
            return 0; // also NaN
        }
        return value >= 1 ? 255 : Math.round(value * 255f);
    }

    private static int[] viaColourManagement(Raster raster, ColorModel cm) {
        if (cm == null) {
            throw new IllegalArgumentException("image with " + raster.getNumBands()
                    + " bands and no colour model cannot be converted to RGB");
        }
        WritableRaster writable = raster.createCompatibleWritableRaster(raster.getWidth(), raster.getHeight());
        writable.setRect(-raster.getMinX(), -raster.getMinY(), raster);
        BufferedImage source = new BufferedImage(cm, writable, cm.isAlphaPremultiplied(), new Hashtable<>());
        BufferedImage target = new BufferedImage(raster.getWidth(), raster.getHeight(), BufferedImage.TYPE_INT_RGB);
        new ColorConvertOp(null).filter(source, target);
        return ((DataBufferInt) target.getRaster().getDataBuffer()).getData();
    }
}
