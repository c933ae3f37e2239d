package io.tarn.api.s3.sig;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Percent-encoding the AWS way (RFC 3986 unreserved characters kept) and strict percent-decoding. */
public final class AwsEncoding {
    private AwsEncoding() {}

    /** A query parameter, decoded. A parameter without {@code =} has the value {@code ""}. */
    public record Param(String name, String value) {}

    /**
     * AWS's URI encoding: every byte of the UTF-8 form except {@code A-Z a-z 0-9 - . _ ~} becomes
     * {@code %XX} (upper-case hex); {@code /} is kept when {@code keepSlash}.
     */
    public static String uriEncode(String text, boolean keepSlash) {
        int plain = 0;
        while (plain < text.length() && unreserved(text.charAt(plain), keepSlash)) {
            plain++;
        }
        if (plain == text.length()) {
            return text; // most names and values (and every signature parameter but the credential) stay as they are
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[plain + (utf8.length - plain) * 3];
        System.arraycopy(utf8, 0, out, 0, plain); // the plain head is ASCII: its bytes are its characters
        int n = plain;
        for (int i = plain; i < utf8.length; i++) {
            int c = utf8[i] & 0xff;
            if (unreserved((char) c, keepSlash)) {
                out[n++] = (byte) c;
            } else {
                out[n++] = '%';
                out[n++] = HEX[c >> 4];
                out[n++] = HEX[c & 0xf];
            }
        }
        return new String(out, 0, n, StandardCharsets.US_ASCII);
    }

    /**
     * Whether {@code raw} is in AWS's encoding already, so that {@code uriEncode(decode(raw), keepSlash)}
     * is {@code raw} itself: only unreserved characters (and {@code /} when {@code keepSlash}) and
     * escapes {@code %XX} in upper-case hex of bytes that are not unreserved.
     */
    public static boolean isCanonical(String raw, boolean keepSlash) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return false;
                }
                int hi = upperHex(raw.charAt(i + 1));
                int lo = upperHex(raw.charAt(i + 2));
                if (hi < 0 || lo < 0 || unreserved((char) ((hi << 4) | lo), keepSlash)) {
                    return false;
                }
                i += 2;
            } else if (!unreserved(c, keepSlash)) {
                return false;
            }
        }
        return true;
    }

    private static int upperHex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /** The characters below 128 that AWS's encoding keeps: {@code A-Z a-z 0-9 - . _ ~}. */
    private static final boolean[] UNRESERVED = new boolean[128];

    static {
        for (int c = 0; c < 128; c++) {
            UNRESERVED[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
        }
    }

    private static boolean unreserved(char c, boolean keepSlash) {
        return c < 128 && (UNRESERVED[c] || (keepSlash && c == '/'));
    }

    /**
     * Decodes {@code %XX} escapes as UTF-8 ({@code +} stays a plus sign, as in a path).
     *
     * @throws IllegalArgumentException on a malformed escape or bytes that are not UTF-8
     */
    public static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        boolean wide = false; // a character of 0x80 or more takes up to 3 bytes; every other at most 1
        for (int i = 0; i < raw.length() && !wide; i++) {
            wide = raw.charAt(i) >= 0x80;
        }
        byte[] bytes = new byte[wide ? raw.length() * 3 : raw.length()];
        int n = 0;
        boolean ascii = true;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new IllegalArgumentException("malformed percent-encoding");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("malformed percent-encoding");
                }
                int b = (hi << 4) | lo;
                ascii &= b < 0x80;
                bytes[n++] = (byte) b;
                i += 2;
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                ascii = false;
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(utf8, 0, bytes, n, utf8.length);
                n += utf8.length;
            }
        }
        if (ascii) {
            // ASCII is valid UTF-8 as it is: no decoder needed (an escaped '/' of a presigned credential, ...)
            return new String(bytes, 0, n, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent-encoding is not UTF-8");
        }
    }

    /** The parameters of a raw query string, decoded, in the order sent. */
    public static List<Param> parseQuery(String rawQuery) {
        List<Param> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        int from = 0;
        while (from <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', from);
            int end = amp < 0 ? rawQuery.length() : amp;
            if (end > from) {
                int eq = rawQuery.indexOf('=', from);
                boolean valued = eq >= 0 && eq < end;
                String name = rawQuery.substring(from, valued ? eq : end);
                String value = valued ? rawQuery.substring(eq + 1, end) : "";
                out.add(new Param(decode(name), decode(value)));
            }
            from = end + 1;
        }
        return out;
    }
}
