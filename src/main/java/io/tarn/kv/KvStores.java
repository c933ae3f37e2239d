package io.tarn.kv;

import io.tarn.kv.memory.MemoryKvStore;
import io.tarn.kv.postgres.PostgresConfig;
import io.tarn.kv.postgres.PostgresKvStore;
import io.tarn.kv.rocksdb.RocksDbKvStore;
import java.nio.file.Path;

/** Opens the metadata store named by the {@code database.type} setting. */
public final class KvStores {

    /** The {@code database.type} of the embedded RocksDB store. */
    public static final String LOCAL = "local";
    /** The {@code database.type} of the in-memory store. */
    public static final String MEMORY = "mem";
    /** The {@code database.type} of the PostgreSQL store (shared by several servers). */
    public static final String POSTGRES = "postgres";

    private KvStores() {}

    /** {@link #open(String, Path, PostgresConfig)} for the types that need no PostgreSQL settings, durable. */
    public static KvStore open(String type, Path path) {
        return open(type, path, true, null);
    }

    /** {@link #open(String, Path, boolean, PostgresConfig)} for the types that need no PostgreSQL settings. */
    public static KvStore open(String type, Path path, boolean syncWrites) {
        return open(type, path, syncWrites, null);
    }

    /**
     * Opens a store: {@code local} is RocksDB in directory {@code path} (created if missing), {@code mem}
     * a new in-memory store, {@code postgres} the PostgreSQL database of {@code postgres} (its schema
     * created or migrated). Settings a type does not use are ignored and may be {@code null}.
     *
     * @throws IllegalArgumentException for an unknown type, {@code local} without a path, or
     *                                  {@code postgres} without settings
     * @throws KvException              if the store cannot be opened
     */
    public static KvStore open(String type, Path path, PostgresConfig postgres) {
        return open(type, path, true, postgres);
    }

    /**
     * Opens a store as {@link #open(String, Path, PostgresConfig)} does; {@code syncWrites} is
     * {@code database.local.sync_writes}: whether the {@code local} store syncs each write to disk
     * before it returns (ignored by {@code mem}; PostgreSQL commits are durable by its own settings).
     */
    public static KvStore open(String type, Path path, boolean syncWrites, PostgresConfig postgres) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("database.type is not set: use \"local\", \"mem\" or \"postgres\"");
        }
        return switch (type.strip()) {
            case LOCAL -> {
                if (path == null) {
                    throw new IllegalArgumentException("database.type \"local\" needs a directory (database.local.path)");
                }
                yield RocksDbKvStore.open(path, syncWrites);
            }
            case MEMORY -> new MemoryKvStore();
            case POSTGRES -> {
                if (postgres == null) {
                    throw new IllegalArgumentException("database.type \"postgres\" needs database.postgres.connection_string");
                }
                yield PostgresKvStore.open(postgres);
            }
            default -> throw new IllegalArgumentException("unknown database.type \"" + type
                    + "\": supported types are \"local\" (RocksDB), \"mem\" (in memory) and \"postgres\" (PostgreSQL)");
        };
    }
}
