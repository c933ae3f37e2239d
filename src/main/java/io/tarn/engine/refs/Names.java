package io.tarn.engine.refs;

import io.tarn.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;

/**
 * The rules for repository ids, branch and tag names, object paths and page sizes: the one place
 * they are written. The engine throws the messages below; the classic API checks a request's values
 * with the same predicates before calling the engine, to name the parameter in its own messages.
 */
public final class Names {
    private Names() {}

    public static final int MAX_PATH_BYTES = 1024;
    public static final int MAX_NAME_LENGTH = 256;

    /** Whether {@code id} matches {@code ^[a-z0-9][a-z0-9-]{2,62}$} (hand-written: it is on every request). */
    public static boolean isRepositoryId(String id) {
        if (id == null || id.length() < 3 || id.length() > 63) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static String repository(String id) {
        if (!isRepositoryId(id)) {
            throw new InvalidArgumentException("invalid repository id '" + id
                    + "': use 3 to 63 lowercase letters, digits and '-', starting with a letter or digit");
        }
        return id;
    }

    /** Whether {@code name} matches {@code ^\\w[-\\w]*$} with ASCII word characters. */
    public static boolean isBranchName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!word && !(c == '-' && i > 0)) {
                return false;
            }
        }
        return true;
    }

    public static String branch(String name) {
        if (!isBranchName(name)) {
            throw new InvalidArgumentException("invalid branch name '" + name
                    + "': use letters, digits, '_' and '-', starting with a letter, digit or '_'");
        }
        return name;
    }

    /** What a tag name must not hold, in words (the error message of {@link #tag} and the APIs). */
    public static final String TAG_RULE = "no spaces or control characters, none of ~ ^ : ? * [ \\ @ /, "
            + "no '..', not ending in '.' or '.lock', at most " + MAX_NAME_LENGTH + " characters";

    /**
     * Tag names as lakeFS takes them (git's ref-name rules without '/': {@code v1.0.0} is a tag): not
     * empty, no space or control character, none of {@code ^ : ? * [ \ /}, no {@code ..}, not ending in
     * {@code .} or {@code .lock}; and, unlike lakeFS, no {@code ~} or {@code @} either, because Tarn's refs
     * use them as modifiers ({@code v1~2}, {@code main@}) and a tag must resolve as a ref. Every branch
     * name is a valid tag name.
     */
    public static boolean isTagName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        if (name.endsWith(".") || name.endsWith(".lock") || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == 0x7f || "~^:?*[\\@/".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    public static String tag(String name) {
        if (!isTagName(name)) {
            throw new InvalidArgumentException("invalid tag name '" + name + "': " + TAG_RULE);
        }
        return name;
    }

    /** Validates an object path and returns its UTF-8 bytes. */
    public static byte[] path(String path) {
        if (path == null || path.isEmpty()) {
            throw new InvalidArgumentException("object path must not be empty");
        }
        if (path.indexOf('\0') >= 0) {
            throw new InvalidArgumentException("object path must not contain NUL");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= path.length() || !Character.isLowSurrogate(path.charAt(i + 1))) {
                    throw new InvalidArgumentException("object path is not valid Unicode");
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new InvalidArgumentException("object path is not valid Unicode");
            }
        }
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_PATH_BYTES) {
            throw new InvalidArgumentException("object path longer than " + MAX_PATH_BYTES + " bytes");
        }
        return b;
    }

    /** The most items one page holds; a larger request gets a full page with {@code hasMore}. */
    public static final int MAX_PAGE = 100_000;

    /** Validates a page size and returns it, capped at {@link #MAX_PAGE}. */
    public static int amount(int amount) {
        if (amount < 1) {
            throw new InvalidArgumentException("amount must be at least 1");
        }
        return Math.min(amount, MAX_PAGE);
    }
}
