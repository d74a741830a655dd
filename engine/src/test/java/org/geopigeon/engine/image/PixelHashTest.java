package org.geopigeon.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The hash is of decoded pixels: container and pixel layout do not matter, pixel values do. */
class PixelHashTest {

    private static BufferedImage picture(int type) {
        BufferedImage img = new BufferedImage(40, 30, type);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                img.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | (x + y));
            }
        }
        return img;
    }

    @Test
    void samePixelsGiveTheSameHashWhateverTheLayoutOrLosslessEncoding() throws IOException {
        String intRgb = PixelHash.sha256(picture(BufferedImage.TYPE_INT_RGB));
        assertEquals(intRgb, PixelHash.sha256(picture(BufferedImage.TYPE_3BYTE_BGR)));
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(picture(BufferedImage.TYPE_INT_RGB), "png", png);
        assertEquals(intRgb, PixelHash.sha256(ImageIO.read(new ByteArrayInputStream(png.toByteArray()))));
    }

    @Test
    void oneChangedPixelChangesTheHash() {
        BufferedImage a = picture(BufferedImage.TYPE_INT_RGB);
        BufferedImage b = picture(BufferedImage.TYPE_INT_RGB);
        b.setRGB(39, 29, b.getRGB(39, 29) ^ 1);
        assertNotEquals(PixelHash.sha256(a), PixelHash.sha256(b));
    }

    @Test
    void digestIsOfSizeThenRgbBytesRowByRow() throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x010203);
        img.setRGB(1, 0, 0xA0B0C0);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(new byte[] {0, 0, 0, 2, 0, 0, 0, 1, 1, 2, 3, (byte) 0xA0, (byte) 0xB0, (byte) 0xC0});
        assertEquals(HexFormat.of().formatHex(md.digest()), PixelHash.sha256(img));
        assertEquals(64, PixelHash.sha256(img).getBytes(StandardCharsets.US_ASCII).length);
    }
}
