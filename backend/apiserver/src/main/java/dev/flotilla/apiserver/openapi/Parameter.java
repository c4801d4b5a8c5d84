package dev.flotilla.apiserver.openapi;

import java.util.List;
import java.util.Locale;

/**
 * A path or query parameter of an operation. {@code type} is a JSON schema scalar type;
 * {@code allowed} lists the accepted values when they are a fixed set (empty otherwise).
 */
record Parameter(String name, Location in, String type, boolean required, List<String> allowed,
        String description) {

    enum Location {
        PATH, QUERY;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Parameter {
        allowed = List.copyOf(allowed);
    }
}
