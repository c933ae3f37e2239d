package io.tarn.kv;

/**
 * A write may or may not have happened: the store lost its connection to the database after the
 * statement was sent and before its result came back (a server killed the session, the network
 * dropped, the database restarted). The store cannot tell which, so it says so instead of
 * reporting success or failure.
 *
 * <p>A caller that must know (a compare-and-set on a branch head) reads the key again and decides
 * from what it finds; see {@link CasOutcomes}. Reads never throw this: a failed read changed nothing.
 */
public class KvOutcomeUnknownException extends KvException {
    public KvOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
