package io.tarn.api.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.ByteRange;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RangeHeaderTest {
    private static RangeHeader parse(String header, long size) {
        return RangeHeader.parse(Optional.ofNullable(header), size);
    }

    @Test
    void noHeaderOrOneWeIgnoreMeansTheWholeObject() {
        assertThat(parse(null, 10)).isInstanceOf(RangeHeader.Whole.class);
        assertThat(parse("items=0-3", 10)).isInstanceOf(RangeHeader.Whole.class);
        assertThat(parse("bytes=0-1,4-5", 10)).isInstanceOf(RangeHeader.Whole.class);
        assertThat(parse("bytes=5-2", 10)).isInstanceOf(RangeHeader.Whole.class);
        assertThat(parse("bytes=-", 10)).isInstanceOf(RangeHeader.Whole.class);
        assertThat(parse("bytes=a-b", 10)).isInstanceOf(RangeHeader.Whole.class);
    }

    @Test
    void oneRangeIsResolvedAgainstTheSize() {
        assertThat(parse("bytes=2-5", 10)).isEqualTo(new RangeHeader.Part(new ByteRange(2, 5)));
        assertThat(parse("bytes=2-", 10)).isEqualTo(new RangeHeader.Part(new ByteRange(2, 9)));
        assertThat(parse("bytes=2-100", 10)).isEqualTo(new RangeHeader.Part(new ByteRange(2, 9)));
        assertThat(parse("bytes=-3", 10)).isEqualTo(new RangeHeader.Part(new ByteRange(7, 9)));
        assertThat(parse("bytes=-30", 10)).isEqualTo(new RangeHeader.Part(new ByteRange(0, 9)));
        assertThat(parse("Bytes = 9-9", 10)).isEqualTo(new RangeHeader.Part(new ByteRange(9, 9)));
        assertThat(parse("bytes=0-99999999999999999999999", 10)).isEqualTo(new RangeHeader.Part(new ByteRange(0, 9)));
    }

    @Test
    void aRangeOutsideTheObjectIsUnsatisfiable() {
        assertThat(parse("bytes=10-", 10)).isInstanceOf(RangeHeader.Unsatisfiable.class);
        assertThat(parse("bytes=10-20", 10)).isInstanceOf(RangeHeader.Unsatisfiable.class);
        assertThat(parse("bytes=-0", 10)).isInstanceOf(RangeHeader.Unsatisfiable.class);
        assertThat(parse("bytes=0-0", 0)).isInstanceOf(RangeHeader.Unsatisfiable.class);
        assertThat(parse("bytes=-5", 0)).isInstanceOf(RangeHeader.Unsatisfiable.class);
    }
}
