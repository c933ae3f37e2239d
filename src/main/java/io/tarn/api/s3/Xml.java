package io.tarn.api.s3;

import io.tarn.api.http.Exchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** S3's XML: a small writer for answers, and a safe reader (no DTDs, no entities, bounded size) for request bodies. */
final class Xml {
    static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final XMLInputFactory INPUT = inputFactory();

    private final StringBuilder out = new StringBuilder(1024);

    private Xml(String root) {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(root).append(" xmlns=\"").append(NS).append("\">");
    }

    static Xml document(String root) {
        return new Xml(root);
    }

    Xml open(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    Xml close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    /** Appends markup as it is (for elements with attributes). */
    Xml raw(String markup) {
        out.append(markup);
        return this;
    }

    Xml element(String name, String text) {
        out.append('<').append(name).append('>');
        S3Errors.escape(out, text);
        out.append("</").append(name).append('>');
        return this;
    }

    Xml element(String name, long value) {
        return element(name, Long.toString(value));
    }

    Xml element(String name, boolean value) {
        return element(name, Boolean.toString(value));
    }

    /** Writes the document (closing {@code root}) as a 200 answer. */
    void send(Exchange exchange, String root) {
        send(exchange, root, 200);
    }

    void send(Exchange exchange, String root, int status) {
        out.append("</").append(root).append('>');
        byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        exchange.response().stream(status, "application/xml", body.length, new ByteArrayInputStream(body));
    }

    static String time(long epochMillis) {
        return ISO.format(Instant.ofEpochMilli(epochMillis));
    }

    // ---- reading ----------------------------------------------------------------------------

    /** A parsed element: its local name, its text (trimmed of nothing), its children. */
    record Node(String name, String text, List<Node> children) {
        Node child(String childName) {
            for (Node c : children) {
                if (c.name.equals(childName)) {
                    return c;
                }
            }
            return null;
        }

        String childText(String childName) {
            Node c = child(childName);
            return c == null ? null : c.text;
        }

        List<Node> all(String childName) {
            List<Node> out = new ArrayList<>();
            for (Node c : children) {
                if (c.name.equals(childName)) {
                    out.add(c);
                }
            }
            return out;
        }
    }

    /**
     * Reads an XML request body of at most {@code maxBytes}.
     *
     * @throws S3Error MalformedXML if it is not well-formed or too large
     */
    static Node parse(InputStream body, int maxBytes) throws IOException {
        byte[] bytes = body.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new S3Error(400, "MalformedXML", "the XML body is larger than " + maxBytes + " bytes");
        }
        try {
            XMLStreamReader r = INPUT.createXMLStreamReader(new ByteArrayInputStream(bytes));
            try {
                while (r.hasNext()) {
                    int event = r.next();
                    if (event == XMLStreamConstants.DTD) {
                        throw new XMLStreamException("a DTD is not allowed");
                    }
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        return readElement(r, 0);
                    }
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException | IllegalStateException e) {
            throw new S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate"
                    + " against our published schema.");
        }
        throw new S3Error(400, "MalformedXML", "The XML you provided was empty.");
    }

    private static Node readElement(XMLStreamReader r, int depth) throws XMLStreamException {
        if (depth > 16) {
            throw new XMLStreamException("too deep");
        }
        String name = r.getLocalName();
        StringBuilder text = new StringBuilder();
        List<Node> children = new ArrayList<>();
        while (r.hasNext()) {
            int event = r.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> children.add(readElement(r, depth + 1));
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        text.append(r.getText());
                case XMLStreamConstants.END_ELEMENT -> {
                    return new Node(name, text.toString(), children);
                }
                case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.DTD ->
                        throw new XMLStreamException("entity references are not allowed");
                default -> { }
            }
        }
        throw new XMLStreamException("unterminated element " + name);
    }

    private static XMLInputFactory inputFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        return f;
    }
}
