package io.tarn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front door of a real server, over a raw socket (so the test controls the Host header): which
 * surface answers which request, each in its own language.
 */
class DoorsTest {
    @TempDir
    static Path dir;
    private static TarnServer server;

    private static final String SIGV4 = "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261201/us-east-1/s3/aws4_request,"
            + " SignedHeaders=host;x-amz-date, Signature=0123456789abcdef";

    @BeforeAll
    static void start() throws Exception {
        server = MemoryServers.start(dir, "doors-test-key", "AKIAJDOORSTESTKEY001Q", "doorsTestSecret",
                Map.of("gateways.s3.domain_name", "s3.example.test, objects.example.test:8000"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A raw HTTP/1.1 exchange: status line, headers (lower-case names) and body. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static Answer send(String method, String target, String... headers) throws Exception {
        StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
        boolean host = false;
        for (String h : headers) {
            host |= h.toLowerCase(Locale.ROOT).startsWith("host:");
            request.append(h).append("\r\n");
        }
        if (!host) {
            request.append("Host: 127.0.0.1:").append(server.port()).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> hs = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                hs.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), hs, text.substring(end + 4));
        }
    }

    private static void assertS3Error(Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/xml");
        assertThat(answer.body()).startsWith("<?xml").contains("<Error><Code>" + code + "</Code><Message>")
                .contains("<RequestId>" + answer.header("x-amz-request-id") + "</RequestId>").contains("<Resource>");
    }

    private static void assertJson(Answer answer, int status, String messagePart) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.body()).startsWith("{\"message\":\"").contains(messagePart);
    }

    /** The gateway's own answers: these requests are not signed (or not validly), so they are refused in S3 XML. */
    @Test
    void theS3GatewayTakesItsHostsAndSubdomainsWhateverThePath() throws Exception {
        assertS3Error(send("GET", "/", "Host: s3.example.test"), 403, "AccessDenied");
        assertS3Error(send("GET", "/main/data.csv", "Host: my-repo.s3.example.test:8000"), 403, "AccessDenied");
        assertS3Error(send("GET", "/", "Host: OBJECTS.example.test"), 403, "AccessDenied");
        // on its host, even the API's paths are S3 keys (bucket "api")
        assertS3Error(send("GET", "/api/v0/repositories", "Host: s3.example.test"), 403, "AccessDenied");
        // a host that only ends like a domain is not a subdomain of it
        assertThat(send("GET", "/", "Host: evils3.example.test").header("Content-Type")).startsWith("text/html");
    }

    @Test
    void anAwsSignedRequestIsAnS3RequestOutsideTheReservedPaths() throws Exception {
        assertS3Error(send("GET", "/", "Authorization: " + SIGV4), 403, "AccessDenied");
        assertS3Error(send("PUT", "/repo/main/a.txt", "Authorization: AWS AKIAEXAMPLE:c2lnbmF0dXJl", "Content-Length: 0"),
                403, "AccessDenied");
        assertS3Error(send("GET", "/repo/main/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F1"),
                400, "AuthorizationQueryParametersError");
        assertS3Error(send("GET", "/repo/main/a.txt?AWSAccessKeyId=AKIA&Expires=1&Signature=abc"), 403, "AccessDenied");
        // a bucket that happens to be called like a reserved path is still a bucket below it
        assertS3Error(send("GET", "/metrics/main/x", "Authorization: " + SIGV4), 403, "AccessDenied");
        // reserved paths keep their own door
        assertJson(send("GET", "/api/v0/repositories", "Authorization: " + SIGV4), 401, "Basic");
        Answer health = send("GET", "/_health", "Authorization: " + SIGV4);
        assertThat(health.status()).isEqualTo(200);
        // a query that merely mentions a parameter name is not a presigned request
        assertThat(send("GET", "/?q=X-Amz-Credential").header("Content-Type")).startsWith("text/html");
        // HEAD gets the status without a body, as S3 answers
        Answer head = send("HEAD", "/repo", "Authorization: " + SIGV4);
        assertThat(head.status()).isEqualTo(403);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void theCurrentApiDoorServesItsDocumentAndAnswersJson() throws Exception {
        Answer document = send("GET", "/openapi.json");
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.header("Content-Type")).startsWith("application/json");
        assertThat(document.body()).contains("\"openapi\"").contains("/api/v1");
        assertJson(send("GET", "/api/v1/repositories"), 401, "Bearer");
        assertJson(send("GET", "/api/v1/no/such/operation"), 404, "no such API path");
        assertThat(send("GET", "/api/v1/healthcheck").status()).isEqualTo(204);
        assertJson(send("GET", "/api/v2/anything"), 404, "/api/v1");
        assertJson(send("GET", "/api"), 404, "/api/v0");
    }

    @Test
    void theClassicApiAndItsDocumentKeepTheirDoor() throws Exception {
        Answer document = send("GET", "/swagger.json");
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.body()).contains("\"basePath\"").contains("/api/v0");
        assertJson(send("GET", "/api/v0/repositories"), 401, "missing credentials");
        assertJson(send("GET", "/api/v0/no-such-thing", "Authorization: Basic QUtJQTpzZWNyZXQ="), 404, "no such API path");
    }

    @Test
    void healthNamesTheInstance() throws Exception {
        Answer health = send("GET", "/_health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.header("X-Tarn-Instance")).isEqualTo(server.instanceId()).matches("[0-9a-f-]{36}");
        assertJson(send("DELETE", "/_health"), 405, "not allowed");
    }

    @Test
    void theWebUiServesFilesAndFallsBackToTheIndex() throws Exception {
        Answer index = send("GET", "/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(index.body()).contains("<title>Tarn</title>");
        Answer icon = send("GET", "/favicon.svg");
        assertThat(icon.status()).isEqualTo(200);
        assertThat(icon.header("Content-Type")).isEqualTo("image/svg+xml");
        assertThat(icon.body()).startsWith("<svg");
        Answer route = send("GET", "/repositories/my-repo/objects?ref=main&path=a%2Fb");
        assertThat(route.status()).isEqualTo(200);
        assertThat(route.body()).isEqualTo(index.body());
        assertThat(send("GET", "/index.html").body()).isEqualTo(index.body());
        Answer cached = send("GET", "/", "If-None-Match: " + index.header("ETag"));
        assertThat(cached.status()).isEqualTo(304);
        assertThat(cached.body()).isEmpty();
        assertJson(send("GET", "/assets/app-0123.js"), 404, "no such file of the web UI");
        assertThat(index.header("Cache-Control")).isEqualTo("no-cache");
        java.util.regex.Matcher main = java.util.regex.Pattern.compile("src=\"(/assets/app/main\\.[0-9a-f]{10}\\.js)\"")
                .matcher(index.body());
        assertThat(main.find()).as("the index names the hashed main module").isTrue();
        Answer module = send("GET", main.group(1));
        assertThat(module.status()).isEqualTo(200);
        assertThat(module.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(module.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(index.body()).contains("<script type=\"importmap\">").contains("\"preact\":\"/assets/lib/preact.module.");
        assertJson(send("GET", "/assets/app/main.js"), 404, "no such file of the web UI");
        // the joined module is sent gzip-compressed to a browser that takes it, with its own ETag
        assertThat(module.header("Content-Encoding")).isNull();
        assertThat(module.header("Vary")).isEqualTo("Accept-Encoding");
        Answer gzipped = send("GET", main.group(1), "Accept-Encoding: gzip, deflate, br");
        assertThat(gzipped.status()).isEqualTo(200);
        assertThat(gzipped.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(Integer.parseInt(gzipped.header("Content-Length"))).isLessThan(Integer.parseInt(module.header("Content-Length")) / 2);
        assertThat(gzipped.header("ETag")).isNotEqualTo(module.header("ETag"));
        assertThat(send("GET", main.group(1), "Accept-Encoding: gzip", "If-None-Match: " + gzipped.header("ETag")).status()).isEqualTo(304);
        Answer logout = send("GET", "/logout");
        assertThat(logout.status()).isEqualTo(303);
        assertThat(logout.header("Location")).isEqualTo("/auth/login");
        assertThat(logout.header("Set-Cookie")).startsWith("internal_auth_session=;").contains("Max-Age=0");
        assertJson(send("POST", "/", "Content-Length: 0"), 405, "not allowed");
        assertThat(send("GET", "/../../etc/passwd").body()).doesNotContain("root:");
        assertThat(send("GET", "/%2e%2e/pom.xml").body()).doesNotContain("<project");
    }

    @Test
    void errorsJettyRaisesItselfHaveAJsonBodyForEveryMethod() throws Exception {
        String big = "X-Big: " + "a".repeat(20 * 1024);
        for (String method : new String[] {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
            Answer tooLarge = send(method, "/api/v0/repositories", big);
            assertJson(tooLarge, 431, "");
            Answer badPath = send(method, "/api/v0/repos\u0001itories");
            assertJson(badPath, 400, "");
        }
        // Jetty hands its error handler no header fields: an S3 request it refuses is told apart by nothing
        assertJson(send("DELETE", "/repo/main/a.csv", "Host: s3.example.test", "X-Bad: a\u0001b"), 400, "");
    }

    @Test
    void anUnauthenticatedUploadIsAnsweredWithoutItsBody() throws Exception {
        // Expect: 100-continue: the 401 comes at once and the body is never asked for
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            String head = "POST /api/v0/repositories/r/branches/main/objects?path=a HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 104857600\r\nExpect: 100-continue\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            String answer = readHead(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 401").doesNotContain("100 Continue");
        }
        // no Expect: the 401 comes after at most about 1 MiB, while the client is still sending
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST /api/v0/repositories/r/branches/main/objects?path=a HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 104857600\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            long sent = 0;
            try {
                for (int i = 0; i < 48; i++) { // 3 MiB of the 100 MiB announced
                    out.write(chunk);
                    sent += chunk.length;
                }
            } catch (java.io.IOException closed) {
                // the server may close before all 3 MiB are sent: that is the point
            }
            String answer = readHead(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close");
            assertThat(sent).isLessThan(104857600L);
        }
    }

    /** Reads a response's status line and headers. */
    private static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String text = head.toString(StandardCharsets.US_ASCII);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
