package io.tarn.api.common;

import io.tarn.engine.model.DiffType;
import io.tarn.engine.model.MergeStrategy;
import io.tarn.engine.model.ResetScope;
import io.tarn.engine.refs.Names;
import io.tarn.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;

/**
 * Checks of the names, refs and paths a request carries (classic and current API), before the engine is called, so
 * that a malformed value is a 400 with a message that says which parameter is wrong.
 */
public final class Inputs {
    public static final int MAX_PATH_BYTES = Names.MAX_PATH_BYTES;
    private static final int MAX_REF_CHARS = 512;
    private static final int MAX_BRANCH_CHARS = Names.MAX_NAME_LENGTH;
    /** The branch a new repository starts with when the request names none. */
    public static final String DEFAULT_BRANCH = "main";
    /** The longest storage namespace a repository may have. */
    public static final int MAX_NAMESPACE_CHARS = 1024;

    private Inputs() {}

    public static String repositoryId(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new InvalidArgumentException(what + " is required");
        }
        if (!Names.isRepositoryId(value)) {
            throw new InvalidArgumentException(what + " must be 3 to 63 characters of lower-case letters, digits "
                    + "and '-', starting with a letter or digit: " + quote(value));
        }
        return value;
    }

    public static String branchName(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new InvalidArgumentException(what + " is required");
        }
        if (!Names.isBranchName(value)) {
            throw nameRule(what, value);
        }
        return value;
    }

    public static String tagName(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new InvalidArgumentException(what + " is required");
        }
        if (!Names.isTagName(value)) {
            throw new InvalidArgumentException(what + " must have " + Names.TAG_RULE + ": " + quote(value));
        }
        return value;
    }

    private static InvalidArgumentException nameRule(String what, String value) {
        return new InvalidArgumentException(what + " must be letters, digits, '_' and '-', starting with a "
                + "letter, digit or '_' (at most " + MAX_BRANCH_CHARS + " characters): " + quote(value));
    }

    /** A ref (branch, tag, commit id, with modifiers): its grammar is the engine's, only the frame is checked here. */
    public static String ref(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new InvalidArgumentException(what + " is required");
        }
        if (value.length() > MAX_REF_CHARS || hasControl(value)) {
            throw new InvalidArgumentException(what + " is not a valid ref: " + quote(value));
        }
        return value;
    }

    public static String objectPath(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new InvalidArgumentException(what + " is required and must not be empty");
        }
        checkPathText(value, what);
        for (String segment : value.split("/", -1)) {
            if (segment.equals("..")) {
                throw new InvalidArgumentException(what + " must not contain a '..' segment: " + quote(value));
            }
        }
        return value;
    }

    /** A prefix or listing offset: may be empty, otherwise the same text rules as a path. */
    public static String pathPrefix(String value, String what) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        checkPathText(value, what);
        return value;
    }

    private static void checkPathText(String value, String what) {
        if (value.indexOf('\0') >= 0) {
            throw new InvalidArgumentException(what + " must not contain a NUL character");
        }
        validUnicode(value, what);
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new InvalidArgumentException(what + " is longer than " + MAX_PATH_BYTES + " bytes");
        }
    }

    /**
     * Checks that a string has no unpaired surrogate (a JSON string escape can carry one):
     * such a string has no UTF-8 form, so it could not be stored as it was given.
     */
    public static String validUnicode(String value, String what) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidArgumentException(what + " is not valid UTF-8 (it holds an unpaired surrogate)");
            }
        }
        return value;
    }

    private static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** A new repository's storage namespace: not blank, at most {@link #MAX_NAMESPACE_CHARS}, no NUL. */
    public static String storageNamespace(String value, String what) {
        if (value.isBlank() || value.length() > MAX_NAMESPACE_CHARS || value.indexOf('\0') >= 0) {
            throw new InvalidArgumentException(what + " is not a valid storage namespace: " + quote(value));
        }
        return value;
    }

    /** A new repository's default branch: {@link #DEFAULT_BRANCH} when left out or empty. */
    public static String defaultBranch(String value, String what) {
        return value == null || value.isEmpty() ? DEFAULT_BRANCH : branchName(value, what);
    }

    /** A commit message: present and not blank. */
    public static String commitMessage(JsonBody body, String what) {
        String message = body.requiredString("message");
        if (message.isBlank()) {
            throw new InvalidArgumentException(what + " must not be empty");
        }
        return message;
    }

    /** A merge's message: left out or blank is none ({@code null}: the engine writes its own). */
    public static String mergeMessage(JsonBody body) {
        String message = body.optionalString("message");
        return message == null || message.isBlank() ? null : message;
    }

    /** A merge strategy: left out or empty is {@link MergeStrategy#NONE}. */
    public static MergeStrategy mergeStrategy(String value, String what) {
        if (value == null || value.isEmpty()) {
            return MergeStrategy.NONE;
        }
        return switch (value) {
            case "dest-wins" -> MergeStrategy.DEST_WINS;
            case "source-wins" -> MergeStrategy.SOURCE_WINS;
            default -> throw new InvalidArgumentException(what + " must be dest-wins or source-wins: " + quote(value));
        };
    }

    /** The {@code type} of a diff of two refs. */
    public static DiffType diffType(String value) {
        return switch (value) {
            case "three_dot" -> DiffType.THREE_DOT;
            case "two_dot" -> DiffType.TWO_DOT;
            default -> throw new InvalidArgumentException("type must be two_dot or three_dot: " + quote(value));
        };
    }

    /** Resetting one object: {@code path} is its path. */
    public static ResetScope objectScope(String path, String what) {
        return new ResetScope.Path(objectPath(path, what));
    }

    /** Resetting a common prefix: {@code prefix} is required. */
    public static ResetScope prefixScope(String prefix, String what) {
        if (prefix == null || prefix.isEmpty()) {
            throw new InvalidArgumentException(what + " is required for type common_prefix");
        }
        return new ResetScope.Prefix(pathPrefix(prefix, what));
    }

    /** Quotes a user value for an error message, cut to a readable length. */
    public static String quote(String value) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
