package io.tarn.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tarn.block.local.LocalBlockStore;
import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.block.s3.S3BlockStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockStoresTest {
    @TempDir
    Path tmp;

    @Test
    void readsLakeFsStyleFlatKeys() {
        BlockStoreConfig c = BlockStoreConfig.fromProperties(Map.of(
                "blockstore.type", "s3",
                "blockstore.s3.endpoint", "http://127.0.0.1:9000",
                "blockstore.s3.region", "eu-west-1",
                "blockstore.s3.force_path_style", "true",
                "blockstore.s3.credentials.access_key_id", "AKIA",
                "blockstore.s3.credentials.secret_access_key", "pa55word",
                "unrelated.key", "x"));
        assertThat(c.type()).isEqualTo("s3");
        assertThat(c.s3()).isEqualTo(new BlockStoreConfig.S3("http://127.0.0.1:9000", "eu-west-1", true,
                new BlockStoreConfig.Credentials("AKIA", "pa55word")));
        assertThat(c.toString()).doesNotContain("pa55word");
        assertThat(BlockStoreConfig.fromProperties(Map.of("blockstore.type", "local", "blockstore.local.path", "/d")))
                .isEqualTo(BlockStoreConfig.local(Path.of("/d")));
    }

    @Test
    void readsTheBlockstoreSectionOfALakeFsYamlFile() throws Exception {
        String yaml = """
                blockstore:
                  type: s3
                  s3:
                    endpoint: http://s3.local:9000
                    region: us-east-1
                    force_path_style: true
                    credentials:
                      access_key_id: key
                      secret_access_key: secret
                  local:
                    path: /var/tarn
                """;
        ObjectMapper yamlMapper = new ObjectMapper(new YAMLFactory());
        BlockStoreConfig c = yamlMapper.treeToValue(yamlMapper.readTree(yaml).get("blockstore"), BlockStoreConfig.class);
        assertThat(c).isEqualTo(new BlockStoreConfig("s3", new BlockStoreConfig.Local("/var/tarn"),
                new BlockStoreConfig.S3("http://s3.local:9000", "us-east-1", true,
                        new BlockStoreConfig.Credentials("key", "secret"))));
    }

    @Test
    void rejectsIncompleteOrUnknownSettings() {
        assertThatThrownBy(() -> BlockStoreConfig.fromProperties(Map.of()).validate())
                .hasMessageContaining("blockstore.type");
        assertThatThrownBy(() -> BlockStores.open(new BlockStoreConfig("gcs", null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gcs");
        assertThatThrownBy(() -> BlockStores.open(new BlockStoreConfig("local", null, null)))
                .hasMessageContaining("blockstore.local.path");
        assertThatThrownBy(() -> BlockStoreConfig.fromProperties(Map.of("blockstore.type", "s3",
                "blockstore.s3.force_path_style", "yes")))
                .hasMessageContaining("force_path_style");
        assertThatThrownBy(() -> BlockStores.open(BlockStoreConfig.s3("http://x:1", null, true, "key", "")))
                .hasMessageContaining("secret_access_key");
        assertThatThrownBy(() -> BlockStores.open(BlockStoreConfig.s3("not a url", null, true, "k", "s")))
                .hasMessageContaining("blockstore.s3.endpoint");
    }

    @Test
    void opensTheConfiguredBackend() {
        try (BlockStore mem = BlockStores.open(BlockStoreConfig.mem());
             BlockStore local = BlockStores.open(BlockStoreConfig.local(tmp.resolve("data")));
             BlockStore s3 = BlockStores.open(BlockStoreConfig.s3("http://127.0.0.1:1", "us-east-1", true, "k", "s"))) {
            assertThat(mem).isInstanceOf(MemoryBlockStore.class);
            assertThat(local).isInstanceOf(LocalBlockStore.class);
            assertThat(((LocalBlockStore) local).root()).isEqualTo(tmp.resolve("data"));
            assertThat(s3).isInstanceOf(S3BlockStore.class);
            assertThat(s3.type()).isEqualTo("s3");
            assertThatThrownBy(() -> local.namespace("s3://storage-bucket/repos/example-repo"))
                    .isInstanceOf(InvalidNamespaceException.class)
                    .hasMessage("storage namespace 's3://storage-bucket/repos/example-repo' has scheme 's3'"
                            + " but the block store is of type 'local'; expected local://<path under the local"
                            + " root>, e.g. local://repos/example");
            assertThat(s3.namespace("s3://storage-bucket/repos/example-repo").prefix())
                    .isEqualTo("repos/example-repo");
        }
    }

    @Test
    void s3StoreOpensWithoutARegionOrCredentialsConfigured() {
        try (BlockStore s3 = BlockStores.open(BlockStoreConfig.s3("http://127.0.0.1:1", null, true, null, null))) {
            assertThat(s3.namespace("s3://storage-bucket/x").bucket()).isEqualTo("storage-bucket");
        }
    }

    @Test
    void keyRulesAndMultipartEtag() {
        assertThat(BlockKeys.problem("data/ab/cd")).isNull();
        assertThat(BlockKeys.problem("a/../b")).contains("'..'");
        // S3's documented example: the ETag of a multipart object is md5(md5(p1) || md5(p2)) + "-2"
        String p1 = Md5.hexOf("hello ".getBytes());
        String p2 = Md5.hexOf("world".getBytes());
        byte[] both = new byte[32];
        System.arraycopy(java.util.HexFormat.of().parseHex(p1), 0, both, 0, 16);
        System.arraycopy(java.util.HexFormat.of().parseHex(p2), 0, both, 16, 16);
        assertThat(Md5.multipartEtag(java.util.List.of(p1, "\"" + p2 + "\"")))
                .isEqualTo(Md5.hexOf(both) + "-2");
    }
}
