package io.tarn.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AccessLogWriterTest {
    @Test
    void linesAreBufferedAndWrittenWholeOnFlushAndClose() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // an interval far longer than the test: only explicit flushes and close write
        AccessLogWriter writer = new AccessLogWriter(out, 3_600_000);
        writer.line("first line");
        writer.line(new StringBuilder("second ").append("line é"));
        assertThat(out.size()).isZero();
        writer.flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("first line\nsecond line é\n");
        writer.line("third");
        writer.close();
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("line é\nthird\n");
        writer.line("after close");
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("third\nafter close\n");
    }

    @Test
    void aFullBufferIsWrittenAtLineBoundaries() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLogWriter writer = new AccessLogWriter(out, 3_600_000);
        String line = "x".repeat(999);
        for (int i = 0; i < 100; i++) {
            writer.line(line);
        }
        assertThat(out.size()).isPositive().isLessThan(100 * 1000);
        assertThat(out.size() % 1000).isZero();
        writer.close();
        assertThat(out.size()).isEqualTo(100 * 1000);
    }

    @Test
    void aLongLineIsKeptWhole() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLogWriter writer = new AccessLogWriter(out, 3_600_000);
        String line = "y".repeat(200_000);
        writer.line(line);
        writer.close();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(line + "\n");
    }
}
