package dev.flotilla.apiserver.openapi;

import java.util.List;

/**
 * One HTTP method on one path, in a form both document flavours render from. {@code action} is
 * upstream's {@code x-kubernetes-action} (get, list, post, put, patch, delete, deletecollection);
 * {@code gvk} is the kind the operation serves, which kubectl uses to find the operation.
 */
record Operation(String method, String action, String operationId, String description, GroupVersionKind gvk,
        List<Parameter> parameters, RequestBody body, List<Response> responses) {

    /** The request body: what it holds and the content types it may be sent as. */
    record RequestBody(BodyType type, List<String> contentTypes) {
        RequestBody {
            contentTypes = List.copyOf(contentTypes);
        }
    }

    /** One response code; {@code type} is null when the response has no body worth describing. */
    record Response(int code, String description, BodyType type, List<String> contentTypes) {
        Response {
            contentTypes = List.copyOf(contentTypes);
        }
    }

    Operation {
        parameters = List.copyOf(parameters);
        responses = List.copyOf(responses);
    }
}
