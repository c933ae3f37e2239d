package io.tarn.api.classic;

import io.tarn.api.http.FakeRequest;
import io.tarn.api.common.Paging;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.error.InvalidArgumentException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PagingTest {
    @Test
    void leftOutMeansTheDefault() {
        assertThat(Paging.amount(Optional.empty(), 100)).isEqualTo(100);
        assertThat(Paging.amount(Optional.empty(), 1000)).isEqualTo(1000);
    }

    @Test
    void valuesAreKeptUpTo1000AndClampedAbove() {
        assertThat(Paging.amount(Optional.of("1"), 100)).isEqualTo(1);
        assertThat(Paging.amount(Optional.of("007"), 100)).isEqualTo(7);
        assertThat(Paging.amount(Optional.of("1000"), 100)).isEqualTo(1000);
        assertThat(Paging.amount(Optional.of("1001"), 100)).isEqualTo(1000);
        assertThat(Paging.amount(Optional.of("99999999999999999999999"), 100)).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "-0", "000", "", "-1000", "+0", "-99999999999999999999999"})
    void emptyZeroAndNegativeMeanTheDefault(String raw) {
        assertThat(Paging.amount(Optional.of(raw), 100)).isEqualTo(100);
        assertThat(Paging.amount(Optional.of(raw), 1000)).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "1.5", "ten", "1e3", "0x10", "--1", "-", "+", "-1.5", "1 0"})
    void nonIntegersAreRejected(String raw) {
        assertThatThrownBy(() -> Paging.amount(Optional.of(raw), 100))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("amount");
    }

    @Test
    void afterIsCheckedLikeAPath() {
        FakeRequest request = new FakeRequest("listBranches").query("after", "a\u0000b");
        assertThatThrownBy(() -> Paging.of(request, 100)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("after");
        assertThat(Paging.of(new FakeRequest("listBranches").query("after", "b-1"), 100)).isEqualTo(new Paging("b-1", 100));
        assertThat(Paging.of(new FakeRequest("listBranches"), 100)).isEqualTo(new Paging("", 100));
    }
}
