package io.tarn.engine.refs;

import io.tarn.engine.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Validation of repository, branch and tag names and of object paths. */
public final class Names {
    private Names() {}

    private static final Pattern REPOSITORY = Pattern.compile("^[a-z0-9][a-z0-9-]{2,62}$");
    private static final Pattern BRANCH = Pattern.compile("^\\w[-\\w]*$");
    public static final int MAX_PATH_BYTES = 1024;
    public static final int MAX_NAME_LENGTH = 256;

    public static String repository(String id) {
        if (id == null || !REPOSITORY.matcher(id).matches()) {
            throw new InvalidArgumentException("invalid repository id '" + id
                    + "': use 3 to 63 lowercase letters, digits and '-', starting with a letter or digit");
        }
        return id;
    }

    public static boolean isBranchName(String name) {
        return name != null && name.length() <= MAX_NAME_LENGTH && BRANCH.matcher(name).matches();
    }

    public static String branch(String name) {
        if (!isBranchName(name)) {
            throw new InvalidArgumentException("invalid branch name '" + name
                    + "': use letters, digits, '_' and '-', starting with a letter, digit or '_'");
        }
        return name;
    }

    public static String tag(String name) {
        if (!isBranchName(name)) {
            throw new InvalidArgumentException("invalid tag name '" + name
                    + "': use letters, digits, '_' and '-', starting with a letter, digit or '_'");
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

    public static void amount(int amount) {
        if (amount < 1) {
            throw new InvalidArgumentException("amount must be at least 1");
        }
    }
}
