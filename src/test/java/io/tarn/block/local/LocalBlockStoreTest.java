package io.tarn.block.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.block.BlockNotFoundException;
import io.tarn.block.BlockStore;
import io.tarn.block.BlockStoreException;
import io.tarn.block.BlockStoreContractTest;
import io.tarn.block.InvalidKeyException;
import io.tarn.block.InvalidNamespaceException;
import io.tarn.block.PutResult;
import io.tarn.block.StorageNamespace;
import io.tarn.block.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlockStoreTest extends BlockStoreContractTest {
    @TempDir
    Path tmp;

    Path root;

    @Override
    protected BlockStore openStore() throws IOException {
        root = tmp.resolve("root");
        return new LocalBlockStore(root);
    }

    @Override
    protected String freshNamespaceUri() {
        return "local://repos/" + uniqueName();
    }

    @Override
    protected List<String> invalidNamespaceUris() {
        return List.of("local://", "local://../x", "local://a/../../x", "local:///etc", "local:///",
                "local://./x", "local://a//b", "local://a\\..\\..\\x", "local://x\u0000y",
                "local://" + LocalBlockStore.MULTIPART_DIR, "local://" + LocalBlockStore.MULTIPART_DIR + "/a",
                "local://a/" + LocalBlockStore.TEMP_PREFIX + "x");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every regular file under the root, except the store's own reserved folders. */
    private List<Path> visibleFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(root.resolve(LocalBlockStore.MULTIPART_DIR)))
                    .filter(p -> !p.getFileName().toString().startsWith(LocalBlockStore.TEMP_PREFIX))
                    .toList();
        }
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void objectsAreFilesUnderTheNamespaceFolder() throws IOException {
        put("a/b/c.txt", utf8("hello"));
        Path file = root.resolve(ns.prefix()).resolve("a/b/c.txt");
        assertThat(Files.readString(file)).isEqualTo("hello");
        assertThat(allFiles()).containsExactly(file);
    }

    @Test
    void aKeyBelowAnExistingObjectIsNotFoundAndCannotBeWritten() throws IOException {
        put("x/file", utf8("kept"));
        assertThatThrownBy(() -> store.get(ns, "x/file/child", null)).isInstanceOf(BlockNotFoundException.class);
        assertThat(store.stat(ns, "x/file/child")).isEmpty();
        store.delete(ns, "x/file/child"); // already absent: nothing to do, no error
        assertThatThrownBy(() -> put("x/file/child", utf8("no")))
                .isInstanceOf(BlockStoreException.class)
                .hasMessageContaining("is an object, not a folder");
        Path file = root.resolve(ns.prefix()).resolve("x/file");
        assertThat(Files.readString(file)).isEqualTo("kept");
        assertThat(allFiles()).containsExactly(file);
    }

    @Test
    void failedUploadsLeaveNoFilesBehind() throws IOException {
        put("x/keep", utf8("k"));
        assertThatThrownBy(() -> store.put(ns, "x/broken", TestData.failingAfter(3_000_000, 1), -1));
        assertThatThrownBy(() -> store.put(ns, "x/short", TestData.stream(10, 1), 11));
        assertThatThrownBy(() -> store.put(ns, "x/long", TestData.stream(12, 1), 11));
        assertThat(allFiles()).containsExactly(root.resolve(ns.prefix()).resolve("x/keep"));
    }

    @Test
    void multipartLeavesNothingAfterCompleteOrAbort() throws IOException {
        String a = store.createMultipartUpload(ns, "m/a");
        var p = store.uploadPart(ns, "m/a", a, 1, new ByteArrayInputStream(utf8("abc")), 3);
        String b = store.createMultipartUpload(ns, "m/b");
        store.uploadPart(ns, "m/b", b, 1, new ByteArrayInputStream(utf8("def")), 3);
        assertThat(visibleFiles()).isEmpty();
        store.completeMultipartUpload(ns, "m/a", a, List.of(p));
        store.abortMultipartUpload(ns, "m/b", b);
        assertThat(allFiles()).containsExactly(root.resolve(ns.prefix()).resolve("m/a"));
        try (Stream<Path> left = Files.list(root.resolve(LocalBlockStore.MULTIPART_DIR))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void uploadIdsCannotPointOutsideTheUploadsFolder() {
        for (String id : List.of("../../repos", "..", "", "x/../y")) {
            assertThatThrownBy(() -> store.listParts(ns, "k", id))
                    .isInstanceOf(io.tarn.block.BlockNotFoundException.class);
        }
        String id = store.createMultipartUpload(ns, "k");
        assertThatThrownBy(() -> store.listParts(ns, "other-key", id))
                .as("an upload belongs to its key").isInstanceOf(io.tarn.block.BlockNotFoundException.class);
        store.abortMultipartUpload(ns, "k", id);
    }

    @Test
    void namespaceThroughASymlinkOutOfTheRootIsRejected() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(root.resolve("evil"), outside);
        assertThatThrownBy(() -> store.namespace("local://evil"))
                .isInstanceOf(InvalidNamespaceException.class).hasMessageContaining("outside");
        assertThatThrownBy(() -> store.namespace("local://evil/repo/deeper"))
                .isInstanceOf(InvalidNamespaceException.class);
        StorageNamespace forged = new StorageNamespace("local://evil", "local", "", "evil");
        assertThatThrownBy(() -> store.put(forged, "x", new ByteArrayInputStream(utf8("x")), 1))
                .isInstanceOf(InvalidNamespaceException.class);
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
        // an object that exists behind the namespace's link is neither read, nor described, nor removed
        Files.writeString(outside.resolve("secret"), "secret");
        Files.createDirectories(outside.resolve("deep"));
        Files.writeString(outside.resolve("deep/secret"), "secret");
        for (String key : List.of("secret", "deep/secret", "missing", "deep/missing")) {
            assertThatThrownBy(() -> store.get(forged, key, null)).as(key).isInstanceOf(InvalidNamespaceException.class);
            assertThatThrownBy(() -> store.stat(forged, key)).as(key).isInstanceOf(InvalidNamespaceException.class);
            assertThatThrownBy(() -> store.delete(forged, key)).as(key).isInstanceOf(InvalidNamespaceException.class);
            assertThatThrownBy(() -> store.put(forged, key, new ByteArrayInputStream(utf8("x")), 1))
                    .as(key).isInstanceOf(InvalidNamespaceException.class);
        }
        assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("secret");
        assertThat(Files.readString(outside.resolve("deep/secret"))).isEqualTo("secret");
    }

    @Test
    void symlinkCreatedInsideANamespaceAfterwardsIsNotFollowedOut() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside2"));
        Files.writeString(outside.resolve("secret"), "secret");
        put("placeholder", utf8("p"));
        Path nsDir = root.resolve(ns.prefix());
        Files.createSymbolicLink(nsDir.resolve("link"), outside);
        Files.createSymbolicLink(nsDir.resolve("filelink"), outside.resolve("secret"));
        assertThatThrownBy(() -> store.get(ns, "link/secret", null)).isInstanceOf(InvalidNamespaceException.class);
        assertThatThrownBy(() -> store.get(ns, "filelink", null)).isInstanceOf(InvalidNamespaceException.class);
        assertThatThrownBy(() -> store.stat(ns, "filelink")).isInstanceOf(InvalidNamespaceException.class);
        assertThatThrownBy(() -> store.put(ns, "link/new", new ByteArrayInputStream(utf8("x")), 1))
                .isInstanceOf(InvalidNamespaceException.class);
        assertThatThrownBy(() -> store.copy(ns, "placeholder", ns, "link/copied"))
                .isInstanceOf(InvalidNamespaceException.class);
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).containsExactly(outside.resolve("secret"));
        }
    }

    @Test
    void symlinkStayingInsideTheRootIsAllowed() throws IOException {
        Files.createDirectories(root.resolve("real/place"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
        StorageNamespace aliased = store.namespace("local://alias/place");
        store.put(aliased, "f", new ByteArrayInputStream(utf8("ok")), 2);
        assertThat(Files.readString(root.resolve("real/place/f"))).isEqualTo("ok");
    }

    @Test
    void theRealNamespaceResolvesLinksInsideTheRoot() throws IOException {
        Files.createDirectories(root.resolve("real/place"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
        Files.createSymbolicLink(root.resolve("real/inner-alias"), root.resolve("real/place"));
        Files.createSymbolicLink(root.resolve("to-root"), root);
        assertThat(store.realNamespace(store.namespace("local://alias")).prefix()).isEqualTo("real");
        assertThat(store.realNamespace(store.namespace("local://alias/place/not/yet")).prefix())
                .as("the part that does not exist yet is kept").isEqualTo("real/place/not/yet");
        assertThat(store.realNamespace(store.namespace("local://alias/inner-alias/x")).prefix()).isEqualTo("real/place/x");
        assertThat(store.realNamespace(store.namespace("local://to-root/real")).prefix()).isEqualTo("real");
        assertThat(store.realNamespace(store.namespace("local://to-root")).prefix()).as("the root itself").isEmpty();
        StorageNamespace plain = store.namespace("local://real/place/");
        assertThat(store.realNamespace(plain)).isEqualTo(new StorageNamespace(plain.uri(), "local", "", "real/place"));
        assertThat(store.realNamespace(store.namespace("local://nothing/here")).prefix()).isEqualTo("nothing/here");
        Path outside = Files.createDirectories(tmp.resolve("outside3"));
        Files.createSymbolicLink(root.resolve("out"), outside);
        assertThatThrownBy(() -> store.realNamespace(new StorageNamespace("local://out/x", "local", "", "out/x")))
                .isInstanceOf(InvalidNamespaceException.class);
    }

    @Test
    void etagsAreKeptInExtendedAttributesHere() {
        assertThat(((LocalBlockStore) store).keepsEtagsInXattrs())
                .as("ext4/tmpfs/xfs support user xattrs; the fallback is tested separately").isTrue();
    }

    @Test
    void withoutExtendedAttributesEtagsAreRecomputedFromTheContent() {
        try (LocalBlockStore plain = new LocalBlockStore(root, false, false)) {
            assertThat(plain.keepsEtagsInXattrs()).isFalse();
            byte[] data = TestData.bytes(70_000, 3);
            PutResult r = plain.put(ns, "no-xattr", new ByteArrayInputStream(data), data.length);
            assertThat(plain.stat(ns, "no-xattr").orElseThrow().etag()).isEqualTo(r.etag());
            assertThat(plain.copy(ns, "no-xattr", ns, "no-xattr-copy").etag()).isEqualTo(r.etag());
            String id = plain.createMultipartUpload(ns, "mp");
            var part = plain.uploadPart(ns, "mp", id, 1, new ByteArrayInputStream(data), data.length);
            assertThat(plain.listParts(ns, "mp", id)).containsExactly(part);
            PutResult done = plain.completeMultipartUpload(ns, "mp", id, List.of(part));
            assertThat(done.etag()).endsWith("-1");
            assertThat(plain.stat(ns, "mp").orElseThrow().etag())
                    .as("without xattrs a multipart object reports its plain MD5").isEqualTo(r.etag());
        }
    }

    @Test
    void forcingFilesToDiskStoresTheSameBytes() throws IOException {
        try (LocalBlockStore synced = new LocalBlockStore(root, true)) {
            long size = 5L * MIB + 1;
            PutResult r = synced.put(ns, "synced", TestData.stream(size, 4), -1);
            assertThat(r).isEqualTo(new PutResult(size, TestData.md5(size, 4)));
            assertThat(synced.copy(ns, "synced", ns, "synced-copy")).isEqualTo(r);
            String id = synced.createMultipartUpload(ns, "synced-mp");
            var part = synced.uploadPart(ns, "synced-mp", id, 1, TestData.stream(size, 4), size);
            assertThat(synced.completeMultipartUpload(ns, "synced-mp", id, List.of(part)).size()).isEqualTo(size);
            try (var in = synced.get(ns, "synced-mp", null)) {
                assertThat(TestData.md5(in)).isEqualTo(new TestData.Summary(size, r.etag()));
            }
        }
    }

    @Test
    void filesAreSyncedUnlessSwitchedOff() {
        assertThat(((LocalBlockStore) store).syncs()).as("blockstore.local.sync defaults to true").isTrue();
        try (BlockStore unsynced = io.tarn.block.BlockStores.open(io.tarn.block.BlockStoreConfig.fromProperties(
                java.util.Map.of("blockstore.type", "local", "blockstore.local.path", root.toString(),
                        "blockstore.local.sync", "false")))) {
            assertThat(((LocalBlockStore) unsynced).syncs()).isFalse();
        }
        try (BlockStore synced = io.tarn.block.BlockStores.open(io.tarn.block.BlockStoreConfig.local(root))) {
            assertThat(((LocalBlockStore) synced).syncs()).isTrue();
        }
    }

    private static String mode(Path p) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void everyFileAndFolderTheStoreCreatesIsOwnerOnly() throws IOException {
        put("a/b/object", utf8("data"));
        put("a/marker", utf8("m"));
        store.copy(ns, "a/b/object", ns, "c/d/copy");
        String id = store.createMultipartUpload(ns, "m/big");
        var part = store.uploadPart(ns, "m/big", id, 1, new ByteArrayInputStream(utf8("abc")), 3);
        Path uploadDir = root.resolve(LocalBlockStore.MULTIPART_DIR).resolve(id);
        try (Stream<Path> files = Files.list(uploadDir)) {
            for (Path f : files.toList()) {
                assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
            }
        }
        assertThat(mode(uploadDir)).isEqualTo("rwx------");
        store.completeMultipartUpload(ns, "m/big", id, List.of(part));
        List<Path> files = allFiles();
        assertThat(files).hasSize(4);
        for (Path f : files) {
            assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path d : all.filter(Files::isDirectory).toList()) {
                assertThat(mode(d)).as(d.toString()).isEqualTo("rwx------");
            }
        }
    }

    /**
     * A reader that, after the first bytes of an upload, moves the folder the object goes into out of
     * the root and puts a link to another outside folder in its place.
     */
    private static java.io.InputStream swappingAfterFirstBytes(byte[] data, Path folder, Path stash, Path linkTarget) {
        return new java.io.InputStream() {
            int pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) {
                    return -1;
                }
                if (pos > 0 && !Files.isSymbolicLink(folder)) {
                    try {
                        Files.move(folder, stash);
                        Files.createSymbolicLink(folder, linkTarget);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                int n = Math.min(len, Math.min(1000, data.length - pos));
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    @Test
    void aFolderSwappedForALinkDuringAnUploadGetsNothingWrittenOutside() throws IOException {
        put("sub/existing", utf8("e"));
        Path folder = root.resolve(ns.prefix()).resolve("sub");
        Path stash = tmp.resolve("stash");
        Path outside = Files.createDirectories(tmp.resolve("outside-target"));
        byte[] data = TestData.bytes(10_000, 5);
        assertThatThrownBy(() -> store.put(ns, "sub/new", swappingAfterFirstBytes(data, folder, stash, outside),
                data.length)).isInstanceOf(InvalidNamespaceException.class).hasMessageContaining("outside");
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
        try (Stream<Path> s = Files.list(stash)) {
            assertThat(s).as("the folder moved out holds only what it held before")
                    .containsExactly(stash.resolve("existing"));
        }
        assertThat(allFiles()).isEmpty();
    }

    @Test
    void aLinkSwappedInJustBeforeTheRenameIsUndone() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside-rename"));
        Path folder = root.resolve(ns.prefix()).resolve("late");
        byte[] data = TestData.bytes(3_000, 6);
        // the folder does not exist when the upload starts; a link out of the root takes its name as the data ends
        java.io.InputStream in = new java.io.InputStream() {
            int pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) {
                    if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        try {
                            Files.createDirectories(folder.getParent());
                            Files.createSymbolicLink(folder, outside);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                    return -1;
                }
                int n = Math.min(len, data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        assertThatThrownBy(() -> store.put(ns, "late/x", in, data.length))
                .isInstanceOf(InvalidNamespaceException.class);
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void tempFileNamesAreReservedKeys() {
        assertThatThrownBy(() -> store.put(ns, "a/" + LocalBlockStore.TEMP_PREFIX + "1",
                new ByteArrayInputStream(utf8("x")), 1)).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void rootIsCreatedAndNamespacesMapBelowIt() {
        assertThat(Files.isDirectory(root)).isTrue();
        StorageNamespace n = store.namespace("local://a/b/");
        assertThat(n.prefix()).isEqualTo("a/b");
        assertThat(n.bucket()).isEmpty();
    }

    /**
     * Puts and reads back 1 GiB in a separate JVM whose heap is capped at 64 MiB, so the test fails
     * if either direction holds the object in memory.
     */
    @Test
    void oneGibibyteStreamsInConstantMemory() throws Exception {
        long size = 1L << 30;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                LargeObjectProbe.class.getName(), root.toString(), Long.toString(size))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        String md5 = TestData.md5(size, 1);
        assertThat(out).contains("put " + size + " " + md5).contains("get " + size + " " + md5);
    }

    /** Child-process entry point for {@link #oneGibibyteStreamsInConstantMemory()}. */
    public static final class LargeObjectProbe {
        public static void main(String[] args) throws Exception {
            long size = Long.parseLong(args[1]);
            try (LocalBlockStore s = new LocalBlockStore(Path.of(args[0]))) {
                StorageNamespace n = s.namespace("local://big");
                PutResult r = s.put(n, "one-gib", TestData.stream(size, 1), -1);
                System.out.println("put " + r.size() + " " + r.etag());
                try (var in = s.get(n, "one-gib", null)) {
                    TestData.Summary sum = TestData.md5(in);
                    System.out.println("get " + sum.size() + " " + sum.md5Hex());
                }
                s.delete(n, "one-gib");
            }
        }
    }
}
