package io.tarn.api.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sink of the access log: whole lines appended to a buffer and written to the target stream
 * when the buffer fills, by a background flush every {@code flushIntervalMillis}, and on
 * {@link #close}. One write per batch instead of a formatted, flushed {@code println} per request
 * (which is what slf4j-simple does). Lines are never split: a line goes into the buffer whole, and the
 * buffer is written only at line boundaries.
 */
final class AccessLogWriter implements AutoCloseable {
    private static final int FLUSH_AT_BYTES = 32 * 1024;

    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private byte[] buffer = new byte[FLUSH_AT_BYTES * 2];
    private int length;
    private final Thread flusher;
    private volatile boolean closed;

    AccessLogWriter(OutputStream out, long flushIntervalMillis) {
        this.out = out;
        this.flusher = Thread.ofPlatform().daemon().name("tarn-access-log-flush").unstarted(() -> {
            while (!closed) {
                try {
                    Thread.sleep(flushIntervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
                flush();
            }
        });
        flusher.start();
    }

    /** The stream of {@code System.err} as it is now (the same place slf4j-simple writes). */
    static AccessLogWriter toStandardError() {
        PrintStream err = System.err;
        return new AccessLogWriter(err, 200);
    }

    /** Appends one line (a newline is added). */
    void line(CharSequence text) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (length + bytes.length + 1 > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + bytes.length + 1));
            }
            System.arraycopy(bytes, 0, buffer, length, bytes.length);
            length += bytes.length;
            buffer[length++] = '\n';
            if (length >= FLUSH_AT_BYTES || closed) {
                writeOut();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes out whatever is buffered. */
    void flush() {
        lock.lock();
        try {
            writeOut();
        } finally {
            lock.unlock();
        }
    }

    private void writeOut() {
        if (length == 0) {
            return;
        }
        try {
            out.write(buffer, 0, length);
            out.flush();
        } catch (IOException e) {
            // nowhere to report a failing log stream; the lines are dropped rather than the request
        } finally {
            length = 0;
            if (buffer.length > FLUSH_AT_BYTES * 2) {
                buffer = new byte[FLUSH_AT_BYTES * 2];
            }
        }
    }

    /** Flushes and stops the background flush; lines appended later are written at once. */
    @Override
    public void close() {
        closed = true;
        flusher.interrupt();
        flush();
    }
}
