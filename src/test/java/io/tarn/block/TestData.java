package io.tarn.block;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;

/** Deterministic generated content of any size, without holding it in memory. */
public final class TestData {
    private TestData() {}

    /** A stream of {@code size} pseudo-random bytes determined by {@code seed}. */
    public static InputStream stream(long size, long seed) {
        return new Generated(size, seed);
    }

    public static byte[] bytes(int size, long seed) {
        try (InputStream in = stream(size, seed)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String md5(long size, long seed) {
        try (InputStream in = stream(size, seed)) {
            return md5(in).md5Hex();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code in} to its end and returns its size and MD5. */
    public static Summary md5(InputStream in) throws IOException {
        MessageDigest md = Md5.newDigest();
        byte[] buf = new byte[64 * 1024];
        long size = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            md.update(buf, 0, n);
            size += n;
        }
        return new Summary(size, Md5.hex(md.digest()));
    }

    public record Summary(long size, String md5Hex) {}

    private static final class Generated extends InputStream {
        private long remaining;
        private long state;

        Generated(long size, long seed) {
            this.remaining = size;
            this.state = seed * 0x9E3779B97F4A7C15L + 1;
        }

        private byte next() {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            return (byte) (state >>> 24);
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            return next() & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                b[off + i] = next();
            }
            remaining -= n;
            return n;
        }
    }

    /** A stream that supplies {@code goodBytes} bytes and then fails with an IOException. */
    public static InputStream failingAfter(long goodBytes, long seed) {
        InputStream inner = stream(goodBytes, seed);
        return new InputStream() {
            @Override
            public int read() throws IOException {
                int b = inner.read();
                if (b < 0) {
                    throw new IOException("simulated client disconnect");
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = inner.read(buf, off, len);
                if (n < 0) {
                    throw new IOException("simulated client disconnect");
                }
                return n;
            }
        };
    }
}
