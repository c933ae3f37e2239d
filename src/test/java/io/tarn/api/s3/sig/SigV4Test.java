package io.tarn.api.s3.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.api.s3.S3Error;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SigV4 against AWS's published values: requests of the Signature Version 4 test suite (credentials
 * AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service "service") and the S3 examples of the S3 API
 * reference ("Signature Calculations for the Authorization Header", "Query String" and "Transferring
 * Payload in Multiple Chunks"; AKIAIOSFODNN7EXAMPLE, 2013-05-24T00:00:00Z, us-east-1, s3).
 */
class SigV4Test {
    static final String SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String S3_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final Instant S3_TIME = Instant.parse("2013-05-24T00:00:00Z");

    /** Builds a request; headers as name, value pairs (a name may repeat). */
    static SignedRequest request(String method, String rawPath, String rawQuery, String... headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.computeIfAbsent(headers[i].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(headers[i + 1]);
        }
        return new SignedRequest(method, rawPath, rawQuery, map, null);
    }

    /** A suite vector: signs with service "service" and the suite's secret. */
    private static String suiteSignature(SignedRequest request, String signedHeaders) {
        SigV4.Auth auth = new SigV4.Auth("AKIDEXAMPLE", "20150830", "us-east-1", "service",
                List.of(signedHeaders.split(";")), "", "20150830T123600Z", false, Hashing.EMPTY_SHA256);
        String canonical = SigV4.canonicalRequest(request, auth, request.rawPath());
        return SigV4.sign(SigV4.signingKey(SUITE_SECRET, "20150830", "us-east-1", "service"),
                SigV4.stringToSign(auth, canonical));
    }

    @Test
    void getVanilla() {
        SignedRequest r = request("GET", "/", null, "Host", "example.amazonaws.com", "X-Amz-Date", "20150830T123600Z");
        SigV4.Auth auth = new SigV4.Auth("AKIDEXAMPLE", "20150830", "us-east-1", "service",
                List.of("host", "x-amz-date"), "", "20150830T123600Z", false, Hashing.EMPTY_SHA256);
        assertThat(SigV4.canonicalRequest(r, auth, "/")).isEqualTo("GET\n/\n\nhost:example.amazonaws.com\n"
                + "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + Hashing.EMPTY_SHA256);
        assertThat(SigV4.stringToSign(auth, SigV4.canonicalRequest(r, auth, "/"))).isEqualTo("AWS4-HMAC-SHA256\n"
                + "20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
        assertThat(suiteSignature(r, "host;x-amz-date"))
                .isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    @Test
    void postVanilla() {
        SignedRequest r = request("POST", "/", null, "Host", "example.amazonaws.com", "X-Amz-Date", "20150830T123600Z");
        assertThat(suiteSignature(r, "host;x-amz-date"))
                .isEqualTo("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
    }

    @Test
    void getVanillaQueryOrderKeyCase() {
        SignedRequest r = request("GET", "/", "Param2=value2&Param1=value1", "Host", "example.amazonaws.com",
                "X-Amz-Date", "20150830T123600Z");
        assertThat(suiteSignature(r, "host;x-amz-date"))
                .isEqualTo("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }

    @Test
    void postHeaderValueCase() {
        SignedRequest r = request("POST", "/", null, "Host", "example.amazonaws.com", "My-Header1", "VALUE1",
                "X-Amz-Date", "20150830T123600Z");
        assertThat(suiteSignature(r, "host;my-header1;x-amz-date"))
                .isEqualTo("cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d");
    }

    @Test
    void getHeaderKeyDuplicate() {
        SignedRequest r = request("GET", "/", null, "Host", "example.amazonaws.com", "My-Header1", "value2",
                "My-Header1", "value2", "My-Header1", "value1", "X-Amz-Date", "20150830T123600Z");
        assertThat(suiteSignature(r, "host;my-header1;x-amz-date"))
                .isEqualTo("c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
    }

    // ---- S3 examples, through the whole check -------------------------------------------------

    private static String authorization(String signedHeaders, String signature) {
        return "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=" + signedHeaders + ",Signature=" + signature;
    }

    private static SigV4.Check headerCheck(SignedRequest r) {
        return new SigV4.Check(r, SigV4.parseHeader(r.header("authorization"), r, S3_TIME));
    }

    @Test
    void s3GetObjectWithRange() {
        SignedRequest r = request("GET", "/test.txt", null, "Host", "examplebucket.s3.amazonaws.com",
                "Range", "bytes=0-9", "x-amz-content-sha256", Hashing.EMPTY_SHA256, "x-amz-date", "20130524T000000Z",
                "Authorization", authorization("host;range;x-amz-content-sha256;x-amz-date",
                        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        SigV4.Check check = headerCheck(r);
        assertThat(check.accessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
        assertThat(check.verify(S3_SECRET)).isTrue();
        assertThat(check.verify("wrong-secret-wrong-secret")).isFalse();
    }

    @Test
    void s3PutObjectWithAnEncodedKey() {
        String signature = "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd";
        for (String path : List.of("/test%24file.text", "/test$file.text")) {
            SignedRequest r = request("PUT", path, null, "Host", "examplebucket.s3.amazonaws.com",
                    "Date", "Fri, 24 May 2013 00:00:00 GMT", "x-amz-date", "20130524T000000Z",
                    "x-amz-storage-class", "REDUCED_REDUNDANCY",
                    "x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
                    "Authorization", authorization("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                            signature));
            assertThat(headerCheck(r).verify(S3_SECRET)).as(path).isTrue();
        }
    }

    @Test
    void s3GetBucketLifecycleWithAValuelessParameter() {
        SignedRequest r = request("GET", "/", "lifecycle", "Host", "examplebucket.s3.amazonaws.com",
                "x-amz-date", "20130524T000000Z", "x-amz-content-sha256", Hashing.EMPTY_SHA256,
                "Authorization", authorization("host;x-amz-content-sha256;x-amz-date",
                        "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"));
        assertThat(headerCheck(r).verify(S3_SECRET)).isTrue();
    }

    @Test
    void s3ListObjects() {
        SignedRequest r = request("GET", "/", "max-keys=2&prefix=J", "Host", "examplebucket.s3.amazonaws.com",
                "x-amz-date", "20130524T000000Z", "x-amz-content-sha256", Hashing.EMPTY_SHA256,
                "Authorization", authorization("host;x-amz-content-sha256;x-amz-date",
                        "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));
        assertThat(headerCheck(r).verify(S3_SECRET)).isTrue();
    }

    @Test
    void s3PresignedGet() {
        String query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1"
                + "%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
        SignedRequest r = request("GET", "/test.txt", query, "Host", "examplebucket.s3.amazonaws.com");
        SigV4.Check check = new SigV4.Check(r, SigV4.parseQuery(r, S3_TIME.plusSeconds(3600)));
        assertThat(check.verify(S3_SECRET)).isTrue();
        assertThatThrownBy(() -> SigV4.parseQuery(r, S3_TIME.plusSeconds(86401)))
                .isInstanceOf(S3Error.class).extracting("code").isEqualTo("AccessDenied");
    }

    @Test
    void presignedExpiryIsAtMostSevenDays() {
        String query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1"
                + "%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=604801&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
        SignedRequest r = request("GET", "/test.txt", query, "Host", "examplebucket.s3.amazonaws.com");
        assertThatThrownBy(() -> SigV4.parseQuery(r, S3_TIME)).isInstanceOf(S3Error.class)
                .extracting("code").isEqualTo("AuthorizationQueryParametersError");
    }

    @Test
    void aSkewedClockIsRefused() {
        SignedRequest r = request("GET", "/test.txt", null, "Host", "examplebucket.s3.amazonaws.com",
                "x-amz-content-sha256", Hashing.EMPTY_SHA256, "x-amz-date", "20130524T000000Z");
        String auth = authorization("host;x-amz-content-sha256;x-amz-date", "0".repeat(64));
        assertThat(SigV4.parseHeader(auth, r, S3_TIME.plusSeconds(14 * 60))).isNotNull();
        assertThatThrownBy(() -> SigV4.parseHeader(auth, r, S3_TIME.plusSeconds(16 * 60)))
                .isInstanceOf(S3Error.class).extracting("code").isEqualTo("RequestTimeTooSkewed");
        assertThatThrownBy(() -> SigV4.parseHeader(auth, r, S3_TIME.minusSeconds(16 * 60)))
                .isInstanceOf(S3Error.class).extracting("code").isEqualTo("RequestTimeTooSkewed");
    }

    @Test
    void requestTimesAreReadStrictly() {
        assertThat(SigV4.parseAmzDate("20130524T000000Z", "x-amz-date")).isEqualTo(S3_TIME);
        assertThat(SigV4.parseAmzDate("20240229T235959Z", "x-amz-date")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
        for (String bad : List.of("20230229T000000Z", "20131324T000000Z", "20130500T000000Z", "20130524T240000Z",
                "20130524T006000Z", "20130524T000060Z", "2013052T000000Z", "20130524 000000Z", "20130524T000000",
                "2013-05-24T00:00:00Z", "2013O524T000000Z", "+2013052T000000Z", "20130524T000000ZZ", "")) {
            assertThatThrownBy(() -> SigV4.parseAmzDate(bad, "x-amz-date")).as(bad).isInstanceOf(S3Error.class)
                    .extracting("code").isEqualTo("AccessDenied");
        }
    }

    @Test
    void aMissingPayloadHashIsAnInvalidRequest() {
        SignedRequest r = request("GET", "/test.txt", null, "Host", "examplebucket.s3.amazonaws.com",
                "x-amz-date", "20130524T000000Z");
        assertThatThrownBy(() -> SigV4.parseHeader(authorization("host;x-amz-date", "0".repeat(64)), r, S3_TIME))
                .isInstanceOf(S3Error.class).extracting("code").isEqualTo("InvalidRequest");
    }

    @Test
    void theSeedSignatureOfTheChunkedExample() {
        SignedRequest r = request("PUT", "/examplebucket/chunkObject.txt", null, "Host", "s3.amazonaws.com",
                "x-amz-date", "20130524T000000Z", "x-amz-storage-class", "REDUCED_REDUNDANCY",
                "x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "Content-Encoding", "aws-chunked",
                "x-amz-decoded-content-length", "66560", "Content-Length", "66824",
                "Authorization", authorization("content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                        + "x-amz-decoded-content-length;x-amz-storage-class",
                        "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"));
        SigV4.Check check = headerCheck(r);
        assertThat(check.verify(S3_SECRET)).isTrue();
        ChunkSigner signer = check.chunkSigner();
        assertThat(signer.nextChunk(Hashing.hex(Hashing.sha256("a".repeat(65536).getBytes()))))
                .isEqualTo("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
        assertThat(signer.nextChunk(Hashing.hex(Hashing.sha256("a".repeat(1024).getBytes()))))
                .isEqualTo("0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
        assertThat(signer.nextChunk(Hashing.EMPTY_SHA256))
                .isEqualTo("b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
    }

    @Test
    void credentialsSplitAsStringSplitSplitsThem() {
        String[] samples = {"", "/", "//", "a", "a/", "a//", "/a", "AKID/20130524/us-east-1/s3/aws4_request",
            "AKID/20130524/us-east-1/s3/aws4_request/", "AKID/20130524/us-east-1/s3/aws4_request//",
            "AKID//us-east-1/s3/aws4_request", "AKID/20130524/us-east-1/s3/aws4_request/x", "a/b/c/d/e/f/g/"};
        for (String s : samples) {
            assertThat(SigV4.splitSlashes(s)).as("'%s'", s).containsExactly(s.split("/"));
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(0, 12); k > 0; k--) {
                b.append("ab/".charAt(random.nextInt(3)));
            }
            assertThat(SigV4.splitSlashes(b.toString())).as("'%s'", b).containsExactly(b.toString().split("/"));
        }
    }

    /** The header value rule as AWS words it: trimmed, runs of spaces and tabs made one space. */
    private static String referenceHeaderValue(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (int v = 0; v < values.size(); v++) {
            if (v > 0) {
                out.append(',');
            }
            out.append(values.get(v).strip().replaceAll("[ \\t]+", " "));
        }
        return out.toString();
    }

    @Test
    void headerValuesAreTrimmedAndTheirRunsOfSpacesMadeOne() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(37);
        String[] atoms = {"a", "Z", " ", "  ", "\t", "\u00a0", "\u00e9", ",", "=", "\u2003", "x y"};
        for (int i = 0; i < 20_000; i++) {
            List<String> values = new ArrayList<>();
            for (int v = random.nextInt(1, 3); v > 0; v--) {
                StringBuilder value = new StringBuilder();
                for (int k = random.nextInt(0, 8); k > 0; k--) {
                    value.append(atoms[random.nextInt(atoms.length)]);
                }
                values.add(value.toString());
            }
            assertThat(SigV4.canonicalHeaderValue(values)).as("%s", values).isEqualTo(referenceHeaderValue(values));
        }
    }
}
