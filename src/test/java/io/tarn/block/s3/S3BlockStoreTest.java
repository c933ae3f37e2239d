package io.tarn.block.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.block.BlockStore;
import io.tarn.block.BlockStoreContractTest;
import io.tarn.block.IncompleteUploadException;
import io.tarn.block.InvalidNamespaceException;
import io.tarn.block.Md5;
import io.tarn.block.PutResult;
import io.tarn.block.StorageNamespace;
import io.tarn.block.TestData;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The contract suite against a real S3-compatible server (S3Proxy, see {@link S3ProxyFixture}). */
class S3BlockStoreTest extends BlockStoreContractTest {
    private static final int PART_SIZE = S3BlockStore.DEFAULT_PART_SIZE;

    @Override
    protected BlockStore openStore() {
        return new S3BlockStore(S3ProxyFixture.shared().config());
    }

    @Override
    protected String freshNamespaceUri() {
        return "s3://" + S3ProxyFixture.BUCKET + "/tests/" + uniqueName();
    }

    @Override
    protected List<String> invalidNamespaceUris() {
        return List.of("s3://", "s3:///x", "s3://Bad_Bucket/x", "s3://ab/x", "s3://storage-bucket/../x",
                "s3://storage-bucket/a/./b", "s3://storage-bucket//x", "s3://storage-bucket/a\\..\\b",
                "s3://-bucket/x", "s3://bucket..name/x");
    }

    /** S3Proxy orders keys as Java strings, so a character outside the BMP sorts before U+E000..U+FFFF. */
    @Override
    protected boolean listsSupplementaryCharactersInUtf8Order() {
        return false;
    }

    @Override
    protected boolean supportsPresign() {
        return true;
    }

    private int pendingUploads(String prefix) {
        try (S3Client c = S3ProxyFixture.shared().client()) {
            return c.listMultipartUploads(b -> b.bucket(S3ProxyFixture.BUCKET).prefix(prefix)).uploads().size();
        }
    }

    @Test
    void unknownLengthWriteThatFailsAfterSeveralPartsAbortsItsUpload() {
        assertThatThrownBy(() -> store.put(ns, "big/broken", TestData.failingAfter(2L * PART_SIZE + 5, 9), -1))
                .isInstanceOf(IncompleteUploadException.class);
        assertThat(store.stat(ns, "big/broken")).isEmpty();
        assertThat(pendingUploads(ns.prefix() + "/")).isZero();
    }

    @Test
    void unknownLengthWriteOfExactlyOnePartBuffer() {
        PutResult r = store.put(ns, "exact", TestData.stream(PART_SIZE, 3), -1);
        assertThat(r).isEqualTo(new PutResult(PART_SIZE, TestData.md5(PART_SIZE, 3)));
        assertThat(summary("exact")).isEqualTo(new TestData.Summary(PART_SIZE, TestData.md5(PART_SIZE, 3)));
    }

    @Test
    void largeUnknownLengthWriteBecomesAMultipartObjectWithS3sEtag() {
        long size = 2L * PART_SIZE + 1;
        PutResult r = store.put(ns, "mp-etag", TestData.stream(size, 4), -1);
        assertThat(r.etag()).as("put reports the content's MD5").isEqualTo(TestData.md5(size, 4));
        String etag = store.stat(ns, "mp-etag").orElseThrow().etag();
        assertThat(etag).as("the object's own ETag has S3's multipart form").endsWith("-3");
    }

    @Test
    void objectsLandUnderTheNamespacePrefix() {
        put("a/b", new byte[] {1, 2, 3});
        try (S3Client c = S3ProxyFixture.shared().client()) {
            var head = c.headObject(b -> b.bucket(S3ProxyFixture.BUCKET).key(ns.prefix() + "/a/b"));
            assertThat(head.contentLength()).isEqualTo(3);
            assertThat(Md5.stripQuotes(head.eTag())).isEqualTo(Md5.hexOf(new byte[] {1, 2, 3}));
        }
    }

    @Test
    void missingBucketIsAnInvalidNamespace() {
        StorageNamespace missing = store.namespace("s3://no-such-bucket-" + uniqueName() + "/x");
        assertThatThrownBy(() -> store.put(missing, "k", new ByteArrayInputStream(new byte[] {1}), 1))
                .isInstanceOf(InvalidNamespaceException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> store.put(missing, "k", new ByteArrayInputStream(new byte[] {1}), -1))
                .isInstanceOf(InvalidNamespaceException.class);
        assertThat(store.stat(missing, "k")).isEmpty();
    }

    @Test
    void objectsAboveTheSingleCopyLimitAreCopiedInParts() {
        long size = 11L * MIB + 3;
        try (S3BlockStore small = new S3BlockStore(S3ProxyFixture.shared().config(), PART_SIZE, MIB, 5L * MIB)) {
            PutResult orig = small.put(ns, "big/src", TestData.stream(size, 8), size);
            PutResult copy = small.copy(ns, "big/src", ns, "big/dst");
            assertThat(copy.size()).isEqualTo(size);
            assertThat(copy.etag()).as("assembled from 3 copied parts").endsWith("-3");
            assertThat(summary("big/dst")).isEqualTo(new TestData.Summary(size, orig.etag()));
            assertThat(pendingUploads(ns.prefix() + "/")).isZero();
        }
    }

    @Test
    void seedPageNamespaceIsAccepted() {
        StorageNamespace seed = store.namespace("s3://storage-bucket/repos/example-repo");
        assertThat(seed.bucket()).isEqualTo("storage-bucket");
        assertThat(seed.prefix()).isEqualTo("repos/example-repo");
    }
}
