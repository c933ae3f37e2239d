package io.tarn.api.http;

import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Jetty core (no servlets), one connector, the {@link FrontDoor} over the mounted
 * surfaces, handlers on virtual threads so they can block on storage, a {@link RequestObserver} told
 * about every answered request (access log, metrics), and a graceful stop that lets in-flight
 * requests finish.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    /**
     * Listening address and limits.
     *
     * @param requestHeaderTimeout longest time from a request's first byte to its last header
     * @param maxConnections       connections served at once; more wait in the accept backlog
     * @param uploadsPerClient     requests with a body in flight per client address; more get 503
     */
    public record Settings(String host, int port, Duration shutdownGrace, int maxRequestHeaderBytes, Duration idleTimeout,
                           Duration requestHeaderTimeout, int maxConnections, int uploadsPerClient) {
        public static Settings of(String host, int port) {
            return new Settings(host, port, Duration.ofSeconds(30), 16 * 1024, Duration.ofMinutes(2),
                    Duration.ofSeconds(30), 4096, 256);
        }

        public Settings withShutdownGrace(Duration grace) {
            return new Settings(host, port, grace, maxRequestHeaderBytes, idleTimeout, requestHeaderTimeout,
                    maxConnections, uploadsPerClient);
        }

        public Settings withLimits(Duration requestHeaderTimeout, int maxConnections, int uploadsPerClient) {
            return new Settings(host, port, shutdownGrace, maxRequestHeaderBytes, idleTimeout, requestHeaderTimeout,
                    maxConnections, uploadsPerClient);
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final HeaderDeadline headerDeadline;

    /** Capacity of each connection's header cache: none (Jetty's default: 1,024 entries). */
    static final int HEADER_CACHE_ENTRIES = 0;

    private HttpServer(Server server, ServerConnector connector, HeaderDeadline headerDeadline) {
        this.server = server;
        this.connector = connector;
        this.headerDeadline = headerDeadline;
    }

    /**
     * Starts listening, with the front door over {@code mounts} (tried in order).
     *
     * @throws java.net.BindException naming the address if it cannot be bound
     */
    public static HttpServer start(Settings settings, List<Mount> mounts, RequestObserver observer) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("tarn-http");
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("tarn-request-", 0).factory()));
        Server server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(settings.maxRequestHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Header values exactly as sent: a case-insensitive header cache could hand back a cached
        // "text/plain;charset=utf-8" for "text/plain;charset=UTF-8", and AWS signatures cover the bytes.
        http.setHeaderCacheCaseSensitive(true);
        // No per-connection header cache (Jetty's default: a table of 1,024 entries, 96 KiB, built on
        // each connection's first request). Case-sensitive, the table's look-up of a request's header
        // lines cost no less CPU than parsing them (statObject: 42-49 us per request without a cache,
        // 45-51 us with 1,024 entries, 52-57 us with 256, where the table churns; bench/README.md, "Reads
        // against the build before"), and on one core each long-lived connection's table is promoted
        // and stays in the old generation as garbage ("RSS peak, explained").
        http.setHeaderCacheSize(HEADER_CACHE_ENTRIES);
        // Path parameters are decoded by the routers, segment by segment, so "%2F" inside a name is
        // data rather than a separator; "..", "." and NUL are still refused (by the routers, 400).
        http.setUriCompliance(UriCompliance.DEFAULT.with("tarn",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        server.addConnector(connector);
        HeaderDeadline headerDeadline = new HeaderDeadline(settings.requestHeaderTimeout());
        connector.addEventListener(headerDeadline);
        server.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));

        server.setErrorHandler(new JsonErrorHandler());
        if (observer != RequestObserver.NONE) {
            server.setRequestLog(new ObservedRequests(observer));
        }
        server.setHandler(new GracefulHandler(new FrontDoor(mounts, new UploadSlots(settings.uploadsPerClient()))));
        server.setStopTimeout(settings.shutdownGrace().toMillis());
        server.setStopAtShutdown(false);
        try {
            server.start();
        } catch (IOException e) {
            server.stop();
            headerDeadline.close();
            throw listenFailure(settings, e);
        }
        HttpServer started = new HttpServer(server, connector, headerDeadline);
        LOG.info("listening on http://{}:{}", settings.host(), started.port());
        return started;
    }

    /**
     * "cannot listen on host:port: address already in use": a {@link BindException} with the
     * operating system's reason when the bind failed, else the IOException with the address added.
     */
    private static IOException listenFailure(Settings settings, IOException e) {
        String where = "cannot listen on " + settings.host() + ":" + settings.port() + ": ";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException && t.getMessage() != null && !t.getMessage().isEmpty()) {
                String reason = t.getMessage();
                BindException failure = new BindException(where
                        + Character.toLowerCase(reason.charAt(0)) + reason.substring(1));
                failure.initCause(e);
                return failure;
            }
        }
        return new IOException(where + e.getMessage(), e);
    }

    /** The port actually bound (useful when asked for port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Stops accepting, lets in-flight requests finish (up to the grace period), then stops. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly", e);
        } finally {
            headerDeadline.close();
        }
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Jetty's hook after each response: the {@link RequestRecord} from what the front door learned
     * (surface, operation, principal, body bytes read) and what Jetty knows (status, bytes written).
     * Requests Jetty refused before any handler ran (a bad request line) have no exchange.
     */
    private record ObservedRequests(RequestObserver observer) implements RequestLog {
        @Override
        public void log(Request request, Response response) {
            long now = System.nanoTime();
            Exchange exchange = (Exchange) request.getAttribute(FrontDoor.EXCHANGE_ATTRIBUTE);
            String user = null;
            String surface = "none";
            String operation = "unknown";
            long bytesIn = 0;
            if (exchange != null) {
                surface = exchange.surface();
                operation = exchange.operation();
                user = exchange.principal() == null ? null : exchange.principal().userId();
                bytesIn = exchange.requestBody().bytesRead();
            }
            String path = request.getHttpURI().getPath();
            observer.finished(new RequestRecord(Request.getTimeStamp(request), Request.getRemoteAddr(request), user,
                    surface, operation, request.getMethod(), path == null ? "/" : path, response.getStatus(), bytesIn,
                    Response.getContentBytesWritten(response), now - request.getBeginNanoTime()));
        }
    }
}
