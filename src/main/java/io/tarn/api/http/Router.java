package io.tarn.api.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routes {@code method + path} to the operation of the API document and its handler. Built from the
 * document: the document's operationIds and the registered handlers must be exactly the same set,
 * otherwise {@link #build} refuses, naming the differences.
 */
public final class Router {

    /** A routed operation: its document entry, its handler, and the decoded path parameters. */
    public sealed interface Match permits Found, NotFound, MethodNotAllowed {}

    public record Found(ApiDocument.DocumentedOperation operation, Operation handler, Map<String, String> params)
            implements Match {}

    public record NotFound() implements Match {}

    public record MethodNotAllowed(Set<String> allowed) implements Match {}

    /** The operations of one path template, by method. */
    private record Route(PathTemplate template, Map<String, ApiDocument.DocumentedOperation> byMethod) {}

    private final String basePath;
    /** The routes by their number of segments (only those can match a path), most specific first. */
    private final Map<Integer, List<Route>> routesBySize;
    private final Map<String, Operation> handlers;

    private Router(String basePath, List<Route> routes, Map<String, Operation> handlers) {
        this.basePath = basePath;
        Map<Integer, List<Route>> bySize = new HashMap<>();
        for (Route route : routes) {
            bySize.computeIfAbsent(route.template().segmentCount(), n -> new ArrayList<>()).add(route);
        }
        bySize.replaceAll((n, list) -> List.copyOf(list));
        this.routesBySize = Map.copyOf(bySize);
        this.handlers = handlers;
    }

    /**
     * @throws IllegalStateException if a document operation has no handler or a handler is not in
     *     the document (the message names every difference)
     */
    public static Router build(ApiDocument document, Operations operations) {
        Map<String, Operation> handlers = operations.asMap();
        Set<String> documented = new TreeSet<>();
        document.operations().forEach(op -> documented.add(op.operationId()));
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(handlers.keySet());
        Set<String> extra = new TreeSet<>(handlers.keySet());
        extra.removeAll(documented);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            StringBuilder message = new StringBuilder("API document and handlers differ:");
            if (!missing.isEmpty()) {
                message.append(" operations without a handler ").append(missing).append(';');
            }
            if (!extra.isEmpty()) {
                message.append(" handlers not in the document ").append(extra).append(';');
            }
            throw new IllegalStateException(message.substring(0, message.length() - 1));
        }
        Map<String, Route> byTemplate = new LinkedHashMap<>();
        for (ApiDocument.DocumentedOperation op : document.operations()) {
            Route route = byTemplate.computeIfAbsent(op.path().template(),
                    t -> new Route(op.path(), new LinkedHashMap<>()));
            if (route.byMethod().putIfAbsent(op.method(), op) != null) {
                throw new IllegalStateException("two operations for " + op.method() + " " + op.path());
            }
        }
        List<Route> routes = new ArrayList<>(byTemplate.values());
        routes.sort(Comparator.comparing(Route::template, PathTemplate::specificity));
        return new Router(document.basePath(), List.copyOf(routes), Map.copyOf(handlers));
    }

    /** The document's base path without a trailing slash ("" for "/"). */
    public String basePath() {
        return basePath;
    }

    /** True if {@code rawPath} is the base path or below it. */
    public boolean covers(String rawPath) {
        return basePath.isEmpty() || rawPath.equals(basePath) || rawPath.startsWith(basePath + "/");
    }

    /**
     * Routes a request.
     *
     * @param rawPath the request path as sent (still percent-encoded, without the query)
     * @throws ApiException 400 if a segment is badly encoded, holds a NUL, or is "." or ".."
     */
    public Match match(String method, String rawPath) {
        if (!covers(rawPath)) {
            return new NotFound();
        }
        String relative = rawPath.substring(basePath.length());
        if (relative.isEmpty()) {
            relative = "/";
        }
        List<String> segments = decodeSegments(relative);
        Match match = match(method, segments);
        if (match instanceof NotFound && segments.size() > 1) {
            // Be lenient about one trailing slash when the document has only the other form.
            List<String> alternative = new ArrayList<>(segments);
            if (segments.getLast().isEmpty()) {
                alternative.removeLast();
            } else {
                alternative.add("");
            }
            match = match(method, alternative);
        }
        return match;
    }

    private Match match(String method, List<String> segments) {
        Set<String> allowed = new TreeSet<>();
        Map<String, String> params = new HashMap<>(); // filled only by the template that matches
        for (Route route : routesBySize.getOrDefault(segments.size(), List.of())) {
            if (!route.template().matches(segments, params)) {
                continue;
            }
            ApiDocument.DocumentedOperation op = route.byMethod().get(method);
            if (op != null) {
                return new Found(op, handlers.get(op.operationId()), Map.copyOf(params));
            }
            allowed.addAll(route.byMethod().keySet());
        }
        return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(allowed);
    }

    /** Splits "/a/b%20c/" into ["a", "b c", ""], strictly percent-decoding each segment as UTF-8. */
    static List<String> decodeSegments(String relative) {
        String[] raw = relative.substring(1).split("/", -1);
        List<String> segments = new ArrayList<>(raw.length);
        for (String segment : raw) {
            String decoded = percentDecode(segment);
            if (decoded.equals(".") || decoded.equals("..")) {
                throw ApiException.badRequest("invalid path: '.' and '..' segments are not allowed");
            }
            if (decoded.indexOf('\0') >= 0) {
                throw ApiException.badRequest("invalid path: NUL character");
            }
            segments.add(decoded);
        }
        return segments;
    }

    static String percentDecode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw ApiException.badRequest("invalid path: bad percent-encoding");
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw ApiException.badRequest("invalid path: bad percent-encoding");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < segment.length()) {
                    utf8 = segment.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("invalid path: percent-encoding is not UTF-8");
        }
    }
}
