package io.tarn.api.system;

import io.tarn.api.http.Exchange;
import io.tarn.api.http.PlainJsonSurface;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /_health}: the liveness probe (no auth). It also names the process that answered, in
 * {@code X-Tarn-Instance} (a random id per start), so a test on a fixed port can prove that what
 * answers is the server it started.
 */
public final class HealthSurface implements PlainJsonSurface {
    public static final String PATH = "/_health";
    public static final String INSTANCE_HEADER = "X-Tarn-Instance";
    private static final byte[] OK = "ok\n".getBytes(StandardCharsets.US_ASCII);

    private final String instanceId;

    public HealthSurface(String instanceId) {
        this.instanceId = instanceId;
    }

    @Override
    public String name() {
        return "health";
    }

    @Override
    public void serve(Exchange exchange) throws Exception {
        exchange.operation("health");
        exchange.responseHeader(INSTANCE_HEADER, instanceId);
        exchange.serveFixed("text/plain; charset=utf-8", OK);
    }
}
