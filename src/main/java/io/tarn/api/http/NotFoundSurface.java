package io.tarn.api.http;

/** Answers every request with a JSON 404 and a message that points the client to the right door. */
public final class NotFoundSurface implements PlainJsonSurface {
    /** Where a request goes when no mount takes it. */
    static final NotFoundSurface NOWHERE = new NotFoundSurface("none", "nothing is served at this path");

    private final String name;
    private final String message;

    public NotFoundSurface(String name, String message) {
        this.name = name;
        this.message = message;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void serve(Exchange exchange) {
        throw ApiException.notFound(message + ": " + FrontDoor.printable(exchange.rawPath()));
    }
}
