package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.block.Md5;
import io.tarn.block.PartResult;
import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.engine.model.MultipartUpload;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import io.tarn.kv.memory.MemoryKvStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multipart uploads: parts on the block store, the entry staged only on completion, the record gone after. */
class MultipartUploadsTest {
    @TempDir
    Path tmp;

    @Test
    void createUploadCompleteStagesTheObject() throws Exception {
        try (TarnEngine engine = new TarnEngine(new MemoryKvStore(), new MemoryBlockStore(),
                EngineConfig.defaults(tmp.resolve("cache")))) {
            engine.createRepository("repo", "mem://repo", "main");
            MultipartUpload upload = engine.createMultipartUpload("repo", "main", "big.bin", "application/x-test",
                    Map.of("k", "v"));
            assertThat(engine.getMultipartUpload("repo", upload.id()).path()).isEqualTo("big.bin");
            assertThat(engine.listMultipartUploads("repo", null, 10).items()).extracting(MultipartUpload::id)
                    .containsExactly(upload.id());
            byte[] one = "part one ".repeat(1000).getBytes();
            byte[] two = "part two".getBytes();
            PartResult p1 = engine.uploadPart("repo", upload.id(), 1, new ByteArrayInputStream(one), one.length);
            PartResult p2 = engine.uploadPart("repo", upload.id(), 2, new ByteArrayInputStream(two), two.length);
            assertThat(engine.listParts("repo", upload.id())).extracting(PartResult::partNumber).containsExactly(1, 2);
            assertThatThrownBy(() -> engine.statObject("repo", "main", "big.bin")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> engine.completeMultipartUpload("repo", upload.id(),
                    List.of(new PartResult(1, -1, "\"0000\""))))
                    .isInstanceOf(InvalidArgumentException.class);

            ObjectEntry entry = engine.completeMultipartUpload("repo", upload.id(),
                    List.of(new PartResult(1, -1, p1.etag()), new PartResult(2, -1, '"' + Md5.stripQuotes(p2.etag()) + '"')));
            assertThat(entry.checksum()).isEqualTo(Md5.multipartEtag(List.of(p1.etag(), p2.etag()))).endsWith("-2");
            assertThat(entry.size()).isEqualTo(one.length + two.length);
            ObjectEntry stat = engine.statObject("repo", "main", "big.bin");
            assertThat(stat.contentType()).isEqualTo("application/x-test");
            assertThat(stat.metadata()).isEqualTo(Map.of("k", "v"));
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            try (InputStream in = engine.readObject("repo", stat, null)) {
                in.transferTo(read);
            }
            assertThat(read.toString()).isEqualTo(new String(one) + new String(two));
            assertThatThrownBy(() -> engine.getMultipartUpload("repo", upload.id()))
                    .isInstanceOf(NotFoundException.class).extracting("kind").isEqualTo(NotFoundException.Kind.UPLOAD);
        }
    }

    @Test
    void abortDropsTheUploadAndStagesNothing() {
        try (TarnEngine engine = new TarnEngine(new MemoryKvStore(), new MemoryBlockStore(),
                EngineConfig.defaults(tmp.resolve("cache")))) {
            engine.createRepository("repo", "mem://repo", "main");
            MultipartUpload upload = engine.createMultipartUpload("repo", "main", "x", null, Map.of());
            engine.uploadPart("repo", upload.id(), 1, new ByteArrayInputStream(new byte[10]), 10);
            engine.abortMultipartUpload("repo", upload.id());
            assertThatThrownBy(() -> engine.uploadPart("repo", upload.id(), 2, new ByteArrayInputStream(new byte[1]), 1))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> engine.uploadPart("repo", "nope", 0, new ByteArrayInputStream(new byte[1]), 1))
                    .isInstanceOf(InvalidArgumentException.class);
            assertThat(engine.listMultipartUploads("repo", null, 10).items()).isEmpty();
            assertThatThrownBy(() -> engine.createMultipartUpload("repo", "no-branch", "x", null, Map.of()))
                    .isInstanceOf(NotFoundException.class);
        }
    }
}
