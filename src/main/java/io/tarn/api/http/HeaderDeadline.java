package io.tarn.api.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request line and headers take longer than a deadline to arrive. Jetty's
 * idle timeout is reset by every byte, so a client sending one header line every few seconds could
 * hold a connection (and a parser) for ever; this listener looks at each open HTTP/1.1 connection's
 * parser once per tick, and a connection seen inside a request's head (past its first byte, before
 * its last header) for longer than the deadline is closed. Idle keep-alive connections between
 * requests are the idle timeout's business, and request bodies the handlers'.
 *
 * <p>It reads the parser state of Jetty's own {@code HttpConnection} from the sweeping thread: a state
 * read a tick late only delays a close by that tick.
 */
final class HeaderDeadline implements Connection.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);

    private final long deadlineNanos;
    /** Open connections, with the time each was first seen inside a request head (0 = not in one). */
    private final Map<HttpConnection, Long> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    HeaderDeadline(Duration deadline) {
        this.deadlineNanos = deadline.toNanos();
        long tickMillis = Math.max(100, Math.min(1000, deadline.toMillis() / 4));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("tarn-header-deadline").factory());
        sweeper.scheduleWithFixedDelay(this::sweep, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.put(http, 0L);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.remove(http);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Map.Entry<HttpConnection, Long> entry : open.entrySet()) {
            HttpParser parser = entry.getKey().getParser();
            boolean inHead = !parser.isStart() && parser.inHeaderState();
            if (!inHead) {
                if (entry.getValue() != 0L) {
                    entry.setValue(0L);
                }
                continue;
            }
            long since = entry.getValue();
            if (since == 0L) {
                entry.setValue(now);
            } else if (now - since > deadlineNanos) {
                LOG.info("closing a connection from {}: its request head took longer than {} ms",
                        entry.getKey().getEndPoint().getRemoteSocketAddress(), deadlineNanos / 1_000_000);
                open.remove(entry.getKey());
                entry.getKey().getEndPoint().close();
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
