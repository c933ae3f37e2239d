package io.tarn.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The multipart reader on bodies of random shapes, read with their length known and not, in random pieces. */
class MultipartReaderTest {

    /** A stream that hands out at most a random few bytes per read, as a socket may. */
    private static final class Trickle extends FilterInputStream {
        private final Random random;

        Trickle(InputStream in, Random random) {
            super(in);
            this.random = random;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(random.nextBoolean() ? 7 : 9_000)));
        }
    }

    private record Sent(String name, String header, byte[] content) {}

    private static byte[] body(String boundary, List<Sent> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Sent part : parts) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name()
                    + "\"; filename=\"f\"\r\n" + part.header() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(part.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    @Test
    void partsAreReadAsSentWhateverTheBodysLengthAndPieces() throws Exception {
        Random random = new Random(0x3417);
        for (int round = 0; round < 300; round++) {
            String boundary = "b".repeat(1 + random.nextInt(70)) + round;
            List<Sent> parts = new ArrayList<>();
            for (int p = random.nextInt(3); p >= 0; p--) {
                // contents of every size around the buffer's bounds, with near-delimiters inside
                int size = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(64);
                    case 1 -> 16 * 1024 + random.nextInt(200) - 100;
                    case 2 -> 64 * 1024 + random.nextInt(400) - 200;
                    default -> random.nextInt(200_000);
                };
                byte[] content = new byte[size];
                random.nextBytes(content);
                for (int i = 0; i + 4 < size; i += 1 + random.nextInt(5_000)) {
                    content[i] = '\r';
                    content[i + 1] = '\n';
                    content[i + 2] = '-';
                    content[i + 3] = '-';
                }
                // a header line up to the longest accepted
                String header = random.nextInt(4) == 0
                        ? "X-Long: " + "v".repeat(random.nextInt(16 * 1024 - 300)) + "\r\n" : "Content-Type: text/plain\r\n";
                parts.add(new Sent("p" + p, header, content));
            }
            byte[] body = body(boundary, parts);
            long length = random.nextBoolean() ? body.length : -1;
            MultipartReader reader = new MultipartReader(new Trickle(new ByteArrayInputStream(body), random), boundary, length);
            for (Sent sent : parts) {
                Optional<MultipartReader.Part> part = reader.next();
                assertThat(part).as("round %d", round).isPresent();
                assertThat(part.get().name()).isEqualTo(sent.name());
                assertThat(part.get().content().readAllBytes()).as("round %d, part %s", round, sent.name())
                        .isEqualTo(sent.content());
            }
            assertThat(reader.next()).isEmpty();
        }
    }

    @Test
    void theBufferFitsTheBodyAndTheLongestHeaderLine() {
        assertThat(MultipartReader.bufferSize(-1)).isEqualTo(64 * 1024);
        assertThat(MultipartReader.bufferSize(4_500)).isEqualTo(16 * 1024 + 64);
        assertThat(MultipartReader.bufferSize(40_000)).isEqualTo(40_002);
        assertThat(MultipartReader.bufferSize(10L << 30)).isEqualTo(64 * 1024);
    }

    @Test
    void aHeaderLineLongerThanAcceptedOrABodyCutShortIsRefused() {
        String boundary = "xyz";
        byte[] tooLong = body(boundary, List.of(new Sent("a", "X-Long: " + "v".repeat(17 * 1024) + "\r\n", new byte[10])));
        assertThatThrownBy(() -> new MultipartReader(new ByteArrayInputStream(tooLong), boundary, tooLong.length).next())
                .isInstanceOf(MalformedBodyException.class).hasMessageContaining("headers too long");
        byte[] whole = body(boundary, List.of(new Sent("a", "", new byte[5_000])));
        byte[] cut = java.util.Arrays.copyOf(whole, 3_000);
        assertThatThrownBy(() -> {
            MultipartReader reader = new MultipartReader(new ByteArrayInputStream(cut), boundary, whole.length);
            reader.next().orElseThrow().content().readAllBytes();
        }).isInstanceOf(MalformedBodyException.class).hasMessageContaining("ended before its closing boundary");
    }
}
