package io.tarn.api.s3.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
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

    /** AWS's encoding written the plain way: every UTF-8 byte outside the unreserved set as %XX. */
    private static String reference(String text, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || (keepSlash && c == '/')) {
                out.append((char) c);
            } else {
                out.append(String.format("%%%02X", c));
            }
        }
        return out.toString();
    }

    @Test
    void encodingIsTheByteByByteEncodingOfAnyText() {
        String[] pieces = {"a", "Z", "0", "-", ".", "_", "~", "/", " ", "+", "%", "=", "&", "\u0000", "\u007f",
            "\u0080", "é", "\u00ff", "\u20ac", "\ud83d\ude00", "\ud83d", "\ude00"};
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(0, 30);
            for (int k = 0; k < length; k++) {
                text.append(pieces[random.nextInt(random.nextBoolean() ? 8 : pieces.length)]);
            }
            String t = text.toString();
            assertThat(AwsEncoding.uriEncode(t, true)).as("%s", t).isEqualTo(reference(t, true));
            assertThat(AwsEncoding.uriEncode(t, false)).as("%s", t).isEqualTo(reference(t, false));
            String encoded = reference(t, false);
            if (!t.contains("\ud83d") && !t.contains("\ude00")) { // decoding gives the text back (a lone surrogate was '?')
                assertThat(AwsEncoding.decode(encoded)).as("%s", t).isEqualTo(t);
            }
        }
    }

    @Test
    void queriesSplitAsSplittingOnAmpersandsSplitsThem() {
        SplittableRandom random = new SplittableRandom(23);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder q = new StringBuilder();
            for (int k = random.nextInt(0, 14); k > 0; k--) {
                q.append("ab=&%2F".charAt(random.nextInt(7)) == '%' ? "%2F" : String.valueOf("ab=&&".charAt(random.nextInt(5))));
            }
            String query = q.toString();
            java.util.List<AwsEncoding.Param> expected = new java.util.ArrayList<>();
            for (String pair : query.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    expected.add(new AwsEncoding.Param(AwsEncoding.decode(eq < 0 ? pair : pair.substring(0, eq)),
                            AwsEncoding.decode(eq < 0 ? "" : pair.substring(eq + 1))));
                }
            }
            assertThat(AwsEncoding.parseQuery(query)).as("%s", query).isEqualTo(expected);
        }
        assertThat(AwsEncoding.parseQuery(null)).isEmpty();
        assertThat(AwsEncoding.parseQuery("")).isEmpty();
    }

    @Test
    void aTextIsCanonicalExactlyWhenDecodingAndEncodingItGivesItBack() {
        SplittableRandom random = new SplittableRandom(29);
        String[] atoms = {"a", "Z", "0", "-", ".", "_", "~", "/", "+", " ", "=", "%2F", "%2f", "%41", "%7E", "%20",
            "%E2%82%AC", "%e2%82%ac", "\u00e9", "%C3%A9", "*", "%2A", "%25"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder raw = new StringBuilder();
            for (int k = random.nextInt(0, 10); k > 0; k--) {
                raw.append(atoms[random.nextInt(atoms.length)]);
            }
            String piece = raw.toString();
            String decodedAndEncoded = AwsEncoding.uriEncode(AwsEncoding.decode(piece), false);
            assertThat(AwsEncoding.isCanonical(piece, false)).as("%s", piece).isEqualTo(decodedAndEncoded.equals(piece));
            String path = "/" + piece;
            assertThat(AwsEncoding.isCanonical(path, true)).as("%s", path)
                    .isEqualTo(AwsEncoding.uriEncode(AwsEncoding.decode(path), true).equals(path));
        }
        assertThat(AwsEncoding.isCanonical("%4", false)).isFalse();
        assertThat(AwsEncoding.isCanonical("%", false)).isFalse();
    }
}
