package io.tarn.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts stored secrets with AES-256-GCM under a key derived (PBKDF2-HMAC-SHA256) from the
 * {@code auth.encrypt.secret_key} setting. Each value carries its own random 96-bit nonce; the
 * associated data binds a ciphertext to the record it belongs to (an access key id), so values
 * cannot be swapped between records.
 */
public final class SecretBox {
    private static final byte[] SALT = "tarn/auth/encrypt/v1".getBytes(StandardCharsets.US_ASCII);
    private static final int ITERATIONS = 100_000;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final FutureTask<SecretKeySpec> key;
    private final SecureRandom random = new SecureRandom();

    /**
     * Starts deriving the key on a thread of its own (100,000 rounds of HMAC-SHA256: about half a second
     * of CPU in a JVM that has just started), so a server's start goes on meanwhile; the first
     * encryption or decryption waits for it.
     */
    public SecretBox(String secretKey) {
        if (secretKey == null || secretKey.isEmpty()) {
            throw new IllegalArgumentException("auth.encrypt.secret_key must not be empty");
        }
        char[] chars = secretKey.toCharArray();
        this.key = new FutureTask<>(() -> derive(chars));
        Thread derivation = new Thread(key, "tarn-key-derivation");
        derivation.setDaemon(true);
        derivation.start();
    }

    private static SecretKeySpec derive(char[] chars) {
        try {
            SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            PBEKeySpec spec = new PBEKeySpec(chars, SALT, ITERATIONS, 256);
            byte[] derived = factory.generateSecret(spec).getEncoded();
            spec.clearPassword();
            SecretKeySpec key = new SecretKeySpec(derived, "AES");
            Arrays.fill(derived, (byte) 0);
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the encryption key", e);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private SecretKeySpec key() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return key.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot derive the encryption key", e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A 256-bit key for {@code purpose} (e.g. signing login tokens), derived from the encryption key
     * by HMAC-SHA256: each purpose gets its own key, and none of them reveals the encryption key.
     */
    public byte[] deriveKey(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key().getEncoded(), "HmacSHA256"));
            return mac.doFinal(("tarn/derived/" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive a key", e);
        }
    }

    /** nonce || ciphertext+tag */
    public byte[] encrypt(byte[] plain, byte[] associatedData) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /**
     * @throws WrongKeyException if the value was not sealed with this key and associated data
     */
    public byte[] decrypt(byte[] sealed, byte[] associatedData) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new WrongKeyException();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new WrongKeyException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decryption failed", e);
        }
    }

    /** A stored value that does not open with this key. */
    public static final class WrongKeyException extends RuntimeException {
        WrongKeyException() {
            super("stored secret does not decrypt with auth.encrypt.secret_key", null, false, false);
        }
    }
}
