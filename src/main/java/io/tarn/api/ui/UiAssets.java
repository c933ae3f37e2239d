package io.tarn.api.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web UI's files as served: the source tree of {@code ui/} turned into URL paths. Files under
 * {@code app/} (the UI's own modules and styles) and {@code lib/} (the libraries the build unpacked
 * from their WebJars) are served under content-hashed names, {@code assets/app/main.<hash>.js}, cached
 * for a year; every other file ({@code index.html}, {@code favicon.svg}) under its own name,
 * revalidated each time. {@code index.html} is a template: {@code %asset:app/x.css%} becomes the
 * hashed URL of that file, and {@code <!-- tarn:modules -->} an import map (the bare names of
 * {@code importmap.json} and every module's unhashed URL, {@code /assets/app/x.js}, mapped to its
 * hashed one, so modules import each other by plain relative paths) plus a modulepreload link per
 * module. A changed file changes its name and the page that names it; nothing stale is ever served.
 */
final class UiAssets {
    static final String INDEX = "index.html";
    private static final String IMPORT_MAP = "importmap.json";
    private static final String MODULES_MARK = "<!-- tarn:modules -->";
    private static final Pattern ASSET_REF = Pattern.compile("%asset:([A-Za-z0-9_./-]+)%");
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"),
            Map.entry("jpg", "image/jpeg"), Map.entry("webp", "image/webp"), Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    /** One file as served. */
    record Asset(String contentType, byte[] content, String etag, String cacheControl) {}

    private UiAssets() {}

    /**
     * The served files by URL path (without the leading slash) from the source files by their path
     * under {@code ui/}.
     *
     * @throws IOException when there is no index, or the index names a file that does not exist
     */
    static Map<String, Asset> build(Map<String, byte[]> sources) throws IOException {
        if (!sources.containsKey(INDEX)) {
            throw new IOException("the web UI has no " + INDEX);
        }
        Map<String, Asset> served = new HashMap<>();
        Map<String, String> hashedUrls = new TreeMap<>();   // "app/main.js" -> "/assets/app/main.<hash>.js"
        for (Map.Entry<String, byte[]> file : sources.entrySet()) {
            String name = file.getKey();
            if (name.startsWith("app/") || name.startsWith("lib/")) {
                String hashedPath = "assets/" + hashedName(name, file.getValue());
                served.put(hashedPath, asset(name, file.getValue(), IMMUTABLE));
                hashedUrls.put(name, "/" + hashedPath);
            } else if (!name.equals(INDEX) && !name.equals(IMPORT_MAP)) {
                served.put(name, asset(name, file.getValue(), "no-cache"));
            }
        }
        String index = new String(sources.get(INDEX), StandardCharsets.UTF_8);
        index = index.replace(MODULES_MARK, modules(sources.get(IMPORT_MAP), hashedUrls));
        Matcher refs = ASSET_REF.matcher(index);
        StringBuilder page = new StringBuilder();
        while (refs.find()) {
            String url = hashedUrls.get(refs.group(1));
            if (url == null) {
                throw new IOException("the web UI's " + INDEX + " names a missing file: " + refs.group(1));
            }
            refs.appendReplacement(page, Matcher.quoteReplacement(url));
        }
        refs.appendTail(page);
        served.put(INDEX, asset(INDEX, page.toString().getBytes(StandardCharsets.UTF_8), "no-cache"));
        return served;
    }

    /** The import map and the modulepreload links of every module. */
    private static String modules(byte[] importMapSource, Map<String, String> hashedUrls) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode imports = json.createObjectNode();
        if (importMapSource != null) {
            JsonNode names = json.readTree(importMapSource).path("imports");
            for (Map.Entry<String, JsonNode> entry : names.properties()) {
                String target = hashedUrls.get(entry.getValue().asText());
                if (target == null) {
                    throw new IOException("the web UI's " + IMPORT_MAP + " names a missing file: "
                            + entry.getValue().asText());
                }
                imports.put(entry.getKey(), target);
            }
        }
        StringBuilder preload = new StringBuilder();
        for (Map.Entry<String, String> module : hashedUrls.entrySet()) {
            if (module.getKey().endsWith(".js")) {
                imports.put("/assets/" + module.getKey(), module.getValue());
                preload.append("\n<link rel=\"modulepreload\" href=\"").append(module.getValue()).append("\">");
            }
        }
        ObjectNode map = json.createObjectNode();
        map.set("imports", imports);
        return "<script type=\"importmap\">" + json.writeValueAsString(map) + "</script>" + preload;
    }

    static String hashedName(String name, byte[] content) {
        int dot = name.lastIndexOf('.');
        int slash = name.lastIndexOf('/');
        String hash = HexFormat.of().formatHex(sha256(content), 0, 5);
        return dot > slash ? name.substring(0, dot) + "." + hash + name.substring(dot) : name + "." + hash;
    }

    static Asset asset(String name, byte[] content, String cacheControl) {
        int dot = name.lastIndexOf('.');
        String type = TYPES.getOrDefault(dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT),
                "application/octet-stream");
        return new Asset(type, content, "\"" + HexFormat.of().formatHex(sha256(content), 0, 16) + "\"", cacheControl);
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }
}
