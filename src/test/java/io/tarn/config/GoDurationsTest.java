package io.tarn.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationsTest {

    @Test
    void goDurationsParse() {
        assertThat(GoDurations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(GoDurations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDurations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(GoDurations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(GoDurations.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(GoDurations.parse("0")).isZero();
        assertThat(GoDurations.parse("300")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void otherTextIsRejected() {
        for (String bad : new String[] {"", "m", "5 m", "5x", "-5m", "5m junk", "1h 30m"}) {
            assertThatThrownBy(() -> GoDurations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
