package io.tarn.block;

import io.tarn.util.BufferReadable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * The bytes {@code [first, end)} of an open file, read by position (the channel's own position is
 * not used); closing the stream closes the channel. Besides the stream's reads it fills buffers
 * directly ({@link BufferReadable}).
 */
public final class FileRegionInputStream extends InputStream implements BufferReadable {
    private final FileChannel channel;
    private final long end;
    private long position;

    public FileRegionInputStream(FileChannel channel, long first, long end) {
        if (first < 0 || end < first) {
            throw new IllegalArgumentException("region [" + first + ", " + end + ")");
        }
        this.channel = Objects.requireNonNull(channel, "channel");
        this.position = first;
        this.end = end;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        long left = end - position;
        if (left <= 0) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int limit = dst.limit();
        if (dst.remaining() > left) {
            dst.limit(dst.position() + (int) left);
        }
        try {
            int n = channel.read(dst, position);
            if (n < 0) {
                return -1; // the file is shorter than the region: a short stream, as its reader sees it
            }
            position += n;
            return n;
        } finally {
            dst.limit(limit);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        return read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, end - position));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
