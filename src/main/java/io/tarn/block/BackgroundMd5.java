package io.tarn.block;

import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Computes an MD5 on a pool thread while the caller goes on with the same bytes (writing them to
 * disk), so that a large write costs about max(MD5, I/O) instead of their sum.
 *
 * <p>The caller takes a buffer with {@link #buffer()}, fills it, and hands it over with
 * {@link #submit}; the buffer returns to the free list once digested, so memory is a fixed number
 * of buffers. The caller must not touch a buffer after submitting it. {@link #finish()} returns the
 * digest; {@link #close()} without {@code finish()} abandons the computation.
 */
public final class BackgroundMd5 implements AutoCloseable {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tarn-md5");
        t.setDaemon(true);
        return t;
    });

    private record Chunk(byte[] buf, int len) {}

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final BlockingQueue<Chunk> work;
    private final BlockingQueue<byte[]> free;
    private final Future<byte[]> result;
    private boolean finished;

    /**
     * @param md         the digest to continue (it may already hold the first bytes); owned by this
     *                   object from now on
     * @param buffers    how many buffers of its own to cycle through
     * @param bufferSize their size
     */
    public BackgroundMd5(MessageDigest md, int buffers, int bufferSize) {
        // room for our buffers, one foreign buffer the caller may submit, and the end marker
        this.work = new ArrayBlockingQueue<>(buffers + 2);
        this.free = new ArrayBlockingQueue<>(buffers + 2);
        for (int i = 0; i < buffers; i++) {
            free.add(new byte[bufferSize]);
        }
        this.result = POOL.submit(() -> {
            while (true) {
                Chunk c = work.take();
                if (c == END) {
                    return md.digest();
                }
                md.update(c.buf(), 0, c.len());
                free.put(c.buf());
            }
        });
    }

    /** A free buffer; waits while all are being digested. */
    public byte[] buffer() throws InterruptedException {
        return free.take();
    }

    /** Hands {@code len} bytes of {@code buf} to the digest thread. */
    public void submit(byte[] buf, int len) throws InterruptedException {
        work.put(new Chunk(buf, len));
    }

    /** Waits for every submitted byte to be digested and returns the MD5. */
    public byte[] finish() throws InterruptedException {
        work.put(END);
        finished = true;
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("MD5 computation failed", e.getCause());
        }
    }

    @Override
    public void close() {
        if (!finished) {
            result.cancel(true);
        }
    }
}
