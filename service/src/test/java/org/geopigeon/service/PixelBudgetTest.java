package org.geopigeon.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PixelBudgetTest {

    @Test
    void reservationsWaitForRoomAndTimeOut() throws Exception {
        PixelBudget budget = new PixelBudget(10_000_000);
        PixelBudget.Reservation a = budget.reserve(6_000_000, 0);
        assertNotNull(a);
        assertNull(budget.reserve(6_000_000, TimeUnit.MILLISECONDS.toNanos(50)), "no room: timed out");
        CompletableFuture<PixelBudget.Reservation> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.reserve(6_000_000, TimeUnit.SECONDS.toNanos(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(waiting.isDone());
        a.close();
        a.close(); // closing twice gives back once
        PixelBudget.Reservation b = waiting.get(10, TimeUnit.SECONDS);
        assertNotNull(b);
        assertEquals(6_000_000, budget.inFlightPixels());
        b.close();
        assertEquals(0, budget.inFlightPixels());
    }

    @Test
    void aRequestLargerThanTheWholeBudgetNeverFits() {
        PixelBudget budget = new PixelBudget(320_000_000);
        assertTrue(budget.fits(4L * 80_000_000));
        assertFalse(budget.fits(4L * 80_000_000 + 1000));
    }
}
