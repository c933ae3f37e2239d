package io.tarn.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link BlockStore} must have. Each backend's test subclasses this and says
 * how to open a store and how its namespaces look.
 */
public abstract class BlockStoreContractTest {
    protected static final int MIB = 1024 * 1024;
    /** Large enough to span many internal chunks and, on S3, several parts of an unknown-length put. */
    protected static final int BIG = 9 * MIB + 7;
    /** The smallest part size S3 accepts for all parts but the last. */
    protected static final int MIN_PART = 5 * MIB;

    protected BlockStore store;
    protected StorageNamespace ns;

    /** Opens a fresh store (or a store on fresh storage) for one test. */
    protected abstract BlockStore openStore() throws Exception;

    /** A namespace URI of this store's type that no other test uses. */
    protected abstract String freshNamespaceUri();

    /** Namespace URIs that are of this store's type but must be rejected (escapes, malformed). */
    protected abstract List<String> invalidNamespaceUris();

    /** Whether the backend makes presigned URLs. */
    protected boolean supportsPresign() {
        return false;
    }

    @BeforeEach
    void openAndPickNamespace() throws Exception {
        store = openStore();
        ns = store.namespace(freshNamespaceUri());
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    protected PutResult put(String key, byte[] data) {
        return store.put(ns, key, new ByteArrayInputStream(data), data.length);
    }

    protected byte[] read(String key, ByteRange range) {
        try (InputStream in = store.get(ns, key, range)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected TestData.Summary summary(String key) {
        try (InputStream in = store.get(ns, key, null)) {
            return TestData.md5(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A stream that hides its length (no available(), reads in odd-sized pieces). */
    private static InputStream unknownLength(InputStream in) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, Math.min(len, 7001));
            }
        };
    }

    // ---- put / get / stat ----------------------------------------------------------------------

    @ParameterizedTest(name = "size {0}, known length")
    @ValueSource(ints = {0, 1, 100_000, BIG})
    void putKnownLengthStoresBytesWithMd5AndSize(int size) {
        PutResult r = store.put(ns, "data/obj", TestData.stream(size, size), size);
        String md5 = TestData.md5(size, size);
        assertThat(r.size()).isEqualTo(size);
        assertThat(r.etag()).isEqualTo(md5);
        assertThat(summary("data/obj")).isEqualTo(new TestData.Summary(size, md5));
        BlockStat stat = store.stat(ns, "data/obj").orElseThrow();
        assertThat(stat.size()).isEqualTo(size);
        assertThat(Md5.stripQuotes(stat.etag())).isEqualTo(md5);
        assertThat(stat.lastModified()).isNotNull();
    }

    @ParameterizedTest(name = "size {0}, unknown length")
    @ValueSource(ints = {0, 1, 100_000, BIG, 2 * BIG})
    void putUnknownLengthStoresBytesWithMd5AndSize(int size) {
        PutResult r = store.put(ns, "data/obj", unknownLength(TestData.stream(size, size)), -1);
        String md5 = TestData.md5(size, size);
        assertThat(r.size()).isEqualTo(size);
        assertThat(r.etag()).isEqualTo(md5);
        assertThat(summary("data/obj")).isEqualTo(new TestData.Summary(size, md5));
        assertThat(store.stat(ns, "data/obj").orElseThrow().size()).isEqualTo(size);
    }

    @Test
    void putReplacesAnEarlierObject() {
        put("k", utf8("first version"));
        PutResult r = put("k", utf8("second"));
        assertThat(read("k", null)).isEqualTo(utf8("second"));
        assertThat(r.etag()).isEqualTo(Md5.hexOf(utf8("second")));
        assertThat(store.stat(ns, "k").orElseThrow().size()).isEqualTo(6);
    }

    @Test
    void keysWithUnusualButValidCharactersWork() {
        for (String key : List.of("a b/c d.txt", "ünïcødé/文件.parquet", "x/y=1/z+2/%41", ".hidden/file",
                "a/..b/c..", "-dash_underscore~tilde")) {
            put(key, utf8(key));
            assertThat(read(key, null)).as(key).isEqualTo(utf8(key));
        }
    }

    @Test
    void keysOfDifferentNamespacesDoNotCollide() {
        StorageNamespace other = store.namespace(freshNamespaceUri());
        put("same/key", utf8("one"));
        store.put(other, "same/key", new ByteArrayInputStream(utf8("two")), 3);
        assertThat(read("same/key", null)).isEqualTo(utf8("one"));
        assertThat(store.stat(other, "same/key").orElseThrow().size()).isEqualTo(3);
    }

    @Test
    void getOfMissingObjectIsNotFound() {
        assertThatThrownBy(() -> store.get(ns, "nope", null)).isInstanceOf(BlockNotFoundException.class);
        assertThatThrownBy(() -> store.get(ns, "nope", new ByteRange(0, 0)))
                .isInstanceOf(BlockNotFoundException.class);
        assertThat(store.stat(ns, "nope")).isEmpty();
    }

    // ---- ranges --------------------------------------------------------------------------------

    @Test
    void rangeReadsReturnExactlyTheRequestedBytes() {
        int size = 300_001;
        byte[] data = TestData.bytes(size, 42);
        put("r", data);
        assertThat(read("r", new ByteRange(0, 0))).containsExactly(data[0]);
        assertThat(read("r", new ByteRange(size - 1, size - 1))).containsExactly(data[size - 1]);
        assertThat(read("r", new ByteRange(65_530, 200_017)))
                .isEqualTo(java.util.Arrays.copyOfRange(data, 65_530, 200_018));
        assertThat(read("r", new ByteRange(0, size - 1))).isEqualTo(data);
        assertThat(read("r", new ByteRange(size - 10, size + 1000)))
                .as("a range past the end is cut at the end")
                .isEqualTo(java.util.Arrays.copyOfRange(data, size - 10, size));
    }

    @Test
    void rangeReadOfOneByteObject() {
        put("one", new byte[] {42});
        assertThat(read("one", new ByteRange(0, 0))).containsExactly(42);
    }

    // ---- delete / copy -------------------------------------------------------------------------

    @Test
    void deleteRemovesAndIsIdempotent() {
        put("d/x", utf8("x"));
        store.delete(ns, "d/x");
        assertThat(store.stat(ns, "d/x")).isEmpty();
        assertThatThrownBy(() -> store.get(ns, "d/x", null)).isInstanceOf(BlockNotFoundException.class);
        store.delete(ns, "d/x");
        store.delete(ns, "never/was");
    }

    @Test
    void copyDuplicatesContentAndEtag() {
        byte[] data = TestData.bytes(123_456, 7);
        PutResult orig = put("src/a", data);
        StorageNamespace other = store.namespace(freshNamespaceUri());
        PutResult c1 = store.copy(ns, "src/a", ns, "dst/b");
        PutResult c2 = store.copy(ns, "src/a", other, "elsewhere");
        assertThat(c1).isEqualTo(orig);
        assertThat(c2).isEqualTo(orig);
        assertThat(read("dst/b", null)).isEqualTo(data);
        try (InputStream in = store.get(other, "elsewhere", null)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.delete(ns, "src/a");
        assertThat(read("dst/b", null)).as("a copy does not depend on its source").isEqualTo(data);
    }

    @Test
    void copyOfMissingObjectIsNotFound() {
        assertThatThrownBy(() -> store.copy(ns, "missing", ns, "dst"))
                .isInstanceOf(BlockNotFoundException.class);
        assertThat(store.stat(ns, "dst")).isEmpty();
    }

    // ---- failed uploads leave nothing ----------------------------------------------------------

    @ParameterizedTest(name = "declared length {0}")
    @ValueSource(longs = {-1, 3 * MIB})
    void streamThatFailsMidwayLeavesNothing(long declared) {
        assertThatThrownBy(() -> store.put(ns, "broken", TestData.failingAfter(MIB + 5, 1), declared))
                .isInstanceOf(IncompleteUploadException.class);
        assertThat(store.stat(ns, "broken")).isEmpty();
    }

    @ParameterizedTest(name = "declared length {0}")
    @ValueSource(longs = {-1, 3 * MIB})
    void streamThatFailsMidwayKeepsTheEarlierObject(long declared) {
        put("kept", utf8("earlier"));
        assertThatThrownBy(() -> store.put(ns, "kept", TestData.failingAfter(MIB + 5, 1), declared))
                .isInstanceOf(IncompleteUploadException.class);
        assertThat(read("kept", null)).isEqualTo(utf8("earlier"));
    }

    @ParameterizedTest(name = "declared length {0}")
    @ValueSource(longs = {-1, 10 * MIB})
    void streamThatFailsAfterSeveralMiBLeavesNothing(long declared) {
        put("later", utf8("earlier"));
        assertThatThrownBy(() -> store.put(ns, "later", TestData.failingAfter(6 * MIB + 1, 2), declared))
                .isInstanceOf(IncompleteUploadException.class);
        assertThat(read("later", null)).isEqualTo(utf8("earlier"));
        assertThatThrownBy(() -> store.put(ns, "never", TestData.failingAfter(6 * MIB + 1, 2), declared))
                .isInstanceOf(IncompleteUploadException.class);
        assertThat(store.stat(ns, "never")).isEmpty();
    }

    @Test
    void streamShorterThanDeclaredLengthLeavesNothing() {
        assertThatThrownBy(() -> store.put(ns, "short", TestData.stream(1000, 1), 1001))
                .isInstanceOf(IncompleteUploadException.class);
        assertThat(store.stat(ns, "short")).isEmpty();
        put("short", utf8("old"));
        assertThatThrownBy(() -> store.put(ns, "short", TestData.stream(2 * MIB, 1), 2 * MIB + 1))
                .isInstanceOf(IncompleteUploadException.class);
        assertThat(read("short", null)).isEqualTo(utf8("old"));
    }

    @Test
    void streamLongerThanDeclaredLengthLeavesNothing() {
        assertThatThrownBy(() -> store.put(ns, "long", TestData.stream(1001, 1), 1000))
                .isInstanceOf(IncompleteUploadException.class);
        assertThat(store.stat(ns, "long")).isEmpty();
        assertThatThrownBy(() -> store.put(ns, "long", TestData.stream(1, 1), 0))
                .isInstanceOf(IncompleteUploadException.class);
        assertThat(store.stat(ns, "long")).isEmpty();
    }

    // ---- multipart -----------------------------------------------------------------------------

    @Test
    void multipartUploadAssemblesPartsInOrder() {
        String id = store.createMultipartUpload(ns, "mp/obj");
        byte[] p2 = TestData.bytes(1234, 2);
        PartResult r2 = store.uploadPart(ns, "mp/obj", id, 2, new ByteArrayInputStream(p2), p2.length);
        PartResult r1 = store.uploadPart(ns, "mp/obj", id, 1, TestData.stream(MIN_PART, 1), MIN_PART);
        assertThat(r1).isEqualTo(new PartResult(1, MIN_PART, TestData.md5(MIN_PART, 1)));
        assertThat(r2).isEqualTo(new PartResult(2, p2.length, Md5.hexOf(p2)));
        assertThat(store.stat(ns, "mp/obj")).as("invisible until completed").isEmpty();

        List<PartResult> listed = store.listParts(ns, "mp/obj", id);
        assertThat(listed).extracting(PartResult::partNumber).containsExactly(1, 2);
        assertThat(listed).extracting(PartResult::size).containsExactly((long) MIN_PART, (long) p2.length);
        assertThat(listed).extracting(p -> Md5.stripQuotes(p.etag())).containsExactly(r1.etag(), r2.etag());

        PutResult done = store.completeMultipartUpload(ns, "mp/obj", id, List.of(r1, r2));
        assertThat(done.size()).isEqualTo(MIN_PART + p2.length);
        assertThat(done.etag()).isEqualTo(Md5.multipartEtag(List.of(r1.etag(), r2.etag())));
        assertThat(done.etag()).endsWith("-2");

        var whole = new java.io.SequenceInputStream(TestData.stream(MIN_PART, 1), new ByteArrayInputStream(p2));
        TestData.Summary expected;
        try {
            expected = TestData.md5(whole);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(summary("mp/obj")).isEqualTo(expected);
        BlockStat stat = store.stat(ns, "mp/obj").orElseThrow();
        assertThat(stat.size()).isEqualTo(MIN_PART + p2.length);
        assertThat(Md5.stripQuotes(stat.etag())).isEqualTo(done.etag());
        assertThatThrownBy(() -> store.listParts(ns, "mp/obj", id))
                .as("a completed upload is gone").isInstanceOf(BlockNotFoundException.class);
    }

    @Test
    void multipartPartsOfUnknownLength() {
        String id = store.createMultipartUpload(ns, "mp/unknown");
        PartResult p1 = store.uploadPart(ns, "mp/unknown", id, 1, unknownLength(TestData.stream(MIN_PART, 5)), -1);
        PartResult p2 = store.uploadPart(ns, "mp/unknown", id, 2, unknownLength(TestData.stream(10, 6)), -1);
        assertThat(p1).isEqualTo(new PartResult(1, MIN_PART, TestData.md5(MIN_PART, 5)));
        assertThat(p2).isEqualTo(new PartResult(2, 10, TestData.md5(10, 6)));
        PutResult done = store.completeMultipartUpload(ns, "mp/unknown", id, List.of(p1, p2));
        assertThat(done.size()).isEqualTo(MIN_PART + 10);
        assertThat(read("mp/unknown", new ByteRange(MIN_PART, MIN_PART + 9))).isEqualTo(TestData.bytes(10, 6));
    }

    @Test
    void multipartReuploadOfAPartReplacesIt() {
        String id = store.createMultipartUpload(ns, "mp/re");
        store.uploadPart(ns, "mp/re", id, 1, new ByteArrayInputStream(utf8("old")), 3);
        PartResult p = store.uploadPart(ns, "mp/re", id, 1, new ByteArrayInputStream(utf8("new!")), 4);
        assertThat(store.listParts(ns, "mp/re", id)).hasSize(1);
        PutResult done = store.completeMultipartUpload(ns, "mp/re", id, List.of(p));
        assertThat(done.size()).isEqualTo(4);
        assertThat(read("mp/re", null)).isEqualTo(utf8("new!"));
    }

    @Test
    void multipartAbortDropsEverything() {
        put("mp/keep", utf8("before"));
        String id = store.createMultipartUpload(ns, "mp/keep");
        store.uploadPart(ns, "mp/keep", id, 1, new ByteArrayInputStream(utf8("part")), 4);
        store.abortMultipartUpload(ns, "mp/keep", id);
        assertThat(read("mp/keep", null)).isEqualTo(utf8("before"));
        assertThatThrownBy(() -> store.listParts(ns, "mp/keep", id)).isInstanceOf(BlockNotFoundException.class);
        assertThatThrownBy(() -> store.uploadPart(ns, "mp/keep", id, 2, new ByteArrayInputStream(utf8("x")), 1))
                .isInstanceOf(BlockNotFoundException.class);
    }

    @Test
    void multipartCompleteRejectsBadPartLists() {
        String id = store.createMultipartUpload(ns, "mp/bad");
        PartResult p1 = store.uploadPart(ns, "mp/bad", id, 1, TestData.stream(MIN_PART, 3), MIN_PART);
        PartResult p2 = store.uploadPart(ns, "mp/bad", id, 2, new ByteArrayInputStream(utf8("tail")), 4);
        assertThatThrownBy(() -> store.completeMultipartUpload(ns, "mp/bad", id,
                List.of(p1, new PartResult(2, 4, Md5.hexOf(utf8("other"))))))
                .isInstanceOf(InvalidPartException.class);
        assertThatThrownBy(() -> store.completeMultipartUpload(ns, "mp/bad", id,
                List.of(p1, new PartResult(3, 4, p2.etag()))))
                .isInstanceOf(InvalidPartException.class);
        assertThatThrownBy(() -> store.completeMultipartUpload(ns, "mp/bad", id, List.of(p2, p1)))
                .isInstanceOf(InvalidPartException.class);
        assertThatThrownBy(() -> store.completeMultipartUpload(ns, "mp/bad", id, List.of()))
                .isInstanceOf(InvalidPartException.class);
        assertThat(store.stat(ns, "mp/bad")).isEmpty();
        // The upload survives the rejected attempts and can still be completed.
        PutResult done = store.completeMultipartUpload(ns, "mp/bad", id, List.of(p1, p2));
        assertThat(done.size()).isEqualTo(MIN_PART + 4);
    }

    @Test
    void multipartPartThatFailsMidwayIsNotListed() {
        String id = store.createMultipartUpload(ns, "mp/fail");
        assertThatThrownBy(() -> store.uploadPart(ns, "mp/fail", id, 1, TestData.failingAfter(MIB, 1), 2 * MIB))
                .isInstanceOf(IncompleteUploadException.class);
        assertThat(store.listParts(ns, "mp/fail", id)).isEmpty();
        store.abortMultipartUpload(ns, "mp/fail", id);
    }

    @Test
    void multipartOfUnknownUploadIsNotFound() {
        assertThatThrownBy(() -> store.listParts(ns, "mp/x", "no-such-upload"))
                .isInstanceOf(BlockNotFoundException.class);
        assertThatThrownBy(() -> store.uploadPart(ns, "mp/x", "no-such-upload", 1,
                new ByteArrayInputStream(utf8("x")), 1)).isInstanceOf(BlockNotFoundException.class);
        assertThatThrownBy(() -> store.completeMultipartUpload(ns, "mp/x", "no-such-upload",
                List.of(new PartResult(1, 1, Md5.hexOf(utf8("x")))))).isInstanceOf(BlockNotFoundException.class);
    }

    @Test
    void multipartRejectsPartNumbersOutOfRange() {
        String id = store.createMultipartUpload(ns, "mp/n");
        for (int n : new int[] {0, -1, 10_001}) {
            assertThatThrownBy(() -> store.uploadPart(ns, "mp/n", id, n, new ByteArrayInputStream(utf8("x")), 1))
                    .isInstanceOf(InvalidPartException.class);
        }
        store.abortMultipartUpload(ns, "mp/n", id);
    }

    // ---- concurrency ---------------------------------------------------------------------------

    @Test
    void concurrentPutsOfOneKeyLeaveOneWholeVersion() throws Exception {
        int writers = 6;
        int size = 300_000;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<PutResult>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                long seed = 100 + w;
                long declared = w % 2 == 0 ? size : -1;
                results.add(pool.submit(() -> store.put(ns, "contended", TestData.stream(size, seed), declared)));
            }
            List<String> md5s = new ArrayList<>();
            for (var f : results) {
                md5s.add(f.get().etag());
            }
            TestData.Summary now = summary("contended");
            assertThat(now.size()).isEqualTo(size);
            assertThat(md5s).as("the stored bytes are exactly one writer's").contains(now.md5Hex());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentPutsOfManyKeysInOneNewFolder() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<PutResult>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                byte[] data = utf8("object " + i);
                String key = "fresh/folder/" + i;
                results.add(pool.submit(() -> store.put(ns, key, new ByteArrayInputStream(data), data.length)));
            }
            for (var f : results) {
                f.get();
            }
            for (int i = 0; i < 40; i++) {
                assertThat(read("fresh/folder/" + i, null)).isEqualTo(utf8("object " + i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- keys and namespaces -------------------------------------------------------------------

    @ParameterizedTest(name = "key [{0}]")
    @ValueSource(strings = {"", "/abs", "/", "a/../b", "..", ".", "./a", "a/.", "a/./b", "a//b", "a/",
        "a\u0000b", "a\\..\\b", "..\\x", "a\\b", "c:/x", "a\nb"})
    void invalidKeysAreRejected(String key) {
        assertThatThrownBy(() -> store.put(ns, key, new ByteArrayInputStream(utf8("x")), 1))
                .isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> store.get(ns, key, null)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> store.stat(ns, key)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> store.delete(ns, key)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> store.createMultipartUpload(ns, key)).isInstanceOf(InvalidKeyException.class);
        put("good", utf8("g"));
        assertThatThrownBy(() -> store.copy(ns, "good", ns, key)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> store.copy(ns, key, ns, "good2")).isInstanceOf(InvalidKeyException.class);
        assertThat(store.stat(ns, "good2")).isEmpty();
    }

    @Test
    void nullKeyIsRejected() {
        assertThatThrownBy(() -> store.stat(ns, null)).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void namespacesOfOtherSchemesAreRejectedWithAClearMessage() {
        for (String scheme : List.of("local", "s3", "mem", "gs", "file", "http")) {
            if (scheme.equals(store.type())) {
                continue;
            }
            String uri = scheme + "://bucket-name/prefix";
            assertThatThrownBy(() -> store.namespace(uri))
                    .isInstanceOf(InvalidNamespaceException.class)
                    .hasMessageContaining("'" + scheme + "'")
                    .hasMessageContaining("'" + store.type() + "'");
        }
        StorageNamespace foreign = new StorageNamespace("gs://b/p", "gs", "b", "p");
        assertThatThrownBy(() -> store.put(foreign, "k", new ByteArrayInputStream(utf8("x")), 1))
                .isInstanceOf(InvalidNamespaceException.class);
        assertThatThrownBy(() -> store.stat(foreign, "k")).isInstanceOf(InvalidNamespaceException.class);
    }

    @Test
    void malformedNamespacesAreRejected() {
        List<String> bad = new ArrayList<>(List.of("", " ", "no-scheme", "://x", store.type() + ":/x"));
        bad.addAll(invalidNamespaceUris());
        for (String uri : bad) {
            assertThatThrownBy(() -> store.namespace(uri)).as(uri).isInstanceOf(InvalidNamespaceException.class);
        }
    }

    @Test
    void namespaceKeepsTheUriAsWritten() {
        String uri = freshNamespaceUri();
        StorageNamespace parsed = store.namespace(uri);
        assertThat(parsed.uri()).isEqualTo(uri);
        assertThat(parsed.scheme()).isEqualTo(store.type());
        assertThat(store.namespace(uri + "/")).isNotNull();
    }

    // ---- presign -------------------------------------------------------------------------------

    @Test
    void presignedUrlsWorkWhereSupported() throws Exception {
        put("p/get", utf8("presigned content"));
        Optional<URI> get = store.presignGet(ns, "p/get", Duration.ofMinutes(5));
        Optional<URI> putUrl = store.presignPut(ns, "p/put", Duration.ofMinutes(5));
        if (!supportsPresign()) {
            assertThat(get).isEmpty();
            assertThat(putUrl).isEmpty();
            return;
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(get.orElseThrow()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(utf8("presigned content"));
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(putUrl.orElseThrow())
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(utf8("uploaded"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(read("p/put", null)).isEqualTo(utf8("uploaded"));
        assertThatThrownBy(() -> store.presignGet(ns, "../x", Duration.ofMinutes(1)))
                .isInstanceOf(InvalidKeyException.class);
    }

    protected static String uniqueName() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    // ---- listing -------------------------------------------------------------------------------

    private List<BlockListing> listAll(String prefix) {
        List<BlockListing> out = new ArrayList<>();
        try (BlockList it = store.list(ns, prefix)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /**
     * Whether keys with characters outside the BMP list in UTF-8 byte order (AWS S3 does; S3Proxy sorts
     * them as Java strings). Engine-made keys are ASCII, and the garbage collector never relies on it.
     */
    protected boolean listsSupplementaryCharactersInUtf8Order() {
        return true;
    }

    @Test
    void listStreamsKeysInUtf8ByteOrderWithSizesAndTimes() {
        java.time.Instant before = java.time.Instant.now().minusSeconds(2);
        // '-' (0x2d) sorts before '/' (0x2f), '0' after it: a folder 'a' must list between them
        List<String> keys = new ArrayList<>(List.of("a-c", "a/b", "a/z/1", "a0", "b", "\u00e9t\u00e9", "\uffe0"));
        if (listsSupplementaryCharactersInUtf8Order()) {
            keys.add("\ud83d\ude00");
        }
        for (String k : keys) {
            put(k, k.getBytes(StandardCharsets.UTF_8));
        }
        List<BlockListing> all = listAll("");
        assertThat(all).extracting(BlockListing::key).containsExactlyElementsOf(keys);
        for (BlockListing l : all) {
            assertThat(l.size()).isEqualTo(l.key().getBytes(StandardCharsets.UTF_8).length);
            assertThat(l.lastModified()).isAfter(before).isBefore(java.time.Instant.now().plusSeconds(2));
        }
    }

    @Test
    void listHonoursThePrefixAndStaysInsideTheNamespace() {
        put("data/p1/x", new byte[] {1});
        put("data/p1/y", new byte[] {1, 2});
        put("data/p2/z", new byte[] {3});
        put("database", new byte[] {4});
        put("_tarn/ranges/r1", new byte[] {5});
        StorageNamespace other = store.namespace(freshNamespaceUri());
        store.put(other, "data/p1/elsewhere", new ByteArrayInputStream(new byte[] {9}), 1);
        assertThat(listAll("data/")).extracting(BlockListing::key).containsExactly("data/p1/x", "data/p1/y", "data/p2/z");
        assertThat(listAll("data/p1/")).extracting(BlockListing::key).containsExactly("data/p1/x", "data/p1/y");
        assertThat(listAll("data")).extracting(BlockListing::key)
                .containsExactly("data/p1/x", "data/p1/y", "data/p2/z", "database");
        assertThat(listAll("nothing/")).isEmpty();
        assertThat(listAll("data/p1/y")).singleElement().satisfies(l -> assertThat(l.size()).isEqualTo(2));
    }

    @Test
    void listOfAnEmptyOrUnusedNamespaceIsEmpty() {
        assertThat(listAll("")).isEmpty();
        assertThat(listAll("data/")).isEmpty();
    }

    @Test
    void listDoesNotShowDeletedObjectsNorUploadsInProgress() {
        put("k/1", new byte[] {1});
        put("k/2", new byte[] {2});
        store.delete(ns, "k/1");
        String id = store.createMultipartUpload(ns, "k/3");
        store.uploadPart(ns, "k/3", id, 1, new ByteArrayInputStream(new byte[] {7}), 1);
        assertThat(listAll("k/")).extracting(BlockListing::key).containsExactly("k/2");
        store.abortMultipartUpload(ns, "k/3", id);
    }

    @Test
    void listPagesThroughManyObjects() {
        int n = 1_234;
        for (int i = 0; i < n; i++) {
            put(String.format("many/%05d", i), new byte[] {(byte) i});
        }
        List<BlockListing> all = listAll("many/");
        assertThat(all).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(all.get(i).key()).isEqualTo(String.format("many/%05d", i));
        }
    }

    @Test
    void listRejectsAnInvalidPrefix() {
        assertThatThrownBy(() -> store.list(ns, "../x")).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> store.list(ns, "a//b")).isInstanceOf(InvalidKeyException.class);
    }
}
