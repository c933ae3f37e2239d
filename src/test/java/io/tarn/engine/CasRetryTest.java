package io.tarn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.error.InvalidArgumentException;
import io.tarn.error.TooManyRetriesException;
import io.tarn.kv.KvOutcomeUnknownException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CasRetryTest {

    private final List<Long> pauses = new ArrayList<>();
    private final List<Integer> bounds = new ArrayList<>();

    private CasRetry retry(int attempts) {
        return new CasRetry(attempts, pauses::add, bound -> {
            bounds.add(bound);
            return bound - 1;
        });
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void returnsTheFirstOutcomeWithoutPausing() {
        assertThat(retry(5).run("branch main", "committing", () -> Optional.of("done"))).isEqualTo("done");
        assertThat(pauses).isEmpty();
    }

    @Test
    void succeedsAfterLostRacesAndPausesOnlyAfterTheFirstFew() {
        AtomicInteger calls = new AtomicInteger();
        String out = retry(10).run("branch main", "committing",
                () -> calls.incrementAndGet() < 6 ? Optional.empty() : Optional.of("won"));
        assertThat(out).isEqualTo("won");
        assertThat(calls).hasValue(6);
        // five lost attempts: the first three retried at once, then two jittered pauses
        assertThat(pauses).hasSize(2);
        assertThat(bounds).containsExactly(5, 6);
        assertThat(pauses).containsExactly(4L, 5L);
    }

    @Test
    void anUnknownOutcomeIsRetriedFromAFreshRead() {
        AtomicInteger calls = new AtomicInteger();
        String out = retry(5).run("branch main", "committing", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new KvOutcomeUnknownException("connection lost", null);
            }
            return Optional.of("done");
        });
        assertThat(out).isEqualTo("done");
        assertThat(calls).hasValue(3);
    }

    @Test
    void anUnknownOutcomeOfTheLastAttemptIsThrownNotReportedAsLost() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry(3).run("branch main", "committing", () -> {
            calls.incrementAndGet();
            throw new KvOutcomeUnknownException("connection lost", null);
        })).isInstanceOf(KvOutcomeUnknownException.class);
        assertThat(calls).hasValue(3);
    }

    @Test
    void pausesStayBounded() {
        retry(200).runUntilDone("x", "y", new java.util.function.BooleanSupplier() {
            int n;

            @Override
            public boolean getAsBoolean() {
                return ++n == 200;
            }
        });
        assertThat(bounds).allSatisfy(b -> assertThat(b).isBetween(2, CasRetry.MAX_PAUSE_MILLIS + 1));
        assertThat(pauses).allSatisfy(p -> assertThat(p).isBetween(1L, (long) CasRetry.MAX_PAUSE_MILLIS));
    }

    @Test
    void exhaustedBudgetNamesWhatKeptChanging() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry(7).runUntilDone("branch main", "merging", () -> {
            calls.incrementAndGet();
            return false;
        }))
                .isInstanceOf(TooManyRetriesException.class)
                .hasMessage("branch main kept changing while merging; try again");
        assertThat(calls).hasValue(7);
        assertThat(pauses).hasSize(3); // no pause after the last attempt
    }

    @Test
    void anExceptionFromAnAttemptEndsTheLoop() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry(5).run("branch main", "committing", () -> {
            calls.incrementAndGet();
            throw new InvalidArgumentException("nope");
        })).isInstanceOf(InvalidArgumentException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void interruptionWhilePausingStopsAndKeepsTheFlag() {
        AtomicInteger calls = new AtomicInteger();
        CasRetry interrupted = new CasRetry(10, millis -> {
            throw new InterruptedException();
        }, bound -> 1);
        assertThatThrownBy(() -> interrupted.runUntilDone("branch main", "writing", () -> {
            calls.incrementAndGet();
            return false;
        }))
                .isInstanceOf(TooManyRetriesException.class)
                .hasMessageContaining("interrupted while writing");
        assertThat(calls).hasValue(CasRetry.ATTEMPTS_WITHOUT_PAUSE + 1);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void realSleeperIsInterruptible() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> new CasRetry(10).runUntilDone("branch main", "writing", () -> false))
                .isInstanceOf(TooManyRetriesException.class);
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void refusesAnEmptyBudget() {
        assertThatThrownBy(() -> new CasRetry(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
