package io.tarn.api.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The web UI's files as served: the source tree of {@code ui/} turned into URL paths. The UI's own
 * modules under {@code app/} are joined into one module per entry the index names
 * ({@code %asset:app/main.js%}, by {@link ModuleLinker}); it and the other files under {@code app/}
 * (styles) and {@code lib/} (the libraries the build unpacked from their WebJars) are served under
 * content-hashed names, {@code assets/app/main.<hash>.js}, cached for a year; every other file
 * ({@code index.html}, {@code favicon.svg}) under its own name, revalidated each time. {@code index.html}
 * is a template: {@code %asset:app/x.css%} becomes the hashed URL of that file, and
 * {@code <!-- tarn:modules -->} an import map (the bare names of {@code importmap.json} and every
 * library file's unhashed URL mapped to its hashed one) plus a modulepreload link per library module,
 * so that the joined module's imports are fetched beside it rather than after it. Text files are also
 * kept gzip-compressed (made once, at start). A changed file changes its name and the page that names
 * it; nothing stale is ever served.
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
    /** Below this size compression saves less than the headers that announce it. */
    private static final int GZIP_MIN_BYTES = 256;

    /**
     * One file as served; {@code gzip} is its gzip-compressed form (null when that would not be
     * smaller, or for types that are compressed already), with its own ETag.
     */
    record Asset(String contentType, byte[] content, String etag, String cacheControl, byte[] gzip, String gzipEtag) {}

    /** Reads and builds the assets (once, when first needed). */
    @FunctionalInterface
    interface Loader {
        Map<String, Asset> load() throws IOException;
    }

    private UiAssets() {}

    /**
     * The served files by URL path (without the leading slash) from the source files by their path
     * under {@code ui/}.
     *
     * @throws IOException when there is no index, the index names a file that does not exist, or the
     *     modules cannot be joined
     */
    static Map<String, Asset> build(Map<String, byte[]> sources) throws IOException {
        if (!sources.containsKey(INDEX)) {
            throw new IOException("the web UI has no " + INDEX);
        }
        Map<String, String> bareNames = importMap(sources.get(IMPORT_MAP));
        String template = new String(sources.get(INDEX), StandardCharsets.UTF_8);
        Map<String, String> modules = new HashMap<>();
        for (Map.Entry<String, byte[]> file : sources.entrySet()) {
            if (file.getKey().startsWith("app/") && file.getKey().endsWith(".js")) {
                modules.put(file.getKey(), new String(file.getValue(), StandardCharsets.UTF_8));
            }
        }
        Map<String, byte[]> files = new TreeMap<>();
        for (Map.Entry<String, byte[]> file : sources.entrySet()) {
            if (!modules.containsKey(file.getKey())) {
                files.put(file.getKey(), file.getValue());
            }
        }
        Matcher entries = ASSET_REF.matcher(template);
        while (entries.find()) {
            String entry = entries.group(1);
            if (modules.containsKey(entry) && !files.containsKey(entry)) {
                files.put(entry, ModuleLinker.link(modules, entry, bareNames.keySet()).getBytes(StandardCharsets.UTF_8));
            }
        }
        Map<String, Asset> served = new HashMap<>();
        Map<String, String> hashedUrls = new TreeMap<>();   // "app/main.js" -> "/assets/app/main.<hash>.js"
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String name = file.getKey();
            if (name.startsWith("app/") || name.startsWith("lib/")) {
                String hashedPath = "assets/" + hashedName(name, file.getValue());
                served.put(hashedPath, asset(name, file.getValue(), IMMUTABLE));
                hashedUrls.put(name, "/" + hashedPath);
            } else if (!name.equals(INDEX) && !name.equals(IMPORT_MAP)) {
                served.put(name, asset(name, file.getValue(), "no-cache"));
            }
        }
        String index = template.replace(MODULES_MARK, modules(bareNames, hashedUrls));
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

    /** The bare names of {@code importmap.json} and the file (under {@code ui/}) each stands for. */
    private static Map<String, String> importMap(byte[] source) throws IOException {
        Map<String, String> names = new TreeMap<>();
        if (source != null) {
            for (Map.Entry<String, JsonNode> entry : new ObjectMapper().readTree(source).path("imports").properties()) {
                names.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return names;
    }

    /** The import map and the modulepreload links of the library modules. */
    private static String modules(Map<String, String> bareNames, Map<String, String> hashedUrls) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode imports = json.createObjectNode();
        for (Map.Entry<String, String> entry : bareNames.entrySet()) {
            String target = hashedUrls.get(entry.getValue());
            if (target == null) {
                throw new IOException("the web UI's " + IMPORT_MAP + " names a missing file: " + entry.getValue());
            }
            imports.put(entry.getKey(), target);
        }
        StringBuilder preload = new StringBuilder();
        for (Map.Entry<String, String> module : hashedUrls.entrySet()) {
            if (module.getKey().startsWith("lib/") && module.getKey().endsWith(".js")) {
                // a library's own relative imports ("./x.js") resolve to its plain URL: map it too
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
        String etag = HexFormat.of().formatHex(sha256(content), 0, 16);
        byte[] gzip = compressible(type) && content.length >= GZIP_MIN_BYTES ? gzip(content) : null;
        if (gzip != null && gzip.length >= content.length) {
            gzip = null;
        }
        return new Asset(type, content, "\"" + etag + "\"", cacheControl, gzip, gzip == null ? null : "\"" + etag + "-gzip\"");
    }

    private static boolean compressible(String type) {
        return type.startsWith("text/") || type.startsWith("application/json") || type.startsWith("image/svg");
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory failed", e);
        }
        return out.toByteArray();
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }
}
