package io.tarn.gc;

import io.tarn.block.BlockKeys;
import io.tarn.util.LookAheadIterator;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * An exact set of keys that spills to disk: keys are buffered up to {@code chunk} at a time, each full
 * buffer is sorted (UTF-8 byte order, as block stores list) and written as a run file; reading merges
 * the runs into one sorted stream without duplicates. Memory is one buffer plus one key per run,
 * whatever the number of keys. Not thread-safe.
 */
final class SortedSpill implements AutoCloseable {
    private final Path dir;
    private final int chunk;
    private final List<String> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private final List<DataInputStream> open = new ArrayList<>();
    private long added;

    SortedSpill(Path dir, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be positive");
        }
        this.dir = dir;
        this.chunk = chunk;
    }

    void add(String key) {
        buffer.add(key);
        added++;
        if (buffer.size() >= chunk) {
            spill();
        }
    }

    /** Keys added, duplicates included. */
    long added() {
        return added;
    }

    /** Run files written so far. */
    int runs() {
        return runs.size();
    }

    private void spill() {
        buffer.sort(BlockKeys::compareUtf8);
        try {
            Files.createDirectories(dir);
            Path run = Files.createTempFile(dir, "run-", ".keys");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
                String previous = null;
                for (String k : buffer) {
                    if (!k.equals(previous)) {
                        out.writeUTF(k);
                        previous = k;
                    }
                }
            }
            runs.add(run);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill keys to " + dir, e);
        }
        buffer.clear();
    }

    /** The distinct keys in UTF-8 byte order. Call once, after the last {@link #add}. */
    Iterator<String> sorted() {
        if (runs.isEmpty()) {
            buffer.sort(BlockKeys::compareUtf8);
            return distinct(buffer.iterator());
        }
        if (!buffer.isEmpty()) {
            spill();
        }
        record Head(String key, DataInputStream in) {}
        PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> BlockKeys.compareUtf8(a.key(), b.key()));
        try {
            for (Path run : runs) {
                DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
                open.add(in);
                String first = readOrNull(in);
                if (first != null) {
                    heads.add(new Head(first, in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spilled keys", e);
        }
        return distinct(new LookAheadIterator<>() {
            @Override
            protected String computeNext() {
                Head h = heads.poll();
                if (h == null) {
                    return null;
                }
                String next = readOrNull(h.in());
                if (next != null) {
                    heads.add(new Head(next, h.in()));
                }
                return h.key();
            }
        });
    }

    private static String readOrNull(DataInputStream in) {
        try {
            return in.readUTF();
        } catch (EOFException end) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spilled keys", e);
        }
    }

    private static Iterator<String> distinct(Iterator<String> sorted) {
        return new LookAheadIterator<>() {
            private String previous;

            @Override
            protected String computeNext() {
                while (sorted.hasNext()) {
                    String k = sorted.next();
                    if (!k.equals(previous)) {
                        previous = k;
                        return k;
                    }
                }
                return null;
            }
        };
    }

    @Override
    public void close() {
        for (DataInputStream in : open) {
            try {
                in.close();
            } catch (IOException ignored) {
                // a temp file being removed
            }
        }
        for (Path run : runs) {
            try {
                Files.deleteIfExists(run);
            } catch (IOException ignored) {
                // left in the work folder, removed with it
            }
        }
        buffer.clear();
    }
}
