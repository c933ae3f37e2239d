package io.tarn.server;

import io.tarn.config.TarnConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A whole Tarn server for tests: in-memory stores, a free local port, one installed user, a silent console. */
public final class MemoryServers {
    private MemoryServers() {}

    /** {@code settings} are added to (or replace) the defaults, e.g. {@code gateways.s3.domain_name}. */
    public static TarnServer start(Path dir, String encryptionKey, String accessKeyId, String secret,
            Map<String, String> settings) throws Exception {
        Map<String, String> f = new HashMap<>();
        f.put("listen_address", "127.0.0.1:0");
        f.put("database.type", "mem");
        f.put("blockstore.type", "mem");
        f.put("database.local.path", dir.resolve("metadata").toString());
        f.put("committed.local_cache.dir", dir.resolve("cache").toString());
        f.put("auth.encrypt.secret_key", encryptionKey);
        f.put("installation.user_name", "tester");
        f.put("installation.access_key_id", accessKeyId);
        f.put("installation.secret_access_key", secret);
        f.putAll(settings);
        return TarnServer.start(TarnConfig.load(null, Map.of(), f).config(), TarnServer.DEFAULT_ENGINE,
                new PrintWriter(new StringWriter()));
    }
}
