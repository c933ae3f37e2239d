package io.tarn.api.ui;

import io.tarn.api.current.CurrentSurface;
import io.tarn.api.http.ApiException;
import io.tarn.api.http.Exchange;
import io.tarn.api.http.PlainJsonSurface;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The web UI at {@code /}: the files of {@link UiAssets} (read once, on the UI's first request, from
 * {@code ui/} on the classpath; a few hundred KiB). A path that names a file gets the file; any other GET is a route of
 * the single-page app and gets {@code index.html} (but a missing file under {@code /assets/} is a 404,
 * so a stale script tag fails loudly instead of loading HTML as code). Each file has a strong ETag and
 * {@code If-None-Match} answers 304; content-hashed files under {@code assets/} are cached for a year,
 * everything else is revalidated. {@code /logout} clears the session cookie the current API's login
 * set (the cookie is HttpOnly: the page cannot) and sends the browser to the login page, as lakeFS's
 * server does.
 */
public final class WebUiSurface implements PlainJsonSurface {
    private static final String ROOT = "ui/";
    static final String INDEX = UiAssets.INDEX;
    private static final String LOGOUT = "/logout";

    /** The assets, read and built by the first request of the UI (none of the APIs' requests needs them). */
    private final UiAssets.Loader loader;
    private volatile Map<String, UiAssets.Asset> assets;

    WebUiSurface(Map<String, UiAssets.Asset> assets) {
        this.assets = checked(assets);
        this.loader = null;
    }

    private WebUiSurface(UiAssets.Loader loader) {
        this.loader = loader;
    }

    private static Map<String, UiAssets.Asset> checked(Map<String, UiAssets.Asset> assets) {
        if (!assets.containsKey(INDEX)) {
            throw new IllegalStateException("the web UI has no " + INDEX);
        }
        return Map.copyOf(assets);
    }

    /**
     * The UI files on the classpath (in the jar, or in a folder when run from the build). That the page
     * is there is checked now; the files are read, linked and compressed on the UI's first request, so
     * a server's start does not wait for them.
     */
    public static WebUiSurface fromClasspath() throws IOException {
        URL index = WebUiSurface.class.getClassLoader().getResource(ROOT + INDEX);
        if (index == null) {
            throw new IOException("the web UI (" + ROOT + INDEX + ") is missing from the classpath");
        }
        return new WebUiSurface(() -> UiAssets.build(read(index)));
    }

    private Map<String, UiAssets.Asset> assets() throws IOException {
        Map<String, UiAssets.Asset> built = assets;
        if (built == null) {
            synchronized (this) {
                built = assets;
                if (built == null) {
                    built = checked(loader.load());
                    assets = built;
                }
            }
        }
        return built;
    }

    private static Map<String, byte[]> read(URL index) throws IOException {
        Map<String, byte[]> sources = new HashMap<>();
        try {
            if (index.getProtocol().equals("jar")) {
                String jarPath = index.getPath().substring("file:".length(), index.getPath().indexOf("!/"));
                try (JarFile jar = new JarFile(Paths.get(new URI("file:" + jarPath)).toFile())) {
                    for (JarEntry entry : jar.stream().toList()) {
                        if (!entry.isDirectory() && entry.getName().startsWith(ROOT)) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                String name = entry.getName().substring(ROOT.length());
                                sources.put(name, in.readAllBytes());
                            }
                        }
                    }
                }
            } else {
                Path root = Paths.get(index.toURI()).getParent();
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        String name = root.relativize(file).toString().replace('\\', '/');
                        sources.put(name, Files.readAllBytes(file));
                    }
                }
            }
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the web UI files: " + e.getMessage(), e);
        }
        return sources;
    }

    @Override
    public String name() {
        return "ui";
    }

    @Override
    public void serve(Exchange exchange) throws Exception {
        String path = exchange.rawPath();
        if (path.equals(LOGOUT)) {
            logout(exchange);
            return;
        }
        String name = path.substring(1);
        Map<String, UiAssets.Asset> assets = assets();
        UiAssets.Asset asset = assets.get(name);
        if (asset == null) {
            if (name.startsWith("assets/")) {
                exchange.operation("asset");
                throw ApiException.notFound("no such file of the web UI: " + io.tarn.api.http.FrontDoor.printable(path));
            }
            name = INDEX;
            asset = assets.get(INDEX);
        }
        exchange.operation(name.equals(INDEX) ? "page" : "asset");
        boolean gzip = asset.gzip() != null && acceptsGzip(exchange.header("Accept-Encoding"));
        String etag = gzip ? asset.gzipEtag() : asset.etag();
        exchange.responseHeader("Cache-Control", asset.cacheControl());
        exchange.responseHeader("ETag", etag);
        exchange.responseHeader("X-Content-Type-Options", "nosniff");
        if (asset.gzip() != null) {
            exchange.responseHeader("Vary", "Accept-Encoding");
        }
        String ifNoneMatch = exchange.header("If-None-Match");
        if (ifNoneMatch != null && (exchange.method().equals("GET") || exchange.method().equals("HEAD"))
                && ifNoneMatch.contains(etag)) {
            exchange.response().empty(304);
            return;
        }
        if (gzip) {
            exchange.responseHeader("Content-Encoding", "gzip");
        }
        exchange.serveFixed(asset.contentType(), gzip ? asset.gzip() : asset.content());
    }

    /** Whether an Accept-Encoding header allows gzip (listed, or through {@code *}, without {@code q=0}). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        boolean star = false;
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.split(";");
            String coding = pieces[0].strip().toLowerCase(java.util.Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < pieces.length; i++) {
                String param = pieces[i].strip().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
                if (param.startsWith("q=")) {
                    refused = param.substring(2).matches("0(\\.0{0,3})?");
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return !refused;
            }
            if (coding.equals("*")) {
                star = !refused;
            }
        }
        return star;
    }

    private static void logout(Exchange exchange) {
        exchange.operation("logout");
        String method = exchange.method();
        if (!method.equals("GET") && !method.equals("POST")) {
            throw new ApiException(405, "method " + method + " is not allowed here").withHeader("Allow", "GET, POST");
        }
        exchange.responseHeader("Set-Cookie", CurrentSurface.SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
        exchange.responseHeader("Cache-Control", "no-store");
        exchange.responseHeader("Location", "/auth/login");
        exchange.response().empty(303);
    }
}
