package io.tarn.server;

import io.tarn.block.BlockStore;
import io.tarn.block.local.LocalBlockStore;
import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.config.ConfigException;
import io.tarn.config.TarnConfig;

/** Opens the block store of a configuration. */
final class Stores {
    private Stores() {}

    static BlockStore openBlocks(TarnConfig config) {
        return switch (config.blockstore().type()) {
            case "local" -> new LocalBlockStore(config.blockstore().localPath());
            case "mem" -> new MemoryBlockStore();
            default -> throw new ConfigException("blockstore.type " + config.blockstore().type()
                    + " is not available in this build");
        };
    }
}
