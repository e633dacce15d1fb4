package dev.skiff.cli.internal;

/** How {@code produce} reads values and {@code consume} prints them. */
public enum Format {
    /** UTF-8 text as is. */
    TEXT,
    /** One JSON document per line, validated and sent compact. */
    JSON,
    /** One Avro record per line in Avro's JSON encoding, sent in Avro single-object encoding (--schema). */
    AVRO
}
