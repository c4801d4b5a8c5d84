package dev.flotilla.apiserver.openapi;

import java.util.List;

/** A URL template with the parameters all its operations share (name, namespace, pretty) and its operations. */
record PathItem(String path, List<Parameter> parameters, List<Operation> operations) {

    PathItem {
        parameters = List.copyOf(parameters);
        operations = List.copyOf(operations);
    }
}
