package io.tarn.engine.model;

/** An item of an object listing: an object, or a common prefix when a delimiter is given. */
public sealed interface ListItem permits ObjectEntry, CommonPrefix {
    String path();
}
