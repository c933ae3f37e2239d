package io.tarn.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The key is derived on a thread of its own; what it seals and opens is what it always was. */
class SecretBoxTest {
    private static final byte[] AD = "AKIAEXAMPLE".getBytes(StandardCharsets.UTF_8);

    /** A value sealed the way every earlier version sealed them: AES-256-GCM under PBKDF2(secret). */
    private static byte[] sealedByHand(String secret, byte[] plain) throws Exception {
        SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] key = factory.generateSecret(new PBEKeySpec(secret.toCharArray(),
                "tarn/auth/encrypt/v1".getBytes(StandardCharsets.US_ASCII), 100_000, 256)).getEncoded();
        byte[] nonce = new byte[12];
        nonce[3] = 7;
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(AD);
        byte[] sealed = cipher.doFinal(plain);
        return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
    }

    @Test
    void opensValuesSealedUnderTheSameDerivedKeyAsBefore() throws Exception {
        byte[] plain = "the secret access key".getBytes(StandardCharsets.UTF_8);
        SecretBox box = new SecretBox("configured-key");
        assertThat(box.decrypt(sealedByHand("configured-key", plain), AD)).isEqualTo(plain);
        assertThatThrownBy(() -> new SecretBox("another-key").decrypt(sealedByHand("configured-key", plain), AD))
                .isInstanceOf(SecretBox.WrongKeyException.class);
    }

    @Test
    void boxesOfOneSecretShareTheirKeysAcrossThreads() throws Exception {
        SecretBox sealer = new SecretBox("shared");
        SecretBox opener = new SecretBox("shared");
        byte[][] opened = new byte[8][];
        CountDownLatch done = new CountDownLatch(opened.length);
        for (int i = 0; i < opened.length; i++) {
            int n = i;
            Thread.ofVirtual().start(() -> {
                byte[] value = ("value " + n).getBytes(StandardCharsets.UTF_8);
                opened[n] = opener.decrypt(sealer.encrypt(value, AD), AD);
                done.countDown();
            });
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < opened.length; i++) {
            assertThat(new String(opened[i], StandardCharsets.UTF_8)).isEqualTo("value " + i);
        }
        assertThat(sealer.deriveKey("login")).isEqualTo(opener.deriveKey("login")).hasSize(32)
                .isNotEqualTo(sealer.deriveKey("other"));
    }

    @Test
    void anInterruptedCallerStillGetsTheKeyAndKeepsItsInterrupt() {
        SecretBox box = new SecretBox("interrupted");
        Thread.currentThread().interrupt();
        try {
            byte[] sealed = box.encrypt(new byte[] {1, 2, 3}, AD);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            Thread.interrupted();
            assertThat(box.decrypt(sealed, AD)).containsExactly(1, 2, 3);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anEmptySecretIsRefusedAtOnce() {
        assertThatThrownBy(() -> new SecretBox("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecretBox(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
