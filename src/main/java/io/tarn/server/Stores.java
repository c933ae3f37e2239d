package io.tarn.server;

import io.tarn.block.BlockStore;
import io.tarn.block.BlockStoreConfig;
import io.tarn.block.BlockStores;
import io.tarn.config.ConfigException;
import io.tarn.config.TarnConfig;

/** Opens the block store of a configuration. */
final class Stores {
    private Stores() {}

    static BlockStoreConfig blockConfig(TarnConfig config) {
        TarnConfig.Blockstore b = config.blockstore();
        return switch (b.type()) {
            case "local" -> BlockStoreConfig.local(b.localPath(), b.localSync());
            case "mem" -> BlockStoreConfig.mem();
            case "s3" -> BlockStoreConfig.s3(b.s3().endpoint(), b.s3().region(), b.s3().forcePathStyle(),
                    b.s3().accessKeyId(), b.s3().secretAccessKey());
            default -> throw new ConfigException("unknown blockstore.type " + b.type());
        };
    }

    static BlockStore openBlocks(TarnConfig config) {
        try {
            return BlockStores.open(blockConfig(config));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }
}
