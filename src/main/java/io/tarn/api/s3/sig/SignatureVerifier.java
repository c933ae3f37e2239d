package io.tarn.api.s3.sig;

/** One request's AWS signature, checked once its access key's secret is known. */
public interface SignatureVerifier {
    String accessKeyId();

    /** True when the request was signed with this secret. */
    boolean verify(String secretAccessKey);
}
