package io.tarn.engine.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.block.BlockStore;
import io.tarn.block.BlockStoreException;
import io.tarn.block.StorageNamespace;
import io.tarn.block.memory.MemoryBlockStore;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block store whose upload fails after it read part of the body (as S3's client does when a
 * connection resets and it cannot rewind the stream): ranges and trees are uploaded again from
 * their bytes instead of failing the commit.
 */
class UploadRetryTest {

    @TempDir
    Path tmp;

    /** Every other put reads one byte of the body and then fails. */
    private static BlockStore flaky(BlockStore real, AtomicInteger failures) {
        AtomicInteger puts = new AtomicInteger();
        return (BlockStore) Proxy.newProxyInstance(BlockStore.class.getClassLoader(), new Class<?>[] {BlockStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("put") && puts.incrementAndGet() % 2 == 1) {
                        ((InputStream) args[2]).read();
                        failures.incrementAndGet();
                        throw new BlockStoreException("connection reset (test)", null);
                    }
                    if (method.isDefault()) {
                        // batch(): the interface's own, whose puts come back through this proxy
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRangeAndATreeWhoseUploadFailsOnceAreUploadedAgain() {
        MemoryBlockStore real = new MemoryBlockStore();
        AtomicInteger failures = new AtomicInteger();
        BlockStore blocks = flaky(real, failures);
        StorageNamespace ns = real.namespace("mem://retry");
        try (RangeStore ranges = new RangeStore(blocks, tmp.resolve("a"), 1 << 20, 1 << 20);
             RangeStore reader = new RangeStore(real, tmp.resolve("b"), 1 << 20, 1 << 20)) {
            RangeRef ref = ranges.write(ns, "range-0001", new byte[][] {b("a")}, new byte[][] {b("1")}, 1, 2);
            String tree = new TreeStore(blocks, 100).write(ns, new TreeIndex(List.of(ref)));

            assertThat(failures.get()).isEqualTo(2);
            assertThat(reader.load(ns, ref).size()).isEqualTo(1);
            assertThat(new TreeStore(real, 100).load(ns, tree).ranges()).extracting(RangeRef::id).containsExactly("range-0001");
        }
    }
}
