package io.tarn.engine.refs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.error.InvalidArgumentException;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NamesTest {

    static final Pattern REPOSITORY = Pattern.compile("^[a-z0-9][a-z0-9-]{2,62}$");
    static final Pattern BRANCH = Pattern.compile("^\\w[-\\w]*$");

    @Test
    void handWrittenChecksAgreeWithTheRegularExpressions() {
        Random rnd = new Random(3);
        String alphabet = "abzAZ09_-./é ~^@";
        for (int i = 0; i < 200_000; i++) {
            int len = rnd.nextInt(i % 100 == 0 ? 80 : 8);
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            assertThat(Names.isRepositoryId(s)).as(s).isEqualTo(REPOSITORY.matcher(s).matches());
            assertThat(Names.isBranchName(s)).as(s).isEqualTo(BRANCH.matcher(s).matches());
            assertThat(Names.isTagName(s)).as(s).isEqualTo(BRANCH.matcher(s).matches());
        }
        assertThat(Names.isRepositoryId("a".repeat(63))).isTrue();
        assertThat(Names.isRepositoryId("a".repeat(64))).isFalse();
    }

    @Test
    void paths() {
        assertThat(Names.path("a/b")).hasSize(3);
        assertThatThrownBy(() -> Names.path("")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Names.path(null)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Names.path("a\0")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Names.path("\uD800x")).isInstanceOf(InvalidArgumentException.class);
        assertThat(Names.path("é".repeat(512))).hasSize(1024);
        assertThatThrownBy(() -> Names.path("é".repeat(513))).isInstanceOf(InvalidArgumentException.class);
    }
}
