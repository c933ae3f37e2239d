package io.tarn.util;

import java.nio.file.Path;

/**
 * Expands a leading {@code ~} in configured paths the way a shell does: to {@code $HOME} when it is
 * set (Java's {@code user.home} comes from the password database and ignores it), else to
 * {@code user.home}.
 */
public final class HomePaths {
    private HomePaths() {}

    /** The user's home folder. */
    public static Path home() {
        String env = System.getenv("HOME");
        return Path.of(env != null && !env.isBlank() ? env : System.getProperty("user.home"));
    }

    /** {@code path} with a leading {@code ~} or {@code ~/} replaced by the home folder. */
    public static Path expand(String path) {
        if (path.equals("~")) {
            return home();
        }
        if (path.startsWith("~/")) {
            return home().resolve(path.substring(2));
        }
        return Path.of(path);
    }
}
