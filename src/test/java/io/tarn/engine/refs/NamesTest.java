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
    /** lakeFS's tag rule (git's, without '/'), less Tarn's ref modifiers '~' and '@'. */
    static final Pattern TAG = Pattern.compile("^(?!.*\\.\\.)(?!.*\\.$)(?!.*\\.lock$)[^\\x00-\\x20\\x7f~^:?*\\[\\\\@/]{1,256}$");

    @Test
    void handWrittenChecksAgreeWithTheRegularExpressions() {
        Random rnd = new Random(3);
        String alphabet = "abzAZ09_-./é ~^@:?*[\\\tlock";
        for (int i = 0; i < 200_000; i++) {
            int len = rnd.nextInt(i % 100 == 0 ? 80 : 8);
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            assertThat(Names.isRepositoryId(s)).as(s).isEqualTo(REPOSITORY.matcher(s).matches());
            assertThat(Names.isBranchName(s)).as(s).isEqualTo(BRANCH.matcher(s).matches());
            assertThat(Names.isTagName(s)).as(s).isEqualTo(TAG.matcher(s).matches());
            if (Names.isBranchName(s)) {
                assertThat(Names.isTagName(s)).as("a branch name is a tag name: " + s).isTrue();
            }
        }
        assertThat(Names.isRepositoryId("a".repeat(63))).isTrue();
        assertThat(Names.isRepositoryId("a".repeat(64))).isFalse();
    }

    @Test
    void tagNamesAsLakeFsTakesThem() {
        for (String ok : new String[] {"v1.0.0", "release-2024.01", "prod_2024-01-01", "a.b", "x!", "é"}) {
            assertThat(Names.isTagName(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"", "v1.", "v1..2", "v1.lock", "a b", "a/b", "v~1", "a@b", "@", "a^",
                "a:b", "a?", "a*", "a[", "a\\b", "a\tb"}) {
            assertThat(Names.isTagName(bad)).as(bad).isFalse();
        }
        assertThat(Names.isTagName("a".repeat(256))).isTrue();
        assertThat(Names.isTagName("a".repeat(257))).isFalse();
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
