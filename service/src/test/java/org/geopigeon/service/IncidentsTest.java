package org.geopigeon.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.geopigeon.service.store.ErrorCode;
import org.geopigeon.service.store.StoreException;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** Failures are logged with their detail under the id the client is shown. */
class IncidentsTest {

    /** Records what is logged. */
    private static final class Recording extends AbstractLogger {
        record Entry(Level level, String message, Throwable cause) {
        }

        final List<Entry> entries = new ArrayList<>();

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                                   Throwable t) {
            entries.add(new Entry(level, MessageFormatter.basicArrayFormat(pattern, args), t));
        }

        @Override public boolean isTraceEnabled() { return true; }
        @Override public boolean isTraceEnabled(Marker m) { return true; }
        @Override public boolean isDebugEnabled() { return true; }
        @Override public boolean isDebugEnabled(Marker m) { return true; }
        @Override public boolean isInfoEnabled() { return true; }
        @Override public boolean isInfoEnabled(Marker m) { return true; }
        @Override public boolean isWarnEnabled() { return true; }
        @Override public boolean isWarnEnabled(Marker m) { return true; }
        @Override public boolean isErrorEnabled() { return true; }
        @Override public boolean isErrorEnabled(Marker m) { return true; }
    }

    @Test
    void storeFailuresAreLoggedAtErrorWithTheirCauseUnderTheReturnedId() {
        Recording log = new Recording();
        StoreException cause = new StoreException("could not write the audit row (accepted): ERROR: relation"
                + " \"geopigeon.audit_log\" does not exist");

        String id = Incidents.log(log, ErrorCode.STORE_FAILED, "result withheld", cause);

        assertTrue(id.matches("[0-9a-f]{12}"), id);
        assertEquals(1, log.entries.size());
        Recording.Entry e = log.entries.get(0);
        assertEquals(Level.ERROR, e.level());
        assertTrue(e.message().startsWith("STORE_FAILED incident " + id + ": result withheld"), e.message());
        assertTrue(e.message().contains("does not exist"), "the detail is in the log: " + e.message());
        assertSame(cause, e.cause(), "with its stack trace");
        assertNotEquals(id, Incidents.newId());
    }
}
