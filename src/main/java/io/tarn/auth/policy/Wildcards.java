package io.tarn.auth.policy;

/**
 * lakeFS's wildcards, in actions and resources: {@code *} matches any run of characters (also none),
 * {@code ?} exactly one; everything else matches itself (case-sensitive).
 */
public final class Wildcards {
    private Wildcards() {}

    /** True if {@code text} matches {@code pattern} as a whole. */
    public static boolean matches(String pattern, String text) {
        if (pattern.length() == 1 && pattern.charAt(0) == '*') {
            return true; // the most common resource of a policy, checked on every request
        }
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** True if the pattern holds a wildcard. */
    public static boolean hasWildcard(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
    }
}
