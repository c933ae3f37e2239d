package io.tarn.api.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputsTest {
    @ParameterizedTest
    @ValueSource(strings = {"abc", "my-repo-1", "0ab", "a23456789012345678901234567890123456789012345678901234567890123"})
    void goodRepositoryIds(String id) {
        assertThat(Inputs.repositoryId(id, "repository")).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "-abc", "ABC", "a_b_c", "a/bc", "a b c", "repo\u0000x",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void badRepositoryIds(String id) {
        assertThatThrownBy(() -> Inputs.repositoryId(id, "repository")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("repository");
    }

    @Test
    void branchNames() {
        assertThat(Inputs.branchName("main", "branch")).isEqualTo("main");
        assertThat(Inputs.branchName("_x-1", "branch")).isEqualTo("_x-1");
        for (String bad : new String[] {"", "-x", "a/b", "a b", "a.b", "é", "x".repeat(257)}) {
            assertThatThrownBy(() -> Inputs.branchName(bad, "branch.name")).as(bad)
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("branch.name");
        }
    }

    @Test
    void objectPaths() {
        assertThat(Inputs.objectPath("a/b/c.csv", "path")).isEqualTo("a/b/c.csv");
        assertThat(Inputs.objectPath("a/..b/c..", "path")).isEqualTo("a/..b/c..");
        assertThat(Inputs.objectPath("日本/語", "path")).isEqualTo("日本/語");
        for (String bad : new String[] {"", "a\u0000b", "../etc/passwd", "a/../b", "a/..", "x".repeat(1025),
                "é".repeat(513), "bad\uD800"}) {
            assertThatThrownBy(() -> Inputs.objectPath(bad, "path")).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
        assertThat(Inputs.pathPrefix("", "prefix")).isEmpty();
        assertThat(Inputs.pathPrefix(null, "prefix")).isEmpty();
    }

    @Test
    void refsAreOnlyFramed() {
        assertThat(Inputs.ref("main~2^1", "ref")).isEqualTo("main~2^1");
        assertThatThrownBy(() -> Inputs.ref("", "ref")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Inputs.ref("a\nb", "ref")).isInstanceOf(InvalidArgumentException.class);
    }
}
