package io.tarn.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Limits against slow and greedy clients, over real sockets: header deadline, connections, uploads per client. */
class ConnectionGuardsTest {
    private static final String AUTH = "Authorization: Basic "
            + Base64.getEncoder().encodeToString("ak:sk".getBytes(StandardCharsets.UTF_8));
    private HttpServer server;

    private void start(Duration headerTimeout, int maxConnections, int uploadsPerClient) throws Exception {
        Operations ops = new Operations();
        for (String id : TestDocument.OPERATION_IDS) {
            if (!id.equals("uploadObject")) {
                ops.add(id, (rq, rs) -> rs.json(200, Map.of("operation", rq.operationId())));
            }
        }
        ops.add("uploadObject", (rq, rs) -> rs.json(201, Map.of("size", rq.body().transferTo(OutputStream.nullOutputStream()))));
        server = TestServers.start(HttpServer.Settings.of("127.0.0.1", 0).withLimits(headerTimeout, maxConnections,
                uploadsPerClient), TestDocument.bytes(), ops, TestServers.basic((a, s) -> true, "u"), RequestObserver.NONE);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Reads one response's head and a Content-Length body. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                break;
            }
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int at = text.toLowerCase().indexOf("content-length: ");
        if (at >= 0) {
            int length = Integer.parseInt(text.substring(at + 16, text.indexOf("\r\n", at)).trim());
            text += new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
        return text;
    }

    @Test
    void aRequestHeadTrickledLineByLineIsCutOffAtTheDeadline() throws Exception {
        start(Duration.ofSeconds(1), 100, 10);
        try (Socket socket = connect()) {
            write(socket, "GET /api/v0/repositories HTTP/1.1\r\nHost: localhost\r\n");
            long started = System.nanoTime();
            boolean closed = false;
            // one header line every 200 ms keeps Jetty's idle timeout (2 min) from ever firing
            for (int i = 0; i < 50 && !closed; i++) {
                Thread.sleep(200);
                try {
                    write(socket, "X-Slow-" + i + ": still coming\r\n");
                } catch (IOException e) {
                    closed = true;
                }
            }
            if (!closed) {
                socket.setSoTimeout(3000);
                try {
                    closed = socket.getInputStream().read() < 0;
                } catch (IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).as("the trickling connection was closed").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        }
        // a prompt request on another connection is served as usual
        try (Socket socket = connect()) {
            write(socket, "GET /api/v0/repositories HTTP/1.1\r\nHost: localhost\r\n" + AUTH + "\r\n\r\n");
            assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aClientWithAllItsUploadSlotsInUseGets503WithRetryAfter() throws Exception {
        start(Duration.ofSeconds(30), 100, 1);
        String upload = "POST /api/v0/repositories/r/branches/main/objects?path=a HTTP/1.1\r\nHost: localhost\r\n"
                + AUTH + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 10\r\n\r\n";
        try (Socket first = connect(); Socket second = connect()) {
            write(first, upload + "01234"); // half of its body: the handler waits for the rest
            Thread.sleep(300);
            write(second, upload);
            String refused = readResponse(second.getInputStream());
            assertThat(refused).startsWith("HTTP/1.1 503").contains("Retry-After: 1").contains("too many uploads");
            write(first, "56789");
            assertThat(readResponse(first.getInputStream())).startsWith("HTTP/1.1 201").contains("\"size\":10");
        }
        try (Socket third = connect()) {
            write(third, upload + "0123456789");
            assertThat(readResponse(third.getInputStream())).startsWith("HTTP/1.1 201");
        }
    }

    @Test
    void connectionsPastTheCapWaitUntilOneCloses() throws Exception {
        start(Duration.ofSeconds(30), 2, 10);
        String get = "GET /api/v0/repositories HTTP/1.1\r\nHost: localhost\r\n" + AUTH + "\r\n\r\n";
        Socket a = connect();
        Socket b = connect();
        write(a, get);
        write(b, get);
        assertThat(readResponse(a.getInputStream())).startsWith("HTTP/1.1 200");
        assertThat(readResponse(b.getInputStream())).startsWith("HTTP/1.1 200");
        try (Socket c = connect()) {
            write(c, get);
            c.setSoTimeout(1000);
            boolean answered;
            try {
                answered = c.getInputStream().read() >= 0;
            } catch (SocketTimeoutException e) {
                answered = false;
            }
            assertThat(answered).as("a third connection is not served while two are open").isFalse();
            a.close();
            c.setSoTimeout(10_000);
            assertThat(readResponse(c.getInputStream())).startsWith("HTTP/1.1 200");
        } finally {
            b.close();
        }
    }
}
