package io.tarn.kv;

/** The metadata store failed (I/O, corruption, lost connection). Never a client's mistake. */
public class KvException extends RuntimeException {
    public KvException(String message, Throwable cause) {
        super(message, cause);
    }

    public KvException(String message) {
        super(message);
    }
}
