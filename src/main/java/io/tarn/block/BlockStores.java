package io.tarn.block;

import io.tarn.block.local.LocalBlockStore;
import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.block.s3.S3BlockStore;
import io.tarn.util.HomePaths;

/** Opens the block store a configuration describes. */
public final class BlockStores {
    private BlockStores() {}

    /**
     * @throws IllegalArgumentException if the configuration is incomplete or names an unknown type
     */
    public static BlockStore open(BlockStoreConfig config) {
        config.validate();
        return switch (config.type()) {
            case "mem" -> new MemoryBlockStore();
            case "local" -> new LocalBlockStore(HomePaths.expand(config.local().path()), config.local().syncs());
            case "s3" -> new S3BlockStore(config.s3() == null
                    ? new BlockStoreConfig.S3(null, null, false, null) : config.s3());
            default -> throw new IllegalArgumentException("unknown blockstore.type " + config.type());
        };
    }
}
