package io.tarn.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AccessLogTest {
    private static final RequestRecord RECORD = new RequestRecord(1_764_582_000_123L, "127.0.0.1", "jane.doe",
            "classic", "getObject", "GET", "/api/v0/repositories/r/refs/main/objects?x", 200, 0, 4096, 1_234_567);

    @Test
    void textLinesCarryEveryField() {
        String line = AccessLog.text(RECORD).toString();
        assertThat(line).isEqualTo("2025-12-01T09:40:00.123Z INFO  [access] io.tarn.access - client=127.0.0.1"
                + " user=jane.doe surface=classic operation=getObject method=GET"
                + " path=/api/v0/repositories/r/refs/main/objects?x status=200 bytes_in=0 bytes_out=4096"
                + " duration_ms=1.234");
    }

    @Test
    void anAnonymousRequestAndControlCharactersStayOnOneLine() {
        RequestRecord r = new RequestRecord(0, "::1", null, "none", "unknown", "GET", "/a\nb", 400, 0, 0, 999);
        String line = AccessLog.text(r).toString();
        assertThat(line).contains("user=- ").contains("path=/a\\x0ab ").contains("duration_ms=0.000").doesNotContain("\n");
    }

    @Test
    void jsonLinesParseWithTheApplicationLogsFieldNames() throws Exception {
        RequestRecord tricky = new RequestRecord(RECORD.startEpochMillis(), "127.0.0.1", "a\"b\\c", "s3", "GetObject",
                "GET", "/repo/main/\u00e9t\u00e9\t\"q\"", 206, 12, 34, 56_000_000);
        String line = AccessLog.json(tricky).toString();
        assertThat(line).doesNotContain("\n");
        JsonNode node = Json.mapper().readTree(line);
        assertThat(node.path("time").asText()).isEqualTo("2025-12-01T09:40:00.123Z");
        assertThat(node.path("level").asText()).isEqualTo("INFO");
        assertThat(node.path("logger").asText()).isEqualTo("io.tarn.access");
        assertThat(node.path("message").asText()).isEqualTo("GET /repo/main/\u00e9t\u00e9\t\"q\" 206");
        assertThat(node.path("user").asText()).isEqualTo("a\"b\\c");
        assertThat(node.path("path").asText()).isEqualTo("/repo/main/\u00e9t\u00e9\t\"q\"");
        assertThat(node.path("status").asInt()).isEqualTo(206);
        assertThat(node.path("bytes_in").asLong()).isEqualTo(12);
        assertThat(node.path("bytes_out").asLong()).isEqualTo(34);
        assertThat(node.path("duration_ms").asDouble()).isEqualTo(56.0);
        assertThat(Json.mapper().readTree(AccessLog.json(new RequestRecord(0, "x", null, "ui", "page", "GET", "/", 200,
                0, 0, 0)).toString()).path("user").isNull()).isTrue();
    }

    @Test
    void linesReachTheOutputOnClose() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLog log = AccessLog.to(out, AccessLog.Format.JSON);
        log.finished(RECORD);
        log.finished(RECORD);
        log.close();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"time\":"));
    }
}
