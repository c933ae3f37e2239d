package io.tarn.bench;

import io.tarn.api.common.AccessTable;
import io.tarn.api.http.ApiRequest;
import io.tarn.auth.AuthService;
import io.tarn.auth.Credentials;
import io.tarn.auth.Principal;
import io.tarn.auth.SecretBox;
import io.tarn.auth.policy.Permission;
import io.tarn.kv.memory.MemoryKvStore;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The auth path of one classic statObject request, in-process and warm: the basic credentials checked
 * ({@code AuthService.authenticate}, remembered), the permissions of the access table filled in and the
 * decision of the directory, for the admin (group Admins) and a user of group Viewers. Prints, per
 * user, nanoseconds per request for the whole path and for table + decision alone, each the median and
 * the minimum over the rounds (the minimum is what survives a shared machine best).
 *
 * <p>Usage: {@code java -cp tarn.jar:classes io.tarn.bench.AuthPathBench [REQUESTS_PER_ROUND] [LABEL]}.
 */
public final class AuthPathBench {
    private AuthPathBench() {}

    /** A statObject request as the router hands it over: path and query parameters only. */
    private record StatRequest(Map<String, String> path, Map<String, String> query) implements ApiRequest {
        public String method() {
            return "GET";
        }

        public String operationId() {
            return "statObject";
        }

        public String pathParam(String name) {
            return path.get(name);
        }

        public Optional<String> query(String name) {
            return Optional.ofNullable(query.get(name));
        }

        public List<String> queryAll(String name) {
            return query(name).stream().toList();
        }

        public Optional<String> header(String name) {
            return Optional.empty();
        }

        public Optional<Principal> principal() {
            return Optional.empty();
        }

        public boolean hasBody() {
            return false;
        }

        public <T> T jsonBody(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        public InputStream multipartFile(String name) {
            throw new UnsupportedOperationException();
        }

        public InputStream body() {
            throw new UnsupportedOperationException();
        }
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        String label = args.length > 1 ? args[1] : "tarn";
        AuthService auth = new AuthService(new MemoryKvStore(), new SecretBox("bench"));
        Credentials admin = auth.setup("admin");
        auth.directory().createUser("viewer", null, null);
        auth.directory().addMember("Viewers", "viewer");
        Credentials viewer = auth.createCredentials("viewer");
        AccessTable.Rule rule = AccessTable.CLASSIC.get("statObject");
        StatRequest request = new StatRequest(Map.of("repository", "bench-r", "ref", "main"), Map.of("path", "a/b.bin"));
        int rounds = 10;
        int warmup = 3;
        List<Credentials> users = List.of(admin, viewer);
        long[][][] ns = new long[users.size()][2][rounds];
        long allowed = 0;
        for (int round = 0; round < warmup + rounds; round++) {
            for (int u = 0; u < users.size(); u++) {
                Credentials c = users.get(round % 2 == 0 ? u : users.size() - 1 - u);
                int slot = users.indexOf(c);
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    String user = auth.authenticate(c.accessKeyId(), c.secretAccessKey()).orElseThrow();
                    List<Permission> required = AccessTable.required(rule, request);
                    allowed += auth.directory().decide(user, required).allowed() ? 1 : 0;
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    List<Permission> required = AccessTable.required(rule, request);
                    allowed += auth.directory().decide(c.userId(), required).allowed() ? 1 : 0;
                }
                long t2 = System.nanoTime();
                if (round >= warmup) {
                    ns[slot][0][round - warmup] = (t1 - t0) / n;
                    ns[slot][1][round - warmup] = (t2 - t1) / n;
                }
            }
        }
        if (allowed != 2L * n * users.size() * (warmup + rounds)) {
            throw new AssertionError("a request was denied");
        }
        for (int u = 0; u < users.size(); u++) {
            System.out.printf("%s %s: whole auth path %s ns/request, table + decision %s ns/request%n", label,
                    users.get(u).userId(), stats(ns[u][0]), stats(ns[u][1]));
        }
    }

    private static String stats(long[] values) {
        List<Long> sorted = new ArrayList<>();
        for (long v : values) {
            sorted.add(v);
        }
        sorted.sort(null);
        return "median " + sorted.get(sorted.size() / 2) + " (min " + sorted.getFirst() + ")";
    }
}
