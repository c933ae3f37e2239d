package io.tarn.api.ui;

import io.tarn.api.http.ApiException;
import io.tarn.api.http.Exchange;
import io.tarn.api.http.PlainJsonSurface;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The web UI's static files, from the {@code ui/} folder of the classpath, at {@code /}: a path that
 * names a file gets the file; any other GET is a route of the single-page app and gets
 * {@code index.html} (but a missing file under {@code /assets/} is a 404, so a stale script tag
 * fails loudly instead of loading HTML as code). Files are read once at start (the UI is a few files
 * of a few hundred KiB); each has a strong ETag, and {@code If-None-Match} answers 304. Built,
 * content-hashed files under {@code assets/} are cached for a year; everything else is revalidated.
 */
public final class WebUiSurface implements PlainJsonSurface {
    private static final String ROOT = "ui/";
    static final String INDEX = "index.html";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"),
            Map.entry("jpg", "image/jpeg"), Map.entry("webp", "image/webp"), Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    /** One file of the UI. */
    record Asset(String contentType, byte[] content, String etag, String cacheControl) {}

    private final Map<String, Asset> assets;

    WebUiSurface(Map<String, Asset> assets) {
        if (!assets.containsKey(INDEX)) {
            throw new IllegalStateException("the web UI has no " + INDEX);
        }
        this.assets = Map.copyOf(assets);
    }

    /** The UI files on the classpath (in the jar, or in a folder when run from the build). */
    public static WebUiSurface fromClasspath() throws IOException {
        URL index = WebUiSurface.class.getClassLoader().getResource(ROOT + INDEX);
        if (index == null) {
            throw new IOException("the web UI (" + ROOT + INDEX + ") is missing from the classpath");
        }
        Map<String, Asset> assets = new HashMap<>();
        try {
            if (index.getProtocol().equals("jar")) {
                String jarPath = index.getPath().substring("file:".length(), index.getPath().indexOf("!/"));
                try (JarFile jar = new JarFile(Paths.get(new URI("file:" + jarPath)).toFile())) {
                    for (JarEntry entry : jar.stream().toList()) {
                        if (!entry.isDirectory() && entry.getName().startsWith(ROOT)) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                String name = entry.getName().substring(ROOT.length());
                                assets.put(name, asset(name, in.readAllBytes()));
                            }
                        }
                    }
                }
            } else {
                Path root = Paths.get(index.toURI()).getParent();
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        String name = root.relativize(file).toString().replace('\\', '/');
                        assets.put(name, asset(name, Files.readAllBytes(file)));
                    }
                }
            }
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the web UI files: " + e.getMessage(), e);
        }
        return new WebUiSurface(assets);
    }

    static Asset asset(String name, byte[] content) {
        int dot = name.lastIndexOf('.');
        String type = TYPES.getOrDefault(dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT),
                "application/octet-stream");
        String cache = name.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
        return new Asset(type, content, "\"" + HexFormat.of().formatHex(sha256(content), 0, 16) + "\"", cache);
    }

    @Override
    public String name() {
        return "ui";
    }

    @Override
    public void serve(Exchange exchange) throws Exception {
        String path = exchange.rawPath();
        String name = path.substring(1);
        Asset asset = assets.get(name);
        if (asset == null) {
            if (name.startsWith("assets/")) {
                exchange.operation("asset");
                throw ApiException.notFound("no such file of the web UI: " + io.tarn.api.http.FrontDoor.printable(path));
            }
            name = INDEX;
            asset = assets.get(INDEX);
        }
        exchange.operation(name.equals(INDEX) ? "page" : "asset");
        exchange.responseHeader("Cache-Control", asset.cacheControl());
        exchange.responseHeader("ETag", asset.etag());
        exchange.responseHeader("X-Content-Type-Options", "nosniff");
        String ifNoneMatch = exchange.header("If-None-Match");
        if (ifNoneMatch != null && (exchange.method().equals("GET") || exchange.method().equals("HEAD"))
                && ifNoneMatch.contains(asset.etag())) {
            exchange.response().empty(304);
            return;
        }
        exchange.serveFixed(asset.contentType(), asset.content());
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("no SHA-256", e));
        }
    }
}
