package io.tarn.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tarn.block.BlockStat;
import io.tarn.block.BlockStore;
import io.tarn.block.ByteRange;
import io.tarn.block.PartResult;
import io.tarn.block.PutResult;
import io.tarn.block.StorageNamespace;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@link BlockStore} that records the latency of every storage call, successful or not, in
 * {@code tarn_block_operation_duration_seconds{operation=...}}. {@code get} is timed until the stream
 * is open; {@code put} and {@code uploadPart} until the data is stored (they read the caller's stream,
 * so a slow client makes them slow). Bytes read through {@code get} streams and bytes stored by
 * {@code put}/{@code uploadPart} are counted. {@code type} and {@code namespace} do no I/O and are not
 * timed.
 */
final class TimedBlockStore implements BlockStore {

    static final String DURATION = "tarn.block.operation.duration";
    static final String BYTES_READ = "tarn.block.read.bytes";
    static final String BYTES_WRITTEN = "tarn.block.written.bytes";

    /** Unflushed bytes a stream keeps before adding them to the counter. */
    private static final long FLUSH_BYTES = 1 << 20;

    private final BlockStore delegate;
    private final OperationTimers timers;
    private final Counter bytesRead;
    private final Counter bytesWritten;

    TimedBlockStore(BlockStore delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.timers = new OperationTimers(registry, DURATION,
                "Block store calls by operation (get: until the stream is open)",
                TarnMetrics.REQUEST_BUCKETS,
                "put", "get", "stat", "list", "delete", "copy", "createMultipartUpload", "uploadPart",
                "completeMultipartUpload", "abortMultipartUpload", "listParts", "presignGet", "presignPut",
                "presignUploadPart", "sync");
        this.bytesRead = Counter.builder(BYTES_READ).baseUnit("bytes")
                .description("Bytes read from the block store through get streams")
                .register(registry);
        this.bytesWritten = Counter.builder(BYTES_WRITTEN).baseUnit("bytes")
                .description("Bytes stored in the block store by put and uploadPart")
                .register(registry);
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public StorageNamespace namespace(String uri) {
        return delegate.namespace(uri);
    }

    @Override
    public StorageNamespace realNamespace(StorageNamespace ns) {
        return delegate.realNamespace(ns);
    }

    @Override
    public PutResult put(StorageNamespace ns, String key, InputStream data, long contentLength) {
        return timedPut(() -> delegate.put(ns, key, data, contentLength));
    }

    /** A put of any kind (a stream, a file, alone or in a batch). */
    @FunctionalInterface
    private interface Put<E extends Exception> {
        PutResult run() throws E;
    }

    /** Runs {@code put}, timed as "put" and its bytes counted. */
    private <E extends Exception> PutResult timedPut(Put<E> put) throws E {
        long start = System.nanoTime();
        try {
            PutResult result = put.run();
            bytesWritten.increment(result.size());
            return result;
        } finally {
            timers.record("put", start);
        }
    }

    /** The store's own batch (its puts timed as puts), so the batch keeps the store's way of syncing. */
    @Override
    public io.tarn.block.BlockBatch batch() {
        io.tarn.block.BlockBatch inner = delegate.batch();
        return new io.tarn.block.BlockBatch() {
            @Override
            public PutResult put(StorageNamespace ns, String key, InputStream data, long contentLength) {
                return timedPut(() -> inner.put(ns, key, data, contentLength));
            }

            @Override
            public PutResult putFile(StorageNamespace ns, String key, java.nio.file.Path file)
                    throws java.io.IOException {
                return timedPut(() -> inner.putFile(ns, key, file));
            }

            @Override
            public void rely(StorageNamespace ns, String key) {
                inner.rely(ns, key);
            }

            @Override
            public void sync() {
                long start = System.nanoTime();
                try {
                    inner.sync();
                } finally {
                    timers.record("sync", start);
                }
            }
        };
    }

    @Override
    public InputStream get(StorageNamespace ns, String key, ByteRange range) {
        long start = System.nanoTime();
        InputStream in;
        try {
            in = delegate.get(ns, key, range);
        } finally {
            timers.record("get", start);
        }
        return in instanceof io.tarn.util.BufferReadable ? new CountingBufferStream(in, bytesRead)
                : new CountingInputStream(in, bytesRead);
    }

    @Override
    public Optional<BlockStat> stat(StorageNamespace ns, String key) {
        return timers.of("stat").record(() -> delegate.stat(ns, key));
    }

    /** Times the opening of a listing (the first page); later pages are part of the caller's work. */
    @Override
    public io.tarn.block.BlockList list(StorageNamespace ns, String prefix) {
        return timers.of("list").record(() -> delegate.list(ns, prefix));
    }

    @Override
    public void delete(StorageNamespace ns, String key) {
        timers.of("delete").record(() -> delegate.delete(ns, key));
    }

    @Override
    public PutResult copy(StorageNamespace srcNs, String srcKey, StorageNamespace dstNs, String dstKey) {
        return timers.of("copy").record(() -> delegate.copy(srcNs, srcKey, dstNs, dstKey));
    }

    @Override
    public String createMultipartUpload(StorageNamespace ns, String key) {
        return timers.of("createMultipartUpload").record(() -> delegate.createMultipartUpload(ns, key));
    }

    @Override
    public PartResult uploadPart(StorageNamespace ns, String key, String uploadId, int partNumber,
                                 InputStream data, long contentLength) {
        long start = System.nanoTime();
        try {
            PartResult result = delegate.uploadPart(ns, key, uploadId, partNumber, data, contentLength);
            bytesWritten.increment(result.size());
            return result;
        } finally {
            timers.record("uploadPart", start);
        }
    }

    @Override
    public PutResult completeMultipartUpload(StorageNamespace ns, String key, String uploadId,
                                             List<PartResult> parts) {
        return timers.of("completeMultipartUpload")
                .record(() -> delegate.completeMultipartUpload(ns, key, uploadId, parts));
    }

    @Override
    public void abortMultipartUpload(StorageNamespace ns, String key, String uploadId) {
        timers.of("abortMultipartUpload").record(() -> delegate.abortMultipartUpload(ns, key, uploadId));
    }

    @Override
    public List<PartResult> listParts(StorageNamespace ns, String key, String uploadId) {
        return timers.of("listParts").record(() -> delegate.listParts(ns, key, uploadId));
    }

    @Override
    public Optional<URI> presignGet(StorageNamespace ns, String key, Duration ttl) {
        return timers.of("presignGet").record(() -> delegate.presignGet(ns, key, ttl));
    }

    @Override
    public Optional<URI> presignPut(StorageNamespace ns, String key, Duration ttl) {
        return timers.of("presignPut").record(() -> delegate.presignPut(ns, key, ttl));
    }

    @Override
    public boolean presignsUploadParts() {
        return delegate.presignsUploadParts();
    }

    @Override
    public Optional<URI> presignUploadPart(StorageNamespace ns, String key, String uploadId, int partNumber,
                                           Duration ttl) {
        return timers.of("presignUploadPart").record(
                () -> delegate.presignUploadPart(ns, key, uploadId, partNumber, ttl));
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "timed " + delegate;
    }

    /** A counting stream over one that also fills buffers directly, which it keeps doing. */
    private static final class CountingBufferStream extends CountingInputStream implements io.tarn.util.BufferReadable {
        CountingBufferStream(InputStream in, Counter counter) {
            super(in, counter);
        }

        @Override
        public int read(java.nio.ByteBuffer dst) throws IOException {
            int n = ((io.tarn.util.BufferReadable) in).read(dst);
            add(n);
            return n;
        }
    }

    /** Counts the bytes read; adds them to the counter every MiB and on close. */
    private static class CountingInputStream extends FilterInputStream {
        private final Counter counter;
        private long pending;

        CountingInputStream(InputStream in, Counter counter) {
            super(in);
            this.counter = counter;
        }

        final void add(long n) {
            if (n > 0) {
                pending += n;
                if (pending >= FLUSH_BYTES) {
                    flush();
                }
            }
        }

        private void flush() {
            if (pending > 0) {
                counter.increment(pending);
                pending = 0;
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            add(n);
            return n;
        }

        @Override
        public long transferTo(java.io.OutputStream out) throws IOException {
            long n = in.transferTo(out); // keeps the delegate's own (possibly zero-copy) transfer
            add(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return in.skip(n); // skipped bytes were not read by the caller
        }

        @Override
        public void mark(int readlimit) {
            // no mark/reset: a reset would count bytes twice
        }

        @Override
        public void reset() throws IOException {
            throw new IOException("mark/reset not supported");
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() throws IOException {
            flush();
            in.close();
        }
    }
}
