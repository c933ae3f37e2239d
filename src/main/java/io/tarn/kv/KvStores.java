package io.tarn.kv;

import io.tarn.kv.memory.MemoryKvStore;
import io.tarn.kv.rocksdb.RocksDbKvStore;
import java.nio.file.Path;

/** Opens the metadata store named by the {@code database.type} setting. */
public final class KvStores {

    /** The {@code database.type} of the embedded RocksDB store. */
    public static final String LOCAL = "local";
    /** The {@code database.type} of the in-memory store. */
    public static final String MEMORY = "mem";

    private KvStores() {}

    /**
     * Opens a store: {@code local} is RocksDB in directory {@code path} (created if missing), {@code mem}
     * a new in-memory store ({@code path} is ignored and may be {@code null}).
     *
     * @throws IllegalArgumentException for an unknown type, or {@code local} without a path
     * @throws KvException              if the store cannot be opened
     */
    public static KvStore open(String type, Path path) {
        return open(type, path, true);
    }

    /**
     * Opens a store as {@link #open(String, Path)} does; {@code syncWrites} is
     * {@code database.local.sync_writes}: whether the {@code local} store syncs each write to disk
     * before it returns (ignored by {@code mem}).
     */
    public static KvStore open(String type, Path path, boolean syncWrites) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("database.type is not set: use \"local\" or \"mem\"");
        }
        return switch (type.strip()) {
            case LOCAL -> {
                if (path == null) {
                    throw new IllegalArgumentException("database.type \"local\" needs a directory (database.local.path)");
                }
                yield RocksDbKvStore.open(path, syncWrites);
            }
            case MEMORY -> new MemoryKvStore();
            default -> throw new IllegalArgumentException(
                    "unknown database.type \"" + type + "\": supported types are \"local\" (RocksDB) and \"mem\" (in memory)");
        };
    }
}
