package org.geopigeon.app.serve.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes connections whose request line and headers take longer than a limit to arrive (a client that
 * trickles its headers byte by byte otherwise holds its connection for hours: the idle timeout only fires
 * when nothing arrives at all). Why our own: Jetty 12 has timeouts for idle connections and a minimum
 * body data rate ({@code MinimumDataRateHandler}) but nothing for headers; this sweep reads the state of
 * Jetty's request parser once a second.
 */
public final class HeaderReadTimeout extends AbstractLifeCycle implements Runnable {

    private final AbstractConnector connector;
    private final long limitNanos;
    private Scheduler.Task task;

    public HeaderReadTimeout(AbstractConnector connector, Duration limit) {
        this.connector = connector;
        this.limitNanos = limit.toNanos();
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        if (task != null) {
            task.cancel();
        }
    }

    private void schedule() {
        if (isRunning()) {
            task = connector.getScheduler().schedule(this, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void run() {
        try {
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                if (endPoint.getConnection() instanceof HttpConnection http) {
                    HttpParser parser = http.getParser();
                    long begin = parser.getBeginNanoTime();
                    // Mid-request-header: started (not idle between requests) and no body state yet.
                    if (parser.inHeaderState() && !parser.isStart() && begin != 0
                            && NanoTime.since(begin) > limitNanos) {
                        endPoint.close(new java.util.concurrent.TimeoutException("request headers took longer than "
                                + limitNanos / 1_000_000 + " ms"));
                    }
                }
            }
        } finally {
            schedule();
        }
    }
}
