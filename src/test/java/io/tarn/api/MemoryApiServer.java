package io.tarn.api;

import io.tarn.api.http.HttpServer;
import io.tarn.api.http.Mount;
import io.tarn.api.http.RequestObserver;
import io.tarn.auth.AuthService;
import io.tarn.auth.SecretBox;
import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.EngineConfig;
import io.tarn.engine.TarnEngine;
import io.tarn.kv.memory.MemoryKvStore;
import java.nio.file.Path;
import java.util.List;

/**
 * One JSON API surface over real HTTP on a free local port, on the real engine and auth service with
 * in-memory stores, and user {@code tester} installed with {@link #KEY} and {@link #SECRET}.
 */
public final class MemoryApiServer implements AutoCloseable {
    public static final String KEY = "AKIAJTESTTESTTESTTEQ";
    public static final String SECRET = "s".repeat(40);

    private final TarnEngine engine;
    private final HttpServer server;

    /** {@code mount} builds the surface's mount from the engine and the auth service. */
    public MemoryApiServer(Path temp, MountFactory mount) throws Exception {
        engine = new TarnEngine(new MemoryKvStore(), new MemoryBlockStore(), EngineConfig.defaults(temp.resolve("cache")));
        AuthService auth = new AuthService(new MemoryKvStore(), new SecretBox("test-key"));
        auth.install("tester", KEY, SECRET);
        server = HttpServer.start(HttpServer.Settings.of("127.0.0.1", 0), List.of(mount.mount(new Context(engine, auth))),
                RequestObserver.NONE);
    }

    /** What a surface is built from. */
    public record Context(TarnEngine engine, AuthService auth) {}

    /** Builds the one mount the server serves. */
    @FunctionalInterface
    public interface MountFactory {
        Mount mount(Context context) throws Exception;
    }

    public TarnEngine engine() {
        return engine;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String root() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}
