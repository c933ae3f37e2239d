package io.tarn.engine;

import io.tarn.kv.KvBackend;
import io.tarn.kv.KvStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The base of the engine's suites that run on every KV backend: each subclass runs once per
 * {@link KvBackend} (memory, RocksDB, PostgreSQL), its tests opening stores with {@link #newKv()}.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(KvBackend.class)
abstract class EngineBackendTest {

    @Parameter
    KvBackend backend;

    @TempDir
    Path kvDirs;

    private final List<KvStore> opened = new ArrayList<>();

    /** A new, empty store of this run's backend, closed after the test. */
    KvStore newKv() {
        KvStore kv = backend.open(kvDirs.resolve("kv-" + opened.size()));
        opened.add(kv);
        return kv;
    }

    /** {@code n} operations, fewer on slow backends. */
    int scaled(int n) {
        return backend.scaled(n);
    }

    @AfterEach
    void closeStores() {
        for (KvStore kv : opened) {
            kv.close();
        }
        opened.clear();
    }
}
