-- Tarn's metadata: one ordered map of byte-string keys to byte-string values (io.tarn.kv.KvStore).
-- bytea compares as unsigned bytes (memcmp, then length), which is the KvStore order, so prefix
-- scans and keyset paging are range scans of the primary key's B-tree. Not partitioned: see
-- docs/postgres.md. fillfactor leaves room on each page for HOT updates of hot rows (branch heads).
CREATE TABLE tarn_kv (
    key   bytea NOT NULL,
    value bytea NOT NULL,
    CONSTRAINT tarn_kv_pkey PRIMARY KEY (key)
) WITH (fillfactor = 90);
