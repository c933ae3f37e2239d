package io.tarn.engine;

import io.tarn.error.TooManyRetriesException;
import io.tarn.kv.KvOutcomeUnknownException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retry loop of the engine's compare-and-set updates: runs an attempt until it reports an
 * outcome, at most {@code maxAttempts} times, sleeping a short jittered time between later attempts,
 * and otherwise fails with {@link TooManyRetriesException} naming what kept changing.
 *
 * <p>An attempt returns {@link Optional#empty()} when it lost a race (its compare-and-set failed, or
 * what it read moved on) and should run again from a fresh read. An attempt that ends in
 * {@link KvOutcomeUnknownException} (a write whose outcome the store could not tell) is treated the
 * same way: the next attempt starts from a fresh read, and every step of an attempt is either
 * idempotent or a compare-and-set decided by re-reading ({@link io.tarn.kv.CasOutcomes}), so running it
 * again neither loses nor doubles a write. If the last attempt ends that way, that exception is
 * thrown: the caller cannot be told success or failure. Any other exception ends the loop. The
 * sleeper and the jitter are injectable so tests neither wait nor depend on chance.
 */
final class CasRetry {

    private static final Logger LOG = LoggerFactory.getLogger(CasRetry.class);

    /** Sleeps between attempts ({@link Thread#sleep(long)} in production). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** One attempt: an outcome, or empty to try again. */
    @FunctionalInterface
    interface Attempt<T> {
        Optional<T> run();
    }

    /** The first attempts that lost a race are retried at once: most races are lost to one writer. */
    static final int ATTEMPTS_WITHOUT_PAUSE = 3;
    /** The longest pause between attempts, in milliseconds. */
    static final int MAX_PAUSE_MILLIS = 21;

    private final int maxAttempts;
    private final Sleeper sleeper;
    /** Maps an exclusive upper bound {@code n >= 2} to a pause in {@code [1, n)} milliseconds. */
    private final IntUnaryOperator jitter;

    CasRetry(int maxAttempts) {
        this(maxAttempts, Thread::sleep, bound -> ThreadLocalRandom.current().nextInt(1, bound));
    }

    CasRetry(int maxAttempts, Sleeper sleeper, IntUnaryOperator jitter) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be positive");
        }
        this.maxAttempts = maxAttempts;
        this.sleeper = sleeper;
        this.jitter = jitter;
    }

    /**
     * Runs {@code attempt} until it returns an outcome.
     *
     * @param what  what a lost race means changed, e.g. {@code "branch main"}
     * @param doing what the loop was doing, e.g. {@code "committing"}
     * @throws TooManyRetriesException when every attempt lost, or the thread was interrupted while
     *                                 pausing (the interrupt flag is set again)
     */
    <T> T run(String what, String doing, Attempt<T> attempt) {
        for (int n = 0; n < maxAttempts; n++) {
            if (n > 0) {
                pause(n - 1, what, doing);
            }
            Optional<T> outcome;
            try {
                outcome = attempt.run();
            } catch (KvOutcomeUnknownException unknown) {
                if (n == maxAttempts - 1) {
                    throw unknown;
                }
                LOG.debug("{} while {}: outcome unknown, reading again", what, doing, unknown);
                continue;
            }
            if (outcome.isPresent()) {
                return outcome.get();
            }
        }
        throw new TooManyRetriesException(what + " kept changing while " + doing + "; try again");
    }

    /** {@link #run} for an attempt with no result: it returns true when done, false to try again. */
    void runUntilDone(String what, String doing, BooleanSupplier attempt) {
        run(what, doing, () -> attempt.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** The pause after the {@code lost}-th lost attempt (0-based): none for the first few, then jittered. */
    private void pause(int lost, String what, String doing) {
        if (lost < ATTEMPTS_WITHOUT_PAUSE) {
            return;
        }
        try {
            sleeper.sleep(jitter.applyAsInt(2 + Math.min(lost, MAX_PAUSE_MILLIS - 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TooManyRetriesException("interrupted while " + doing + " (" + what + " kept changing)");
        }
    }
}
