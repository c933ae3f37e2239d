package io.tarn.api.system;

import io.tarn.api.http.Exchange;
import io.tarn.api.http.PlainJsonSurface;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** {@code GET /metrics}: the server's metrics in the Prometheus text format, without auth (as lakeFS serves them). */
public final class MetricsSurface implements PlainJsonSurface {
    public static final String PATH = "/metrics";

    /** Where the metrics come from. */
    public interface Source {
        String contentType();

        void scrape(OutputStream out) throws IOException;
    }

    private final Source source;

    public MetricsSurface(Source source) {
        this.source = source;
    }

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public void serve(Exchange exchange) throws Exception {
        exchange.operation("metrics");
        if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
            exchange.serveFixed(source.contentType(), new byte[0]); // answers the 405
            return;
        }
        // A scrape is a few tens of KiB, bounded by the number of series: built whole, then sent.
        ByteArrayOutputStream text = new ByteArrayOutputStream(64 * 1024);
        source.scrape(text);
        exchange.serveFixed(source.contentType(), text.toByteArray());
    }
}
