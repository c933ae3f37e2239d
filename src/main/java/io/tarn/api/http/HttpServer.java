package io.tarn.api.http;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
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
 * The HTTP server: Jetty core (no servlets), one connector, operation handlers run on virtual
 * threads so they can block on storage, one access-log line per request, and a graceful stop that
 * lets in-flight requests finish.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger ACCESS = LoggerFactory.getLogger("io.tarn.access");
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    /** Listening address and limits. */
    public record Settings(String host, int port, Duration shutdownGrace, int maxRequestHeaderBytes, Duration idleTimeout) {
        public static Settings of(String host, int port) {
            return new Settings(host, port, Duration.ofSeconds(30), 16 * 1024, Duration.ofMinutes(2));
        }

        public Settings withShutdownGrace(Duration grace) {
            return new Settings(host, port, grace, maxRequestHeaderBytes, idleTimeout);
        }
    }

    private final Server server;
    private final ServerConnector connector;

    private HttpServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Builds the router from {@code document} (checking it against {@code operations}) and starts
     * listening.
     *
     * @param document the API document's bytes, served unchanged at {@code /swagger.json}
     * @throws IllegalStateException if the document and the operations differ
     */
    public static HttpServer start(Settings settings, byte[] document, Operations operations,
                                   Authenticator authenticator) throws Exception {
        Router router = Router.build(ApiDocument.parse(document), operations);

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("tarn-http");
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("tarn-request-", 0).factory()));
        Server server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(settings.maxRequestHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Path parameters are decoded by the router, segment by segment, so "%2F" inside a name is
        // data rather than a separator; "..", "." and NUL are still refused (by the router, 400).
        http.setUriCompliance(UriCompliance.DEFAULT.with("tarn",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        server.addConnector(connector);

        server.setErrorHandler(new JsonErrorHandler());
        server.setRequestLog(new AccessLog());
        server.setHandler(new GracefulHandler(new ApiHandler(router, document, authenticator)));
        server.setStopTimeout(settings.shutdownGrace().toMillis());
        server.setStopAtShutdown(false);
        try {
            server.start();
        } catch (IOException e) {
            server.stop();
            throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        HttpServer started = new HttpServer(server, connector);
        LOG.info("listening on http://{}:{}", settings.host(), started.port());
        return started;
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
        }
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /** One line per request: method, path, status, duration in milliseconds. */
    private static final class AccessLog implements RequestLog {
        @Override
        public void log(Request request, Response response) {
            if (!ACCESS.isInfoEnabled()) {
                return;
            }
            long millis = (System.nanoTime() - request.getBeginNanoTime()) / 1_000_000;
            ACCESS.info("method={} path={} status={} duration_ms={}", request.getMethod(),
                    ApiHandler.printable(request.getHttpURI().getPath()), response.getStatus(), millis);
        }
    }
}
