package io.tarn.api.http;

import java.io.IOException;
import java.net.BindException;
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
    public record Settings(String host, int port, Duration shutdownGrace, int maxRequestHeaderBytes, Duration idleTimeout,
                           String instanceId) {
        public static Settings of(String host, int port) {
            return new Settings(host, port, Duration.ofSeconds(30), 16 * 1024, Duration.ofMinutes(2),
                    java.util.UUID.randomUUID().toString());
        }

        public Settings withShutdownGrace(Duration grace) {
            return new Settings(host, port, grace, maxRequestHeaderBytes, idleTimeout, instanceId);
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final AccessLogWriter accessLog;

    private final String instanceId;

    private HttpServer(Server server, ServerConnector connector, AccessLogWriter accessLog, String instanceId) {
        this.instanceId = instanceId;
        this.server = server;
        this.connector = connector;
        this.accessLog = accessLog;
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
        AccessLogWriter accessLog = ACCESS.isInfoEnabled() ? AccessLogWriter.toStandardError() : null;
        if (accessLog != null) {
            server.setRequestLog(new AccessLog(accessLog));
        }
        server.setHandler(new GracefulHandler(new ApiHandler(router, document, authenticator, settings.instanceId())));
        server.setStopTimeout(settings.shutdownGrace().toMillis());
        server.setStopAtShutdown(false);
        try {
            server.start();
        } catch (IOException e) {
            server.stop();
            if (accessLog != null) {
                accessLog.close();
            }
            throw listenFailure(settings, e);
        }
        HttpServer started = new HttpServer(server, connector, accessLog, settings.instanceId());
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

    /** This process's random id, answered in {@code X-Tarn-Instance} by {@code /_health}. */
    public String instanceId() {
        return instanceId;
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
            if (accessLog != null) {
                accessLog.close();
            }
        }
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * One line per request: method, path, status, duration in milliseconds, in the format of the
     * other log lines ({@code [thread] INFO io.tarn.access - method=GET path=/... status=200
     * duration_ms=3}). Built with one StringBuilder and written through a buffered sink: the
     * slf4j-simple path (message formatting with boxed arguments, a flushed println per request) cost
     * a tenth of the server's CPU on small reads. Whether it is on is still decided by the logger
     * {@code io.tarn.access} (at INFO), when the server starts.
     */
    private static final class AccessLog implements RequestLog {
        private final AccessLogWriter out;

        AccessLog(AccessLogWriter out) {
            this.out = out;
        }

        @Override
        public void log(Request request, Response response) {
            long millis = (System.nanoTime() - request.getBeginNanoTime()) / 1_000_000;
            StringBuilder line = new StringBuilder(128);
            line.append('[').append(Thread.currentThread().getName()).append("] INFO io.tarn.access - method=")
                    .append(request.getMethod()).append(" path=");
            ApiHandler.appendPrintable(line, request.getHttpURI().getPath());
            line.append(" status=").append(response.getStatus()).append(" duration_ms=").append(millis);
            out.line(line);
        }
    }
}
