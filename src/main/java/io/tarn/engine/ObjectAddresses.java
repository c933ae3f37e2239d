package io.tarn.engine;

import io.tarn.engine.staging.Staging;

/** Physical addresses of new objects: {@code data/<partition>/<random id>}, a new partition every hour or 50,000 objects. */
final class ObjectAddresses {
    private String partition;
    private long partitionStart;
    private int partitionCount;

    synchronized String next() {
        long now = System.currentTimeMillis();
        if (partition == null || partitionCount >= 50_000 || now - partitionStart >= 3_600_000L) {
            // newer partitions sort first, so a listing of data/ shows recent uploads first
            partition = String.format("%011x", 0xFFFFFFFFFFFL - now) + Staging.newToken().substring(0, 6);
            partitionStart = now;
            partitionCount = 0;
        }
        partitionCount++;
        return "data/" + partition + "/" + Staging.newToken();
    }
}
