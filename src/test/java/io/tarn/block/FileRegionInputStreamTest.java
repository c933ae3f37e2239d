package io.tarn.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRegionInputStreamTest {
    @TempDir
    Path dir;

    private Path file(int size) throws Exception {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return Files.write(dir.resolve("f" + size), data);
    }

    private static FileChannel open(Path file) throws Exception {
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    @Test
    void readsExactlyItsRegionThroughBuffersAndArraysAlike() throws Exception {
        Path f = file(300_000);
        byte[] all = Files.readAllBytes(f);
        try (FileRegionInputStream in = new FileRegionInputStream(open(f), 1_000, 250_001)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer direct = ByteBuffer.allocateDirect(64 * 1024);
            byte[] array = new byte[7_777];
            boolean buffers = true;
            while (true) {
                int n;
                if (buffers) {
                    direct.clear();
                    n = in.read(direct);
                    if (n > 0) {
                        direct.flip();
                        byte[] chunk = new byte[n];
                        direct.get(chunk);
                        out.write(chunk);
                    }
                } else {
                    n = in.read(array, 0, array.length);
                    if (n > 0) {
                        out.write(array, 0, n);
                    }
                }
                if (n < 0) {
                    break;
                }
                buffers = !buffers;
            }
            assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(all, 1_000, 250_001));
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(ByteBuffer.allocate(10))).isEqualTo(-1);
        }
    }

    @Test
    void aBufferLargerThanWhatIsLeftIsFilledOnlyToTheRegionsEndAndKeepsItsLimit() throws Exception {
        Path f = file(100);
        try (FileRegionInputStream in = new FileRegionInputStream(open(f), 90, 95)) {
            ByteBuffer b = ByteBuffer.allocate(50);
            assertThat(in.read(b)).isEqualTo(5);
            assertThat(b.position()).isEqualTo(5);
            assertThat(b.limit()).isEqualTo(50);
            assertThat(in.available()).isZero();
            assertThat(in.read(b)).isEqualTo(-1);
        }
    }

    @Test
    void skipAndSingleBytesMoveTheSamePosition() throws Exception {
        Path f = file(100);
        byte[] all = Files.readAllBytes(f);
        try (FileRegionInputStream in = new FileRegionInputStream(open(f), 10, 20)) {
            assertThat(in.read()).isEqualTo(all[10] & 0xff);
            assertThat(in.skip(5)).isEqualTo(5);
            assertThat(in.read()).isEqualTo(all[16] & 0xff);
            assertThat(in.skip(100)).isEqualTo(3);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void anEmptyRegionAndAFileShorterThanItsRegionEndTheStream() throws Exception {
        Path f = file(10);
        try (FileRegionInputStream in = new FileRegionInputStream(open(f), 10, 10)) {
            assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
        }
        try (FileRegionInputStream in = new FileRegionInputStream(open(f), 5, 50)) {
            assertThat(in.readAllBytes()).hasSize(5); // the reader sees a short stream
        }
        assertThatThrownBy(() -> new FileRegionInputStream(open(f), 5, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingClosesTheChannel() throws Exception {
        FileChannel ch = open(file(10));
        new FileRegionInputStream(ch, 0, 10).close();
        assertThat(ch.isOpen()).isFalse();
    }
}
