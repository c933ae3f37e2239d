package io.tarn.api.common;

import io.tarn.api.http.ApiRequest;
import io.tarn.error.InvalidArgumentException;
import java.util.Optional;

/** The {@code after}/{@code amount} query parameters of a listing. */
public record Paging(String after, int amount) {
    /** The most items a page ever has, whatever {@code amount} asks for. */
    public static final int MAX_PER_PAGE = 1000;
    /** The page size of listRepositories and listBranches when {@code amount} is left out (the 2020 default). */
    public static final int DEFAULT_SMALL = 100;

    public static Paging of(ApiRequest request, int defaultAmount) {
        return new Paging(Inputs.pathPrefix(request.query("after").orElse(""), "after"),
                amount(request.query("amount"), defaultAmount));
    }

    /**
     * Parses {@code amount}, an integer: left out, empty ({@code amount=}), 0 or negative means
     * {@code defaultAmount} (as lakeFS does); values above {@link #MAX_PER_PAGE} are clamped. Anything
     * else that is not an integer is a 400.
     */
    public static int amount(Optional<String> raw, int defaultAmount) {
        if (raw.isEmpty() || raw.get().isEmpty()) {
            return defaultAmount;
        }
        String text = raw.get().trim();
        if (text.startsWith("+")) {
            text = text.substring(1);
        }
        boolean negative = text.startsWith("-");
        String digits = negative ? text.substring(1) : text;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidArgumentException("amount must be an integer: " + Inputs.quote(raw.get()));
        }
        String significant = digits.replaceFirst("^0+", "");
        if (negative || significant.isEmpty()) {
            return defaultAmount;
        }
        if (significant.length() > 4) {
            return MAX_PER_PAGE;
        }
        return Math.min(Integer.parseInt(significant), MAX_PER_PAGE);
    }
}
