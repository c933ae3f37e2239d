package io.tarn.api.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.block.ByteRange;
import org.junit.jupiter.api.Test;

/** Pieces of the object operations that need no server: ranges, ETag matching, copy sources, tokens, max-keys. */
class S3RequestTest {
    @Test
    void ranges() {
        assertThat(S3Objects.range(null, 100)).isNull();
        assertThat(S3Objects.range("bytes=0-9", 100)).isEqualTo(new ByteRange(0, 9));
        assertThat(S3Objects.range("bytes=90-", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(S3Objects.range("bytes=-10", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(S3Objects.range("bytes=50-1000", 100)).isEqualTo(new ByteRange(50, 99));
        assertThat(S3Objects.range("bytes=9-1", 100)).isNull(); // invalid: ignored
        assertThat(S3Objects.range("items=0-1", 100)).isNull();
        assertThatThrownBy(() -> S3Objects.range("bytes=100-", 100)).isInstanceOf(S3Error.class)
                .extracting("status").isEqualTo(416);
        assertThatThrownBy(() -> S3Objects.range("bytes=-5", 0)).isInstanceOf(S3Error.class);
    }

    @Test
    void etags() {
        assertThat(S3Objects.etagMatches("\"abc\"", "abc")).isTrue();
        assertThat(S3Objects.etagMatches("W/\"abc\", \"def\"", "def")).isTrue();
        assertThat(S3Objects.etagMatches("*", "anything")).isTrue();
        assertThat(S3Objects.etagMatches("\"abc\"", "abd")).isFalse();
    }

    @Test
    void copySources() {
        assertThat(S3Objects.copySource("/repo/main/a%20b/c.txt")).containsExactly("repo", "main", "a b/c.txt");
        assertThat(S3Objects.copySource("repo/v1/x?versionId=1")).containsExactly("repo", "v1", "x");
        assertThatThrownBy(() -> S3Objects.copySource("repo/main")).isInstanceOf(S3Error.class);
        assertThatThrownBy(() -> S3Objects.copySource("repo/main/")).isInstanceOf(S3Error.class);
    }

    @Test
    void listingParameters() {
        assertThat(S3Buckets.decodeToken(S3Buckets.encodeToken("main/ü/x"))).isEqualTo("main/ü/x");
        assertThatThrownBy(() -> S3Buckets.decodeToken("***")).isInstanceOf(S3Error.class);
        assertThat(S3Buckets.maxKeys(null)).isEqualTo(1000);
        assertThat(S3Buckets.maxKeys("5000")).isEqualTo(1000);
        assertThat(S3Buckets.maxKeys("0")).isZero();
        assertThatThrownBy(() -> S3Buckets.maxKeys("-1")).isInstanceOf(S3Error.class);
        assertThatThrownBy(() -> S3Buckets.maxKeys("x")).isInstanceOf(S3Error.class);
    }
}
