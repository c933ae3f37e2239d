package io.tarn.api.http;

/** A surface without domain errors (system endpoints, a door not yet served): failures answer as generic JSON errors. */
public interface PlainJsonSurface extends Surface {
    @Override
    default int answerFailure(Exchange exchange, Throwable failure) {
        return JsonApiSurface.answerJson(exchange, ErrorMapper.NO_DOMAIN.map(failure));
    }
}
