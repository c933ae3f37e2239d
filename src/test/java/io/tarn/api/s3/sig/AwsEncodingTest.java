package io.tarn.api.s3.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** AWS's percent-encoding of canonical requests and the decoding of paths and queries. */
class AwsEncodingTest {
    @Test
    void unreservedTextIsKeptAndTheRestEncodedAsUtf8() {
        assertThat(AwsEncoding.uriEncode("AZaz09-._~", false)).isEqualTo("AZaz09-._~");
        assertThat(AwsEncoding.uriEncode("main/a b+c", true)).isEqualTo("main/a%20b%2Bc");
        assertThat(AwsEncoding.uriEncode("main/a b+c", false)).isEqualTo("main%2Fa%20b%2Bc");
        assertThat(AwsEncoding.uriEncode("dir é/x", true)).isEqualTo("dir%20%C3%A9/x");
        assertThat(AwsEncoding.uriEncode("", false)).isEmpty();
    }

    @Test
    void decodingTakesAsciiAndUtf8EscapesAndRefusesTheRest() {
        assertThat(AwsEncoding.decode("AKID%2F20130524%2Fus-east-1")).isEqualTo("AKID/20130524/us-east-1");
        assertThat(AwsEncoding.decode("a+b%20c")).isEqualTo("a+b c");
        assertThat(AwsEncoding.decode("dir%20%C3%A9/x")).isEqualTo("dir é/x");
        assertThat(AwsEncoding.decode("é%2F")).isEqualTo("é/");
        assertThatThrownBy(() -> AwsEncoding.decode("a%2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AwsEncoding.decode("a%zz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AwsEncoding.decode("%C3%28")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> AwsEncoding.decode("%FF")).isInstanceOf(IllegalArgumentException.class);
    }
}
