package io.tarn.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.error.AlreadyExistsException;
import io.tarn.error.InvalidArgumentException;
import io.tarn.error.NotFoundException;
import io.tarn.kv.KvEntry;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import io.tarn.kv.KvStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** AuthService on the real RocksDB store and on the in-memory one. */
class AuthServiceTest {
    static final String AK = "AKIAIOSFODNN7EXAMPLE";
    static final String SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final SecretBox BOX = new SecretBox("test-secret-key");

    @TempDir
    Path dir;

    static Stream<String> stores() {
        return Stream.of("local", "mem");
    }

    private KvStore open(String type) {
        return KvStores.open(type, dir.resolve("kv"));
    }

    private static List<byte[]> allValues(KvStore kv) {
        List<byte[]> values = new ArrayList<>();
        try (KvIterator it = kv.scan(new byte[0], null)) {
            while (it.hasNext()) {
                KvEntry e = it.next();
                values.add(e.value());
            }
        }
        return values;
    }

    @ParameterizedTest
    @MethodSource("stores")
    void setupCreatesAnAdminWithALakeFsStyleKeyOnce(String type) {
        try (KvStore kv = open(type)) {
            AuthService auth = new AuthService(kv, BOX);
            assertThat(auth.isSetUp()).isFalse();
            Credentials credentials = auth.setup("admin");
            assertThat(credentials.accessKeyId()).matches("AKIAJ[A-Z2-7]{14}Q");
            assertThat(credentials.secretAccessKey()).hasSize(40).matches("[A-Za-z0-9+/]{40}");
            assertThat(auth.isSetUp()).isTrue();
            assertThat(auth.authenticate(credentials.accessKeyId(), credentials.secretAccessKey())).contains("admin");
            assertThat(auth.getUser("admin").creationDate()).isEqualTo(credentials.creationDate());
            assertThatThrownBy(() -> auth.setup("other")).isInstanceOf(AlreadyExistsException.class);
            assertThatThrownBy(() -> auth.setup("other", AK, SK)).isInstanceOf(AlreadyExistsException.class);
            assertThat(auth.authenticate(AK, SK)).isEmpty();
            assertThatThrownBy(() -> auth.getUser("other")).isInstanceOf(NotFoundException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void wrongKeyWrongSecretAndOddInputFail(String type) {
        try (KvStore kv = open(type)) {
            AuthService auth = new AuthService(kv, BOX);
            auth.setup("admin", AK, SK);
            assertThat(auth.authenticate(AK, SK)).contains("admin");
            assertThat(auth.authenticate(AK, SK + "x")).isEmpty();
            assertThat(auth.authenticate(AK, SK.substring(1))).isEmpty();
            assertThat(auth.authenticate(AK, "")).isEmpty();
            assertThat(auth.authenticate("AKIAIOSFODNN7EXAMPLF", SK)).isEmpty();
            assertThat(auth.authenticate("", SK)).isEmpty();
            assertThat(auth.authenticate(null, SK)).isEmpty();
            assertThat(auth.authenticate(AK, null)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void secretsAreNeverStoredInPlainText(String type) {
        try (KvStore kv = open(type)) {
            AuthService auth = new AuthService(kv, BOX);
            auth.setup("admin", AK, SK);
            for (byte[] value : allValues(kv)) {
                assertThat(new String(value, StandardCharsets.ISO_8859_1)).doesNotContain(SK).doesNotContain("EXAMPLEKEY");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void badNamesAndKeysAreInvalidArguments(String type) {
        try (KvStore kv = open(type)) {
            AuthService auth = new AuthService(kv, BOX);
            assertThatThrownBy(() -> auth.setup("")).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("username must not be empty");
            assertThatThrownBy(() -> auth.setup("   ")).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> auth.setup(null)).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> auth.setup("a\nb")).isInstanceOf(InvalidArgumentException.class);
            // An unpaired surrogate has no UTF-8 form: the stored name would not be the name given.
            assertThatThrownBy(() -> auth.setup("ad" + (char) 0xD800 + "min")).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> auth.setup("admin" + (char) 0xDC00)).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> auth.setup("admin", "AK:ID", SK)).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> auth.setup("admin", AK, "short")).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> auth.setup("admin", AK, "with space secret")).isInstanceOf(InvalidArgumentException.class);
            assertThat(auth.isSetUp()).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void installIsIdempotentForTheSameKeyAndRefusesAnother(String type) {
        try (KvStore kv = open(type)) {
            AuthService auth = new AuthService(kv, BOX);
            assertThat(auth.install("admin", AK, SK)).isTrue();
            assertThat(auth.install("admin", AK, SK)).isFalse();
            assertThat(auth.authenticate(AK, SK)).contains("admin");
            assertThatThrownBy(() -> auth.install("admin", AK, SK + "2")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already set up with admin user 'admin'");
            assertThatThrownBy(() -> auth.install("someone", AK, SK)).isInstanceOf(IllegalStateException.class);
        }
    }

    @org.junit.jupiter.api.Test
    void survivesRestartAndRefusesAnotherEncryptionKey() {
        Path path = dir.resolve("kv");
        try (KvStore kv = KvStores.open("local", path)) {
            new AuthService(kv, BOX).setup("admin", AK, SK);
        }
        try (KvStore kv = KvStores.open("local", path)) {
            AuthService auth = new AuthService(kv, new SecretBox("test-secret-key"));
            assertThat(auth.isSetUp()).isTrue();
            assertThat(auth.authenticate(AK, SK)).contains("admin");
        }
        try (KvStore kv = KvStores.open("local", path)) {
            assertThatThrownBy(() -> new AuthService(kv, new SecretBox("another-key")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("auth.encrypt.secret_key is not the key");
        }
    }

    @org.junit.jupiter.api.Test
    void secretBoxBindsCiphertextToItsRecord() {
        byte[] sealed = BOX.encrypt("s3cr3t".getBytes(), "AK1".getBytes());
        assertThat(BOX.decrypt(sealed, "AK1".getBytes())).isEqualTo("s3cr3t".getBytes());
        assertThatThrownBy(() -> BOX.decrypt(sealed, "AK2".getBytes())).isInstanceOf(SecretBox.WrongKeyException.class);
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> BOX.decrypt(tampered, "AK1".getBytes())).isInstanceOf(SecretBox.WrongKeyException.class);
        // two encryptions of the same secret differ (fresh nonce)
        assertThat(BOX.encrypt("s3cr3t".getBytes(), "AK1".getBytes())).isNotEqualTo(sealed);
    }
}
