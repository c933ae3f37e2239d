package io.tarn.api.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.auth.policy.Actions;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * Every S3 operation has an entry in {@link S3Access} (its switch is exhaustive, so a new operation
 * without one does not compile); this names the ones that need nothing and checks the actions.
 */
class S3AccessTest {
    @Test
    void onlyUnsupportedAndThePerKeyDeleteNeedNoPermissionUpFront() {
        EnumSet<S3Operation> none = EnumSet.noneOf(S3Operation.class);
        for (S3Operation op : S3Operation.values()) {
            var required = S3Access.required(op, "repo", "a/b", "/repo/main/c");
            if (required.isEmpty()) {
                none.add(op);
            }
            required.forEach(p -> assertThat(Actions.ALL).contains(p.action()));
        }
        assertThat(none).containsExactlyInAnyOrder(S3Operation.Unsupported, S3Operation.DeleteObjects);
        assertThat(S3Access.required(S3Operation.GetObject, "repo", "a/b", null))
                .singleElement().satisfies(p -> {
                    assertThat(p.action()).isEqualTo("fs:ReadObject");
                    assertThat(p.resource()).isEqualTo("arn:lakefs:fs:::repository/repo/object/a/b");
                });
        assertThat(S3Access.deleteItem("repo", "main/x/y").resource()).isEqualTo("arn:lakefs:fs:::repository/repo/object/x/y");
    }
}
