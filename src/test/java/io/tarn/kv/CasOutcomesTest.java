package io.tarn.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.kv.memory.MemoryKvStore;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CasOutcomesTest {

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    /** A store whose compare-and-set may apply, then always reports an unknown outcome. */
    private static final class Unknowing extends ForwardingKvStore {
        boolean apply;
        boolean readsFail;

        Unknowing() {
            super(new MemoryKvStore());
        }

        @Override
        public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
            if (apply) {
                in.compareAndSet(key, expected, update);
            }
            throw new KvOutcomeUnknownException("lost", null);
        }

        @Override
        public Optional<byte[]> get(byte[] key) {
            if (readsFail) {
                throw new KvException("down");
            }
            return in.get(key);
        }
    }

    @Test
    void theKeyReadAgainDecides() {
        try (Unknowing kv = new Unknowing()) {
            kv.in.put(b("k"), b("old"));
            kv.apply = true;
            assertThat(CasOutcomes.compareAndSet(kv, b("k"), b("old"), b("new"))).isTrue();
            kv.apply = false;
            assertThat(CasOutcomes.compareAndSet(kv, b("k"), b("new"), b("newer"))).isFalse();
            kv.apply = true;
            assertThat(CasOutcomes.compareAndSet(kv, b("k"), b("new"), null)).isTrue();
            kv.apply = false;
            assertThat(CasOutcomes.compareAndSet(kv, b("k"), null, b("created"))).isFalse();
        }
    }

    @Test
    void anUnreadableKeyLeavesTheOutcomeUnknown() {
        try (Unknowing kv = new Unknowing()) {
            kv.readsFail = true;
            assertThatThrownBy(() -> CasOutcomes.compareAndSet(kv, b("k"), null, b("v")))
                    .isInstanceOf(KvOutcomeUnknownException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        }
    }
}
