package org.geopigeon.service.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.geopigeon.engine.image.PixelHash;
import java.util.HexFormat;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellSet;
import org.locationtech.jts.io.WKBWriter;

/** Content hash of a geocell set: same cells in the same order = same hash, whatever the file looked like. */
final class GeocellHash {

    private GeocellHash() {
    }

    static String of(GeocellSet set) {
        MessageDigest md = PixelHash.sha256();
        WKBWriter wkb = new WKBWriter(2, false);
        for (Geocell c : set.cells()) {
            md.update(ByteBuffer.allocate(4).putInt(c.index()).array());
            for (String s : new String[] {c.id(), c.name(), c.admin1(), c.country()}) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                md.update(ByteBuffer.allocate(4).putInt(b.length).array());
                md.update(b);
            }
            md.update(ByteBuffer.allocate(20).putInt(c.pointCount()).putDouble(c.centroid().lat())
                    .putDouble(c.centroid().lon()).array());
            md.update(wkb.write(c.geometry()));
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
