package io.tarn.api.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The request-body reader: S3's documents parse; DTDs, entities, junk and oversized bodies do not. */
class XmlTest {
    private static Xml.Node parse(String xml, int max) throws Exception {
        return Xml.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), max);
    }

    @Test
    void aDeleteDocument() throws Exception {
        Xml.Node root = parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"" + Xml.NS + "\">"
                + "<Object><Key>main/a &amp; b</Key></Object><Object><Key>main/c</Key></Object><Quiet>true</Quiet>"
                + "</Delete>", 10_000);
        assertThat(root.name()).isEqualTo("Delete");
        assertThat(root.all("Object")).extracting(o -> o.childText("Key")).containsExactly("main/a & b", "main/c");
        assertThat(root.childText("Quiet")).isEqualTo("true");
        assertThat(root.child("Missing")).isNull();
    }

    @Test
    void entitiesAndDtdsAreRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Delete><Object><Key>&x;</Key></Object></Delete>";
        assertThatThrownBy(() -> parse(xxe, 10_000)).isInstanceOf(S3Error.class).extracting("code")
                .isEqualTo("MalformedXML");
    }

    @Test
    void junkAndOversizedBodiesAreMalformedXml() {
        assertThatThrownBy(() -> parse("not xml", 100)).isInstanceOf(S3Error.class).extracting("code")
                .isEqualTo("MalformedXML");
        assertThatThrownBy(() -> parse("", 100)).isInstanceOf(S3Error.class).extracting("code")
                .isEqualTo("MalformedXML");
        assertThatThrownBy(() -> parse("<Delete>" + "x".repeat(200) + "</Delete>", 100)).isInstanceOf(S3Error.class)
                .extracting("code").isEqualTo("MalformedXML");
    }

    @Test
    void timesAreWrittenAsTheIsoFormatterWritesThem() {
        DateTimeFormatter iso = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        assertThat(Xml.time(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(Xml.time(1_764_614_400_007L)).isEqualTo("2025-12-01T18:40:00.007Z");
        assertThat(Xml.time(-1)).isEqualTo("1969-12-31T23:59:59.999Z");
        SplittableRandom random = new SplittableRandom(7);
        long[] edges = {951_782_400_000L, 4_107_542_399_999L, 253_402_300_799_999L, 253_402_300_800_000L,
                -62_167_219_200_000L, -62_167_219_200_001L};
        for (long t : edges) {
            assertThat(Xml.time(t)).as("%d", t).isEqualTo(iso.format(Instant.ofEpochMilli(t)));
        }
        for (int i = 0; i < 10_000; i++) {
            long t = random.nextLong(-100_000_000_000_000L, 300_000_000_000_000L);
            assertThat(Xml.time(t)).as("%d", t).isEqualTo(iso.format(Instant.ofEpochMilli(t)));
        }
    }

    @Test
    void elementsEscapeTheirTextAndWriteNumbersAsTheyAre() {
        String xml = Xml.document("R").element("Key", "main/a b.txt").element("Key", "main/<x> & 'y' \"z\"\u0001")
                .element("Size", 4096L).element("IsTruncated", false).timeElement("LastModified", 0)
                .etagElement("ETag", "d41d8cd98f00b204e9800998ecf8427e").element("Key", "a\u0002b&").toString();
        assertThat(xml).endsWith("<Key>main/a b.txt</Key><Key>main/&lt;x&gt; &amp; &apos;y&apos; &quot;z&quot;?</Key>"
                + "<Size>4096</Size><IsTruncated>false</IsTruncated><LastModified>1970-01-01T00:00:00.000Z</LastModified>"
                + "<ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Key>a?b&amp;</Key>");
    }

    @Test
    void textIsWrittenAsUtf8() {
        String key = "main/dir é/\u20ac \ud83d\ude00.txt";
        String xml = Xml.document("R").element("Key", key).element("Key", "lone \ud83d surrogate").toString();
        assertThat(xml).endsWith("<Key>" + key + "</Key><Key>lone ? surrogate</Key>");
        assertThat(Xml.document("R").element("Key", key).toString().getBytes(StandardCharsets.UTF_8))
                .endsWith(("<Key>" + key + "</Key>").getBytes(StandardCharsets.UTF_8));
        // a document larger than its first buffer grows
        Xml big = Xml.document("R", 10);
        for (int i = 0; i < 1000; i++) {
            big.element("Key", "é<" + i);
        }
        assertThat(big.toString()).contains("<Key>é&lt;0</Key>", "<Key>é&lt;999</Key>");
    }

    /** What {@link Xml#element(String, String)} wrote before it encoded the text at once: S3Errors' escaping, then UTF-8. */
    private static byte[] escapedThenEncoded(String text) {
        StringBuilder out = new StringBuilder();
        S3Errors.escape(out, text);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] after(Xml xml, String prefix) {
        byte[] all = xml.toString().getBytes(StandardCharsets.UTF_8); // the document is UTF-8: decoding it loses nothing
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        assertThat(java.util.Arrays.copyOf(all, head.length)).isEqualTo(head);
        return java.util.Arrays.copyOfRange(all, head.length, all.length);
    }

    @Test
    void textIsByteForByteWhatEscapingThenEncodingWrote() {
        String prefix = Xml.document("R").toString();
        String[] pieces = {"a", "Z", "0", "/", " ", ".", "-", "<", ">", "&", "\"", "'", "\t", "\n", "\r", "\u0000",
            "\u0001", "\u001f", "\u007f", "\u0080", "é", "\u00ff", "\u0100", "\u20ac", "\ud83d\ude00", "\ud83d",
            "\ude00", "\uffff", "?", ";", "@"};
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(0, 40);
            for (int k = 0; k < length; k++) {
                text.append(pieces[random.nextInt(random.nextBoolean() ? 4 : pieces.length)]);
            }
            String t = text.toString();
            byte[] expected = ("<K>" + new String(escapedThenEncoded(t), StandardCharsets.UTF_8) + "</K>")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(after(Xml.document("R", 16).element("K", t), prefix)).as("%s", t).isEqualTo(expected);
            byte[] etag = ("<E>&quot;" + new String(escapedThenEncoded(t), StandardCharsets.UTF_8) + "&quot;</E>")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(after(Xml.document("R", 16).etagElement("E", t), prefix)).as("%s", t).isEqualTo(etag);
        }
    }

    @Test
    void numbersAndTimesAreWrittenAsLongToStringAndTimeWriteThem() {
        String prefix = Xml.document("R").toString();
        long[] numbers = {0, 1, 9, 10, 99, 100, 4096, 999_999_999_999L, Long.MAX_VALUE, -1, -10, Long.MIN_VALUE};
        for (long n : numbers) {
            assertThat(Xml.document("R", 8).element("S", n).toString()).isEqualTo(prefix + "<S>" + n + "</S>");
        }
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 10_000; i++) {
            long n = random.nextLong();
            long small = random.nextLong(0, 1_000_000);
            assertThat(Xml.document("R", 8).element("S", n).element("S", small).toString())
                    .isEqualTo(prefix + "<S>" + n + "</S><S>" + small + "</S>");
            long t = random.nextLong(-100_000_000_000_000L, 300_000_000_000_000L);
            assertThat(Xml.document("R", 8).timeElement("T", t).toString())
                    .isEqualTo(prefix + "<T>" + Xml.time(t) + "</T>");
        }
    }

    @Test
    void aKeyInTwoPartsIsWrittenAsTheWholeKey() {
        String[] refs = {"", "main/", "feature é/", "t\u20ac/"};
        String[] paths = {"", "a/b.bin", "dir é/\u20ac \ud83d\ude00.txt", "<x> & 'y' \"z\"\u0001", "lone \ud83d/x", "a b+c%"};
        for (String ref : refs) {
            for (String path : paths) {
                for (boolean url : new boolean[] {false, true}) {
                    String whole = url ? io.tarn.api.s3.sig.AwsEncoding.uriEncode(ref + path, true) : ref + path;
                    assertThat(Xml.document("R").keyElement("Key", ref, path, url).toString())
                            .as("%s + %s (url %s)", ref, path, url)
                            .isEqualTo(Xml.document("R").element("Key", whole).toString());
                }
            }
        }
    }

    @Test
    void aListingEntryIsWhatItsElementsWriteOneByOne() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(41);
        String[] paths = {"a/b.bin", "dir \u00e9/\u20ac.txt", "<x> & 'y'", "a b+c%", ""};
        String[] checksums = {"0123456789abcdef0123456789abcdef", "d41d8cd98f00b204e9800998ecf8427e-3", "<&>"};
        for (int i = 0; i < 2_000; i++) {
            String ref = random.nextBoolean() ? "main/" : "";
            String path = paths[random.nextInt(paths.length)];
            boolean url = random.nextBoolean();
            long mtime = random.nextLong(-100_000_000_000_000L, 300_000_000_000_000L);
            String checksum = checksums[random.nextInt(checksums.length)];
            long size = random.nextLong(0, Long.MAX_VALUE);
            String owner = random.nextBoolean() ? null : "user <1>";
            Xml oneByOne = Xml.document("R").open("Contents").keyElement("Key", ref, path, url)
                    .timeElement("LastModified", mtime).etagElement("ETag", checksum).element("Size", size);
            if (owner != null) {
                oneByOne.open("Owner").element("ID", owner).element("DisplayName", owner).close("Owner");
            }
            oneByOne.element("StorageClass", "STANDARD").close("Contents");
            assertThat(Xml.document("R").contents(ref, path, url, mtime, checksum, size, owner).toString())
                    .as("%s%s %s %d", ref, path, checksum, mtime).isEqualTo(oneByOne.toString());
        }
    }
}
