package io.tarn.block;

/**
 * Validation of object keys and namespace paths, shared by every backend.
 *
 * <p>A valid key is a non-empty, '/'-separated relative path whose segments are all non-empty and
 * none is {@code .} or {@code ..}; it contains no NUL, no backslash (which some file systems and
 * tools treat as a separator) and no other control characters.
 */
public final class BlockKeys {
    /** Longest key accepted, in UTF-16 units (S3 allows 1024 bytes; we stay below it). */
    public static final int MAX_KEY_LENGTH = 1024;

    private BlockKeys() {}

    /** Returns {@code key} if it is valid, otherwise throws {@link InvalidKeyException}. */
    public static String requireValid(String key) {
        String problem = problem(key);
        if (problem != null) {
            throw new InvalidKeyException("invalid object key " + quote(key) + ": " + problem);
        }
        return key;
    }

    /** Why {@code path} is not a valid relative path, or {@code null} if it is. */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "it is empty";
        }
        if (path.length() > MAX_KEY_LENGTH) {
            return "it is longer than " + MAX_KEY_LENGTH + " characters";
        }
        if (path.startsWith("/")) {
            return "it is absolute (starts with '/')";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == 0) {
                return "it contains a NUL character";
            }
            if (c == '\\') {
                return "it contains a backslash";
            }
            if (c < 0x20 || c == 0x7f) {
                return "it contains a control character";
            }
            if (Character.isSurrogate(c)) {
                boolean pairOk = Character.isHighSurrogate(c) && i + 1 < path.length()
                        && Character.isLowSurrogate(path.charAt(i + 1));
                if (!pairOk) {
                    return "it contains an unpaired surrogate character";
                }
                i++;
            }
        }
        if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
            return "it looks like a drive-letter path";
        }
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            String segment = path.substring(start, end);
            if (segment.isEmpty()) {
                return "it contains an empty segment ('//' or a trailing '/')";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "it contains a '" + segment + "' segment";
            }
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return null;
    }

    /**
     * Returns {@code prefix} if it is a valid listing prefix: empty, or the start of a valid key (a
     * trailing '/' is allowed); otherwise throws {@link InvalidKeyException}.
     */
    public static String requireValidPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String problem = problem(prefix.endsWith("/") ? prefix + "x" : prefix);
        if (problem != null) {
            throw new InvalidKeyException("invalid listing prefix " + quote(prefix) + ": " + problem);
        }
        return prefix;
    }

    /** Orders strings by their UTF-8 bytes (the order of S3 listings), which differs from {@link String#compareTo} for characters outside the BMP. */
    public static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean xs = Character.isSurrogate(x);
                boolean ys = Character.isSurrogate(y);
                if (xs != ys) {
                    // a surrogate (a code point >= U+10000) sorts after every BMP character in UTF-8
                    return xs ? 1 : -1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** Joins a namespace prefix (possibly empty) and a key with '/'. */
    public static String join(String prefix, String key) {
        return prefix == null || prefix.isEmpty() ? key : prefix + "/" + key;
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        int shown = Math.min(s.length(), 200);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (shown < s.length()) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}
