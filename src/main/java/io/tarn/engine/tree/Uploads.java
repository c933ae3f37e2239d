package io.tarn.engine.tree;

import io.tarn.block.BlockBatch;
import io.tarn.block.BlockStore;
import io.tarn.block.InvalidNamespaceException;
import io.tarn.block.StorageNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Uploads of the engine's own files (ranges, trees), whose bytes can be read again: a failed attempt
 * is retried with a fresh stream. A block store can retry only a body it has not started to read
 * (a caller's stream cannot be rewound, e.g. S3's client after a reset connection), and these files
 * are content-addressed, so writing one twice is harmless.
 */
final class Uploads {

    static final int ATTEMPTS = 3;


    interface Source {
        InputStream open() throws IOException;
    }

    private Uploads() {}

    /** Whether {@code key} is stored and was written within {@link TreeStore#REUSE_WINDOW}. */
    static boolean storedRecently(BlockStore blocks, StorageNamespace ns, String key) {
        return blocks.stat(ns, key)
                .map(s -> s.lastModified().isAfter(java.time.Instant.now().minus(TreeStore.REUSE_WINDOW)))
                .orElse(false);
    }

    static void put(BlockBatch blocks, StorageNamespace ns, String key, Source source, long length) {
        attempts(key, () -> {
            try (InputStream in = source.open()) {
                blocks.put(ns, key, in, length);
            }
        });
    }

    /** Uploads a local file that does not change afterwards (the store may keep it: see {@link BlockBatch#putFile}). */
    static void putFile(BlockBatch blocks, StorageNamespace ns, String key, java.nio.file.Path file) {
        attempts(key, () -> blocks.putFile(ns, key, file));
    }

    private interface Attempt {
        void run() throws IOException;
    }

    private static void attempts(String key, Attempt upload) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                upload.run();
                return;
            } catch (InvalidNamespaceException e) {
                throw e;
            } catch (IOException e) {
                last = new UncheckedIOException("cannot upload " + key, e);
            } catch (RuntimeException e) {
                last = e;
            }
            if (attempt < ATTEMPTS) {
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last;
    }
}
