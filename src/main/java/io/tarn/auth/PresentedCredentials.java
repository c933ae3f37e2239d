package io.tarn.auth;

/**
 * Credentials as a request presented them, already taken out of their HTTP form (header, query,
 * cookie) by the surface that received the request. The set is closed: each kind has the
 * authenticator that can check it, and a surface lists the kinds it accepts.
 */
public sealed interface PresentedCredentials permits PresentedCredentials.Basic, PresentedCredentials.AwsSignature,
        PresentedCredentials.Bearer, PresentedCredentials.SessionCookie {

    /** An access key id and its secret, as HTTP basic auth carries them. */
    record Basic(String accessKeyId, String secretAccessKey) implements PresentedCredentials {
        @Override
        public String toString() {
            return "Basic[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
        }
    }

    /**
     * An AWS signature (SigV4 or SigV2, header or presigned query): the access key id it names, and
     * the check that, given that key's secret, tells whether the request was signed with it. The
     * secret never leaves the authenticator that looks it up.
     */
    record AwsSignature(String accessKeyId, SignatureCheck check) implements PresentedCredentials {
        @Override
        public String toString() {
            return "AwsSignature[accessKeyId=" + accessKeyId + "]";
        }
    }

    /** Verifies a signature with a secret access key. */
    @FunctionalInterface
    interface SignatureCheck {
        boolean matches(String secretAccessKey);
    }

    /** A login token sent as {@code Authorization: Bearer <token>}. */
    record Bearer(String token) implements PresentedCredentials {
        @Override
        public String toString() {
            return "Bearer[***]";
        }
    }

    /** A login token sent in the session cookie ({@code internal_auth_session}) that login sets. */
    record SessionCookie(String token) implements PresentedCredentials {
        @Override
        public String toString() {
            return "SessionCookie[***]";
        }
    }
}
