package io.tarn.engine.model;

/**
 * One source of an import.
 *
 * @param kind        a single object, or every object under a prefix
 * @param location    a full URI of the block store ({@code s3://bucket/prefix/}, {@code local://dir/file})
 * @param destination the object's path on the branch, or the prefix its objects go under (their key
 *                    after {@code location} appended)
 */
public record ImportSource(Kind kind, String location, String destination) {
    public enum Kind { OBJECT, PREFIX }
}
