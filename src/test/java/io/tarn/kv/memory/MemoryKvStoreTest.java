package io.tarn.kv.memory;

import io.tarn.kv.KvStore;
import io.tarn.kv.KvStoreContractTest;

class MemoryKvStoreTest extends KvStoreContractTest {
    @Override
    protected KvStore newStore() {
        return new MemoryKvStore();
    }
}
