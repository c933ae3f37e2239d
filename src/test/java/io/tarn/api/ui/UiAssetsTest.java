package io.tarn.api.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UiAssetsTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final String INDEX = """
            <link rel="stylesheet" href="%asset:app/app.css%">
            <!-- tarn:modules -->
            <script type="module" src="%asset:app/main.js%"></script>
            """;

    private static Map<String, byte[]> sources(String mainJs) {
        return Map.of(
                "index.html", bytes(INDEX),
                "importmap.json", bytes("{\"imports\": {\"preact\": \"lib/preact.module.js\"}}"),
                "favicon.svg", bytes("<svg/>"),
                "app/app.css", bytes("body{}"),
                "app/main.js", bytes(mainJs),
                "app/api.js", bytes("export const x = 1;"),
                "lib/preact.module.js", bytes("export function h(){}"));
    }

    private static final String MAIN = "import { x } from './api.js';\nconsole.log(x);\n";

    @Test
    void modulesAndStylesAreServedUnderContentHashedNamesCachedForAYear() throws IOException {
        Map<String, UiAssets.Asset> served = UiAssets.build(sources(MAIN));
        String main = served.keySet().stream().filter(k -> k.startsWith("assets/app/main.")).findFirst().orElseThrow();
        assertThat(main).matches("assets/app/main\\.[0-9a-f]{10}\\.js");
        assertThat(main).isEqualTo("assets/" + UiAssets.hashedName("app/main.js", served.get(main).content()));
        assertThat(served).containsKeys(main, "favicon.svg", "index.html")
                .doesNotContainKeys("app/main.js", "assets/app/main.js", "importmap.json");
        assertThat(served.keySet()).noneMatch(k -> k.startsWith("assets/app/api."));   // joined into main
        assertThat(served.get(main).cacheControl()).isEqualTo("public, max-age=31536000, immutable");
        assertThat(served.get(main).contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(served.get("index.html").cacheControl()).isEqualTo("no-cache");
        assertThat(served.get("favicon.svg").cacheControl()).isEqualTo("no-cache");
    }

    @Test
    void theIndexNamesTheJoinedModuleAndMapsAndPreloadsTheLibraries() throws IOException {
        Map<String, UiAssets.Asset> served = UiAssets.build(sources(MAIN));
        String index = new String(served.get("index.html").content(), StandardCharsets.UTF_8);
        String main = served.keySet().stream().filter(k -> k.startsWith("assets/app/main.")).findFirst().orElseThrow();
        String joined = new String(served.get(main).content(), StandardCharsets.UTF_8);
        assertThat(joined).contains("const x = 1;").contains("console.log(x);").doesNotContain("export ").doesNotContain("import {");
        String preact = "/assets/" + UiAssets.hashedName("lib/preact.module.js", bytes("export function h(){}"));
        assertThat(index).contains("src=\"/" + main + "\"")
                .contains("href=\"/assets/" + UiAssets.hashedName("app/app.css", bytes("body{}")) + "\"")
                .contains("<script type=\"importmap\">")
                .contains("\"preact\":\"" + preact + "\"")
                .contains("<link rel=\"modulepreload\" href=\"" + preact + "\">")
                .doesNotContain("/assets/app/api")
                .doesNotContain("%asset:").doesNotContain("tarn:modules");
    }

    @Test
    void textFilesAreKeptCompressedWithTheirOwnETag() throws IOException {
        String big = "export const x = 1;\n" + "// a comment that repeats itself\n".repeat(100);
        Map<String, byte[]> files = new java.util.HashMap<>(sources("import { x } from './api.js';"));
        files.put("app/api.js", bytes(big));
        Map<String, UiAssets.Asset> served = UiAssets.build(files);
        String main = served.keySet().stream().filter(k -> k.startsWith("assets/app/main.")).findFirst().orElseThrow();
        UiAssets.Asset asset = served.get(main);
        assertThat(asset.gzip()).isNotNull();
        assertThat(asset.gzip().length).isLessThan(asset.content().length / 5);
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(asset.gzip()))) {
            assertThat(in.readAllBytes()).isEqualTo(asset.content());
        }
        assertThat(asset.gzipEtag()).isNotEqualTo(asset.etag()).endsWith("-gzip\"");
        // too small to gain, or already compressed: served as they are
        assertThat(served.get("favicon.svg").gzip()).isNull();
        assertThat(UiAssets.asset("x.png", new byte[4096], "no-cache").gzip()).isNull();
    }

    @Test
    void acceptEncodingIsReadAsHttpSaysIncludingQZero() {
        assertThat(WebUiSurface.acceptsGzip("gzip, deflate, br, zstd")).isTrue();
        assertThat(WebUiSurface.acceptsGzip("br;q=1.0, gzip;q=0.8")).isTrue();
        assertThat(WebUiSurface.acceptsGzip("*")).isTrue();
        assertThat(WebUiSurface.acceptsGzip(null)).isFalse();
        assertThat(WebUiSurface.acceptsGzip("identity")).isFalse();
        assertThat(WebUiSurface.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(WebUiSurface.acceptsGzip("gzip; q=0.000, *")).isFalse();
        assertThat(WebUiSurface.acceptsGzip("br, *;q=0")).isFalse();
    }

    @Test
    void aChangedModuleGetsANewNameAndANewIndex() throws IOException {
        Map<String, UiAssets.Asset> before = UiAssets.build(sources("console.log(1);"));
        Map<String, UiAssets.Asset> after = UiAssets.build(sources("console.log(2);"));
        assertThat(before.keySet()).isNotEqualTo(after.keySet());
        assertThat(before.get("index.html").etag()).isNotEqualTo(after.get("index.html").etag());
        assertThat(UiAssets.build(sources("console.log(1);")).get("index.html").etag())
                .isEqualTo(before.get("index.html").etag());
    }

    @Test
    void anIndexNamingAMissingFileFailsAtStart() {
        Map<String, byte[]> broken = new java.util.HashMap<>(sources("x"));
        broken.remove("app/app.css");
        assertThatThrownBy(() -> UiAssets.build(broken)).isInstanceOf(IOException.class).hasMessageContaining("app/app.css");
        Map<String, byte[]> badMap = new java.util.HashMap<>(sources("x"));
        badMap.remove("lib/preact.module.js");
        assertThatThrownBy(() -> UiAssets.build(badMap)).isInstanceOf(IOException.class).hasMessageContaining("importmap.json");
        assertThatThrownBy(() -> UiAssets.build(Map.of("app/x.js", bytes("")))).isInstanceOf(IOException.class)
                .hasMessageContaining("index.html");
    }
}
