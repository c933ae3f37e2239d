package io.tarn.api.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A path template of the API document, such as {@code /repositories/{repository}/branches/}, split
 * into segments. A trailing slash is part of the template (an empty last segment). A parameter
 * takes a whole segment and matches one non-empty, percent-decoded segment.
 */
public final class PathTemplate {

    private sealed interface Segment permits Literal, Param {}

    private record Literal(String text) implements Segment {}

    private record Param(String name) implements Segment {}

    private final String template;
    private final List<Segment> segments;

    private PathTemplate(String template, List<Segment> segments) {
        this.template = template;
        this.segments = segments;
    }

    /** Parses a template; it must start with '/' and each parameter must fill its segment. */
    public static PathTemplate parse(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("path template must start with '/': " + template);
        }
        List<Segment> segments = new ArrayList<>();
        for (String part : template.substring(1).split("/", -1)) {
            if (part.startsWith("{") && part.endsWith("}") && part.length() > 2) {
                String name = part.substring(1, part.length() - 1);
                if (name.contains("{") || name.contains("}")) {
                    throw new IllegalArgumentException("bad parameter in path template " + template);
                }
                segments.add(new Param(name));
            } else if (part.contains("{") || part.contains("}")) {
                throw new IllegalArgumentException(
                        "a path parameter must fill a whole segment, in " + template);
            } else {
                segments.add(new Literal(part));
            }
        }
        return new PathTemplate(template, List.copyOf(segments));
    }

    public String template() {
        return template;
    }

    /** How many segments a path it matches has. */
    int segmentCount() {
        return segments.size();
    }

    /**
     * Matches decoded path segments (the request path after the base path, split on '/', without
     * the leading empty segment); on success (only), puts the parameters into {@code params}.
     */
    boolean matches(List<String> decodedSegments, Map<String, String> params) {
        if (decodedSegments.size() != segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            String value = decodedSegments.get(i);
            switch (segments.get(i)) {
                case Literal literal -> {
                    if (!literal.text().equals(value)) {
                        return false;
                    }
                }
                case Param param -> {
                    if (value.isEmpty()) {
                        return false;
                    }
                }
            }
        }
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i) instanceof Param param) {
                params.put(param.name(), decodedSegments.get(i));
            }
        }
        return true;
    }

    /**
     * Orders templates so that the more specific wins: at the first segment where they differ in
     * kind, a literal beats a parameter; when one is a prefix of the other in kinds, the shorter
     * comes first (only templates of equal length can match the same path, but the order must be
     * total for sorting).
     */
    static int specificity(PathTemplate a, PathTemplate b) {
        int n = Math.min(a.segments.size(), b.segments.size());
        for (int i = 0; i < n; i++) {
            boolean aLiteral = a.segments.get(i) instanceof Literal;
            boolean bLiteral = b.segments.get(i) instanceof Literal;
            if (aLiteral != bLiteral) {
                return aLiteral ? -1 : 1;
            }
        }
        return Integer.compare(a.segments.size(), b.segments.size());
    }

    @Override
    public String toString() {
        return template;
    }
}
