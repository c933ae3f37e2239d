package io.tarn.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonBuffer} writes the bytes the mapper writes as UTF-8 ({@code writeValueAsBytes}: what every
 * JSON answer of the server is), in arrays of its own or of a pool.
 */
class JsonBufferTest {
    static final List<String> STRINGS = List.of("", "a/b.bin", "application/octet-stream", "text/csv; charset=utf-8",
            "quote\"d", "back\\slash", "tab\tnew\nline\r\f\b", "nul\u0000", "\u001f", "del\u007f", "café/naïve",
            "日本語/データ", "emoji \uD83D\uDE00", "lone \uD800 surrogate", "\uDC00", "</script>", "~ ",
            "local://bucket/data/gabc/0123456789abcdef", "x".repeat(70_000), "ü".repeat(40_000));

    private static String text(JsonBuffer buffer) {
        return new String(buffer.array(), 0, buffer.length(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(JsonBuffer buffer) {
        return Arrays.copyOf(buffer.array(), buffer.length());
    }

    private static byte[] mapper(Object value) throws Exception {
        return Json.mapper().writeValueAsBytes(value);
    }

    @Test
    void writesStringsAsTheMapperDoes() throws Exception {
        for (String s : STRINGS) {
            assertThat(bytes(new JsonBuffer(8).string(s))).as("%s", s).isEqualTo(mapper(s));
            for (String first : List.of("", "local://ns/", "naïve/", "q\"/", "\uD83D")) {
                assertThat(bytes(new JsonBuffer(8).string(JsonBuffer.Part.of(first), s))).as("%s + %s", first, s)
                        .isEqualTo(mapper(first + s));
            }
        }
        // one buffer holding many values, escaped or not, one after the other
        JsonBuffer all = new JsonBuffer(1).raw('[');
        for (int i = 0; i < STRINGS.size(); i++) {
            (i == 0 ? all : all.raw(',')).string(STRINGS.get(i));
        }
        assertThat(bytes(all.raw(']'))).isEqualTo(mapper(STRINGS));
    }

    @Test
    void writesNumbersAndBooleansAsTheMapperDoes() throws Exception {
        for (long n : new long[] {0, 1, 9, 10, 99, 100, 4096, 999_999_999, 1_000_000_000, 1_796_161_216,
                Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 1_796_161_216_000L, Long.MAX_VALUE, -1, -10,
                Integer.MIN_VALUE, Long.MIN_VALUE}) {
            assertThat(bytes(new JsonBuffer(1).number(n))).as("%d", n).isEqualTo(mapper(n));
        }
        assertThat(text(new JsonBuffer(1).bool(true).raw(',').bool(false))).isEqualTo("true,false");
    }

    @Test
    void constantFragmentsAreAsciiOnly() {
        assertThat(JsonBuffer.ascii("{\"a\":")).isEqualTo("{\"a\":".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> JsonBuffer.ascii("é")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPooledBufferGrowsKeepingItsTextAndGivesItsArraysBack() throws Exception {
        ArrayByteBufferPool pool = new ArrayByteBufferPool();
        StringBuilder expected = new StringBuilder("[");
        JsonBuffer buffer = JsonBuffer.pooled(100, pool).raw('[');
        for (int i = 0; i < 20_000; i++) { // past the pool's largest buffer: a fresh array at the end
            String s = i % 5 == 0 ? "é" + i : "item-" + i;
            (i == 0 ? buffer : buffer.raw(',')).string(s);
            expected.append(i == 0 ? "" : ",").append(new String(mapper(s), StandardCharsets.UTF_8));
        }
        assertThat(text(buffer.raw(']'))).isEqualTo(expected.append(']').toString());
        buffer.release();
        long pooled = pool.getAvailableHeapByteBufferCount();
        assertThat(pooled).as("arrays given back while growing").isPositive();

        // a small answer takes an array the pool has, and gives it back
        JsonBuffer small = JsonBuffer.pooled(100, pool).string("a");
        assertThat(pool.getAvailableHeapByteBufferCount()).isEqualTo(pooled - 1);
        assertThat(text(small)).isEqualTo("\"a\"");
        small.release();
        assertThat(pool.getAvailableHeapByteBufferCount()).isEqualTo(pooled);
    }
}
