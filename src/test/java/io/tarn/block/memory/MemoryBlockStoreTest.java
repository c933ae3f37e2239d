package io.tarn.block.memory;

import io.tarn.block.BlockStore;
import io.tarn.block.BlockStoreContractTest;
import java.util.List;

class MemoryBlockStoreTest extends BlockStoreContractTest {
    @Override
    protected BlockStore openStore() {
        return new MemoryBlockStore();
    }

    @Override
    protected String freshNamespaceUri() {
        return "mem://" + uniqueName();
    }

    @Override
    protected List<String> invalidNamespaceUris() {
        return List.of("mem://", "mem:///x", "mem://a/../b", "mem://a/./b", "mem://a//b", "mem://a\\b",
                "mem://a/b\u0000c", "mem://../x");
    }
}
