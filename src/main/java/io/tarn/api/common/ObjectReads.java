package io.tarn.api.common;

import io.tarn.api.http.ApiException;
import io.tarn.api.http.ApiRequest;
import io.tarn.api.http.ApiResponse;
import io.tarn.block.ByteRange;
import io.tarn.engine.model.ObjectEntry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;

/** What an object download answers in both JSON APIs: its headers, then the whole object, a range of it, or 416. */
public final class ObjectReads {
    public static final String OCTET_STREAM = "application/octet-stream";
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private ObjectReads() {}

    /** {@code ETag}, {@code Last-Modified}, {@code Content-Disposition} and {@code Accept-Ranges} of {@code entry}. */
    public static void headers(ApiResponse response, ObjectEntry entry, String path) {
        response.header("ETag", '"' + entry.checksum() + '"')
                .header("Last-Modified", HTTP_DATE.format(Instant.ofEpochMilli(entry.mtime())))
                .header("Content-Disposition", contentDisposition(path))
                .header("Accept-Ranges", "bytes");
    }

    /**
     * The body as the request's {@code Range} asks: 200 with the whole object, 206 with one range, or
     * 416. {@code open} opens the content of a range ({@code null}: the whole object).
     */
    public static void body(ApiRequest request, ApiResponse response, ObjectEntry entry, String contentType,
            Function<ByteRange, InputStream> open) {
        switch (RangeHeader.parse(request.header("Range"), entry.size())) {
            case RangeHeader.Whole whole -> response.stream(200, contentType, entry.size(), open.apply(null));
            case RangeHeader.Part part -> {
                ByteRange range = part.range();
                response.header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + entry.size());
                response.stream(206, contentType, range.length(), open.apply(range));
            }
            case RangeHeader.Unsatisfiable unsatisfiable ->
                    throw new ApiException(416, "range not satisfiable: the object has " + entry.size() + " bytes")
                            .withHeader("Content-Range", "bytes */" + entry.size());
        }
    }

    /** {@code attachment; filename="<basename>"}, plus an RFC 5987 {@code filename*} when it is not plain ASCII. */
    public static String contentDisposition(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        if (base.isEmpty()) {
            base = "object";
        }
        StringBuilder ascii = new StringBuilder();
        boolean plain = true;
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                ascii.append('_');
                plain = false;
            } else if (c == '"' || c == '\\') {
                ascii.append('\\').append(c);
            } else {
                ascii.append(c);
            }
        }
        String header = "attachment; filename=\"" + ascii + '"';
        if (!plain) {
            header += "; filename*=UTF-8''" + percentEncode(base);
        }
        return header;
    }

    private static String percentEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
