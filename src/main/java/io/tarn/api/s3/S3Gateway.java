package io.tarn.api.s3;

import io.tarn.api.http.Exchange;
import io.tarn.api.http.Surface;

/**
 * The door of the S3 gateway ({@code s3://<repository>/<ref>/<path>}). Until its operations are
 * served, every S3 request is answered in S3's own language: an XML {@code NotImplemented} error
 * that an S3 client shows as such, never a JSON body it cannot parse.
 */
public final class S3Gateway implements Surface {

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public void serve(Exchange exchange) {
        exchange.operation("NotImplemented");
        throw S3Error.notImplemented("the S3 gateway of Tarn does not serve S3 operations yet;"
                + " use the lakeFS API at /api/v0");
    }

    @Override
    public int answerFailure(Exchange exchange, Throwable failure) {
        return S3Errors.answer(exchange, failure);
    }
}
