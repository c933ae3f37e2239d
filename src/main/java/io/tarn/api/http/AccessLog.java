package io.tarn.api.http;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * The access log: one line per answered request with its time, client address, user, surface,
 * operation, method, path, status, body bytes in and out, and duration; as text (the application
 * log's line start, then {@code key=value} pairs) or as one JSON object per line with the application
 * log's {@code time}, {@code level}, {@code logger} and {@code message} fields ({@code logging.format}). Lines go to a buffered {@link AccessLogWriter}: the log is on the read
 * path, so a line is built without format strings and written in batches.
 */
public final class AccessLog implements RequestObserver, AutoCloseable {

    /** {@code logging.format}. */
    public enum Format { TEXT, JSON }

    private final Format format;
    private final AccessLogWriter out;

    AccessLog(Format format, AccessLogWriter out) {
        this.format = format;
        this.out = out;
    }

    /** An access log writing to {@code out} (flushed in batches, every 200 ms and on close). */
    public static AccessLog to(java.io.OutputStream out, Format format) {
        return new AccessLog(format, new AccessLogWriter(out, 200));
    }

    @Override
    public void finished(RequestRecord r) {
        out.line(format == Format.JSON ? json(r) : text(r));
    }

    static StringBuilder text(RequestRecord r) {
        StringBuilder line = new StringBuilder(200);
        DateTimeFormatter.ISO_INSTANT.formatTo(Instant.ofEpochMilli(r.startEpochMillis()), line);
        line.append(" INFO  [access] io.tarn.access - client=").append(r.client())
                .append(" user=").append(r.user() == null ? "-" : r.user())
                .append(" surface=").append(r.surface())
                .append(" operation=").append(r.operation())
                .append(" method=").append(r.method())
                .append(" path=");
        FrontDoor.appendPrintable(line, r.path());
        line.append(" status=").append(r.status())
                .append(" bytes_in=").append(r.bytesIn())
                .append(" bytes_out=").append(r.bytesOut())
                .append(" duration_ms=");
        appendMillis(line, r.durationNanos());
        return line;
    }

    static StringBuilder json(RequestRecord r) {
        StringBuilder line = new StringBuilder(260);
        line.append("{\"time\":\"");
        DateTimeFormatter.ISO_INSTANT.formatTo(Instant.ofEpochMilli(r.startEpochMillis()), line);
        line.append("\",\"level\":\"INFO\",\"logger\":\"io.tarn.access\",\"message\":");
        string(line, r.method() + " " + r.path() + " " + r.status());
        line.append(",\"client\":");
        string(line, r.client());
        line.append(",\"user\":");
        string(line, r.user());
        line.append(",\"surface\":");
        string(line, r.surface());
        line.append(",\"operation\":");
        string(line, r.operation());
        line.append(",\"method\":");
        string(line, r.method());
        line.append(",\"path\":");
        string(line, r.path());
        line.append(",\"status\":").append(r.status())
                .append(",\"bytes_in\":").append(r.bytesIn())
                .append(",\"bytes_out\":").append(r.bytesOut())
                .append(",\"duration_ms\":");
        appendMillis(line, r.durationNanos());
        return line.append('}');
    }

    /** Milliseconds with three decimals, without floating-point formatting. */
    private static void appendMillis(StringBuilder line, long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        line.append(micros / 1000).append('.');
        long frac = micros % 1000;
        if (frac < 100) {
            line.append('0');
        }
        if (frac < 10) {
            line.append('0');
        }
        line.append(frac);
    }

    /** A JSON string (or null), escaped. */
    private static void string(StringBuilder line, String value) {
        if (value == null) {
            line.append("null");
            return;
        }
        line.append('"');
        int max = Math.min(value.length(), 2048);
        for (int i = 0; i < max; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                        line.append("\\u").append(String.format("%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        if (value.length() > max) {
            line.append("...");
        }
        line.append('"');
    }

    @Override
    public void close() {
        out.close();
    }
}
