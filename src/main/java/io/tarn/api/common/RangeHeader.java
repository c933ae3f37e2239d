package io.tarn.api.common;

import io.tarn.block.ByteRange;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP {@code Range} request header (RFC 9110 §14), reduced to what getObject serves: one byte
 * range. Headers it does not understand (other units, several ranges, bad syntax) are ignored and
 * the whole object is sent, as the RFC allows.
 */
public sealed interface RangeHeader {
    /** Send the whole object (no header, or one we ignore). */
    record Whole() implements RangeHeader {}

    /** Send this part (206). */
    record Part(ByteRange range) implements RangeHeader {}

    /** Nothing of the object is in the asked range (416). */
    record Unsatisfiable() implements RangeHeader {}

    Pattern ONE_RANGE = Pattern.compile("\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*", Pattern.CASE_INSENSITIVE);

    static RangeHeader parse(Optional<String> header, long size) {
        if (header.isEmpty()) {
            return new Whole();
        }
        Matcher m = ONE_RANGE.matcher(header.get());
        if (!m.matches()) {
            return new Whole();
        }
        String first = m.group(1);
        String last = m.group(2);
        if (first.isEmpty() && last.isEmpty()) {
            return new Whole();
        }
        if (first.isEmpty()) {
            // suffix: the last N bytes
            long suffix = parseOrMax(last);
            if (suffix == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Part(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        long from = parseOrMax(first);
        long to = last.isEmpty() ? Long.MAX_VALUE : parseOrMax(last);
        if (to < from) {
            return new Whole(); // syntactically invalid: ignored
        }
        if (from >= size) {
            return new Unsatisfiable();
        }
        return new Part(new ByteRange(from, Math.min(to, size - 1)));
    }

    private static long parseOrMax(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() > 18 ? Long.MAX_VALUE : Long.parseLong(significant);
    }
}
