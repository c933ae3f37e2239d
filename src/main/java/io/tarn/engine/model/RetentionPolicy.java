package io.tarn.engine.model;

import java.util.List;

/**
 * The retention policy of lakeFS's 2020 API ({@code retention_policy}): rules that expire objects under
 * a prefix after a time. The garbage collector applies the enabled rules that cover the whole
 * repository (an empty prefix) as the default retention of commits (see {@link #asGcRules}).
 *
 * @param description  free text, may be {@code null}
 * @param rules        at least one
 * @param creationDate when it was set, epoch milliseconds
 */
public record RetentionPolicy(String description, List<Rule> rules, long creationDate) {
    public RetentionPolicy {
        rules = List.copyOf(rules);
    }

    /**
     * One rule. Periods are {@code null} when not given; at least one is.
     *
     * @param all         every object under the prefix older than this
     * @param uncommitted uncommitted objects older than this
     * @param noncurrent  objects no longer in a branch head, older than this
     */
    public record Rule(boolean enabled, String prefix, Period all, Period uncommitted, Period noncurrent) {}

    /** A time period of weeks and days (either may be {@code null}, not both). */
    public record Period(Integer weeks, Integer days) {
        public int totalDays() {
            return (weeks == null ? 0 : weeks * 7) + (days == null ? 0 : days);
        }
    }

    /**
     * The commit retention this policy implies: the shortest {@code noncurrent} (else {@code all})
     * period of the enabled rules with an empty prefix, as the default retention days; empty when no
     * such rule exists. Rules with a prefix are kept and returned but do not change what is collected.
     */
    public java.util.Optional<GcRules> asGcRules() {
        Integer days = null;
        for (Rule r : rules) {
            if (!r.enabled() || (r.prefix() != null && !r.prefix().isEmpty())) {
                continue;
            }
            Period p = r.noncurrent() != null ? r.noncurrent() : r.all();
            if (p != null && (days == null || p.totalDays() < days)) {
                days = p.totalDays();
            }
        }
        return days == null ? java.util.Optional.empty() : java.util.Optional.of(new GcRules(days, List.of()));
    }
}
