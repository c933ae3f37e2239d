package io.tarn.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the way lakeFS's (Go's) settings write them: a sequence of numbers with units
 * {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}, such as
 * {@code 5m}, {@code 1h30m}, {@code 1.5s}; {@code 0} alone is zero. A bare number of seconds is
 * accepted too.
 */
final class GoDurations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private GoDurations() {}

    static Duration parse(String text) {
        String s = text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        double nanos = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("not a duration: " + text);
            }
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            at = m.end();
        }
        if (at == 0) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        return Duration.ofNanos(Math.round(nanos));
    }
}
