package io.tarn.auth.policy;

import java.util.Locale;

/** What a statement does with the actions it names: allow them, or deny them (deny wins). */
public enum Effect {
    ALLOW, DENY;

    /** The word of lakeFS's policy documents: {@code allow} or {@code deny}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException unless {@code word} is {@code allow} or {@code deny} (any case) */
    public static Effect of(String word) {
        if (word != null) {
            switch (word.toLowerCase(Locale.ROOT)) {
                case "allow" -> {
                    return ALLOW;
                }
                case "deny" -> {
                    return DENY;
                }
                default -> { }
            }
        }
        throw new IllegalArgumentException("effect must be \"allow\" or \"deny\", not "
                + (word == null ? "missing" : "\"" + word + "\""));
    }
}
