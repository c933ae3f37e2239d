package io.tarn.api.s3;

import io.tarn.api.http.Exchange;
import io.tarn.api.s3.sig.AwsEncoding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** The document as UTF-8, written straight into bytes (no String of it, no copy before it is sent). */
    private byte[] buf;
    private int len;

    private Xml(String root, int capacity) {
        buf = new byte[capacity];
        ascii("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").ascii(root).ascii(" xmlns=\"").ascii(NS).ascii("\">");
    }

    static Xml document(String root) {
        return new Xml(root, 1024);
    }

    /** A document of about {@code expectedBytes} (a listing: its entries times their size), written without regrowing. */
    static Xml document(String root, int expectedBytes) {
        return new Xml(root, Math.max(256, expectedBytes));
    }

    /** The document written so far. */
    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    Xml open(String name) {
        return ascii('<').ascii(name).ascii('>');
    }

    Xml close(String name) {
        return ascii("</").ascii(name).ascii('>');
    }

    /** Appends markup as it is (for elements with attributes). */
    Xml raw(String markup) {
        byte[] bytes = markup.getBytes(StandardCharsets.UTF_8);
        room(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        return this;
    }

    Xml element(String name, String text) {
        open(name);
        text(text);
        return close(name);
    }

    /**
     * A key {@code <refPrefix><path>} as {@link #element(String, String)} writes it, percent-encoded
     * the AWS way (slashes kept) when {@code url}: each part in turn, which writes the same (the
     * prefix ends with '/' or is empty, so no character is split between them).
     */
    Xml keyElement(String name, String refPrefix, String path, boolean url) {
        open(name);
        text(url ? AwsEncoding.uriEncode(refPrefix, true) : refPrefix);
        text(url ? AwsEncoding.uriEncode(path, true) : path);
        return close(name);
    }

    Xml element(String name, long value) {
        open(name);
        number(value);
        return close(name);
    }

    Xml element(String name, boolean value) {
        return open(name).ascii(value ? "true" : "false").close(name);
    }

    /** An element whose text is an ETag: the checksum in quotes. */
    Xml etagElement(String name, String checksum) {
        open(name).ascii("&quot;");
        text(checksum);
        return ascii("&quot;").close(name);
    }

    private static final byte[] CONTENTS_KEY = ascii7("<Contents><Key>");
    private static final byte[] KEY_TIME = ascii7("</Key><LastModified>");
    private static final byte[] TIME_END = ascii7("</LastModified>");
    private static final byte[] SIZE = ascii7("<Size>");
    private static final byte[] SIZE_END = ascii7("</Size>");
    private static final byte[] STORAGE_CONTENTS_END = ascii7("<StorageClass>STANDARD</StorageClass></Contents>");

    private static byte[] ascii7(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A listing's {@code <Contents>} entry: the key as {@link #keyElement} writes it, LastModified, the
     * ETag, the size, the owner when {@code owner} is not null (ListObjects v1), and the storage class;
     * the markup between them written from constants (a listing writes one entry per object).
     */
    Xml contents(String refPrefix, String path, boolean url, long mtime, String checksum, long size, String owner) {
        bytes(CONTENTS_KEY);
        text(url ? AwsEncoding.uriEncode(refPrefix, true) : refPrefix);
        text(url ? AwsEncoding.uriEncode(path, true) : path);
        bytes(KEY_TIME);
        timeText(mtime);
        bytes(TIME_END);
        etagElement("ETag", checksum);
        bytes(SIZE);
        number(size);
        bytes(SIZE_END);
        if (owner != null) {
            open("Owner").element("ID", owner).element("DisplayName", owner).close("Owner");
        }
        return bytes(STORAGE_CONTENTS_END);
    }

    private Xml bytes(byte[] markup) {
        room(markup.length);
        System.arraycopy(markup, 0, buf, len, markup.length);
        len += markup.length;
        return this;
    }

    /** An element whose text is the time {@code epochMillis} as {@link #time} writes it. */
    Xml timeElement(String name, long epochMillis) {
        open(name);
        timeText(epochMillis);
        return close(name);
    }

    /** The time {@code epochMillis} as {@link #time} writes it, straight into the document. */
    private void timeText(long epochMillis) {
        room(TIME_LENGTH);
        if (timeInto(buf, len, epochMillis)) {
            len += TIME_LENGTH;
        } else {
            ascii(ISO.format(Instant.ofEpochMilli(epochMillis)));
        }
    }

    /** Writes the document (closing {@code root}) as a 200 answer. */
    void send(Exchange exchange, String root) {
        send(exchange, root, 200);
    }

    void send(Exchange exchange, String root, int status) {
        close(root);
        exchange.response().bytes(status, "application/xml", buf, len);
    }

    private void room(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    /** Appends text known to be ASCII without markup characters (names, numbers, times, fixed text). */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) copies each char's low byte: ASCII as it is
    private Xml ascii(String text) {
        int n = text.length();
        room(n);
        text.getBytes(0, n, buf, len);
        len += n;
        return this;
    }

    private Xml ascii(char c) {
        room(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** A non-negative number's decimal digits straight into the document (a listing writes one or two an entry). */
    private void number(long value) {
        if (value < 0) {
            ascii(Long.toString(value));
            return;
        }
        int width = 1;
        for (long v = value / 10; v != 0; v /= 10) {
            width++;
        }
        room(width);
        long v = value;
        for (int i = len + width - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        len += width;
    }

    /**
     * The bytes of UTF-8 that {@link #text} writes as they are; the others (the five markup characters,
     * the control characters XML 1.0 cannot carry) are all below 64.
     */
    private static final boolean[] SPECIAL = new boolean[64];

    static {
        for (int c = 0; c < 0x20; c++) {
            SPECIAL[c] = c != '\t' && c != '\n' && c != '\r';
        }
        for (char c : new char[] {'<', '>', '&', '"', '\''}) {
            SPECIAL[c] = true;
        }
    }

    /**
     * Appends {@code text} escaped ({@link S3Errors#escape}'s rules: the five markup characters as
     * entities, control characters XML 1.0 cannot carry as '?') and encoded as UTF-8 (a lone
     * surrogate as '?', as {@link String#getBytes} writes it): the text is encoded at once (for the
     * ASCII of most keys, a copy), then copied or, where it has a character to escape, written byte by
     * byte (the bytes of a multi-byte character are all 0x80 or more: none of them is escaped).
     */
    private void text(String text) {
        if (text == null) {
            return;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int n = utf8.length;
        int plain = 0;
        while (plain < n && !special(utf8[plain])) {
            plain++;
        }
        room(n);
        System.arraycopy(utf8, 0, buf, len, plain);
        len += plain;
        for (int i = plain; i < n; i++) {
            byte b = utf8[i];
            if (!special(b)) {
                room(1);
                buf[len++] = b;
                continue;
            }
            String entity = switch (b) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&apos;";
                default -> "?";
            };
            ascii(entity);
        }
    }

    private static boolean special(byte b) {
        return b >= 0 && b < 64 && SPECIAL[b];
    }

    /** The length of {@link #time}'s answer for the years 1-9999. */
    private static final int TIME_LENGTH = 24;
    private static final byte[] TIME_TEMPLATE = "0000-00-00T00:00:00.000Z".getBytes(StandardCharsets.US_ASCII);

    /**
     * {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC, as S3 writes times in its XML: the fields computed
     * from the epoch day (a listing writes one time per entry, and a {@link DateTimeFormatter} costs
     * more than the rest of the entry), for the years 1-9999; any other through the formatter.
     */
    static String time(long epochMillis) {
        byte[] t = new byte[TIME_LENGTH];
        return timeInto(t, 0, epochMillis) ? new String(t, StandardCharsets.US_ASCII)
                : ISO.format(Instant.ofEpochMilli(epochMillis));
    }

    /**
     * Writes {@link #time} of {@code epochMillis} ({@link #TIME_LENGTH} bytes) into {@code into} at
     * {@code at}; false (nothing written) for a year outside 1-9999.
     */
    private static boolean timeInto(byte[] into, int at, long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000L);
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
        if (day.getYear() < 1 || day.getYear() > 9999) {
            return false;
        }
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        System.arraycopy(TIME_TEMPLATE, 0, into, at, TIME_LENGTH);
        digits(into, at, 4, day.getYear());
        digits(into, at + 5, 2, day.getMonthValue());
        digits(into, at + 8, 2, day.getDayOfMonth());
        digits(into, at + 11, 2, secondOfDay / 3600);
        digits(into, at + 14, 2, secondOfDay / 60 % 60);
        digits(into, at + 17, 2, secondOfDay % 60);
        digits(into, at + 20, 3, (int) Math.floorMod(epochMillis, 1000L));
        return true;
    }

    /** Writes {@code value} as {@code width} decimal digits at {@code at}. */
    private static void digits(byte[] into, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
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
