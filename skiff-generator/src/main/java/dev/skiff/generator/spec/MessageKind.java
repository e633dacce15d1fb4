package dev.skiff.generator.spec;

/** The spec file's {@code type}: what role the message plays on the wire. */
public enum MessageKind {
    REQUEST, RESPONSE, HEADER, DATA;

    /** Parses the spec's lower-case {@code type} value. */
    public static MessageKind parse(String text) {
        switch (text) {
            case "request":
                return REQUEST;
            case "response":
                return RESPONSE;
            case "header":
                return HEADER;
            case "data":
                return DATA;
            default:
                throw new IllegalArgumentException("unknown message type: " + text);
        }
    }
}
