package io.tarn.api.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
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
}
