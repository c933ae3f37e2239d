package io.tarn.gc;

import io.tarn.engine.Engine;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects every repository of a server, one after the other, every {@code gc.schedule}: the first run
 * one period after the start. A failed run is logged and the next repository goes on.
 */
public final class GcScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GcScheduler.class);

    private final ScheduledExecutorService timer;

    private GcScheduler(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static GcScheduler start(Engine engine, GarbageCollector collector, Duration every, GcOptions options) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tarn-gc");
            t.setDaemon(true);
            return t;
        });
        long millis = every.toMillis();
        timer.scheduleWithFixedDelay(() -> collectAll(engine, collector, options), millis, millis, TimeUnit.MILLISECONDS);
        LOG.info("garbage collection of every repository every {} (grace {})", every, options.grace());
        return new GcScheduler(timer);
    }

    static void collectAll(Engine engine, GarbageCollector collector, GcOptions options) {
        String after = null;
        do {
            Page<Repository> page;
            try {
                page = engine.listRepositories(after, 100);
            } catch (RuntimeException e) {
                LOG.warn("scheduled garbage collection could not list repositories", e);
                return;
            }
            for (Repository r : page.items()) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                try {
                    collector.run(r.id(), options);
                } catch (RuntimeException e) {
                    LOG.warn("scheduled garbage collection of repository {} failed", r.id(), e);
                }
            }
            after = page.hasMore() ? page.nextOffset() : null;
        } while (after != null);
    }

    /** The folder for a server's collector's spilled sets. */
    public static Path workDir(Path cacheDir) {
        return cacheDir.resolve("gc");
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
