package dev.flotilla.apiserver.resource;

import dev.flotilla.api.selector.FieldSelector;
import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.api.selector.SelectorParseException;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ApiRequest;

/** The query parameters of list and watch requests, parsed and checked (400 with the reason when bad). */
record ListOptions(
        LabelSelector labels,
        FieldSelector fields,
        int limit,
        ContinueToken continueToken,
        String resourceVersion,
        boolean watch,
        int timeoutSeconds,
        boolean allowWatchBookmarks,
        boolean sendInitialEvents) {

    static ListOptions from(ApiRequest request) {
        try {
            LabelSelector labels = LabelSelector.parse(value(request, "labelSelector"));
            FieldSelector fields = FieldSelector.parse(value(request, "fieldSelector"));
            String cont = value(request, "continue");
            return new ListOptions(labels, fields,
                    nonNegative(request, "limit"),
                    cont.isEmpty() ? null : ContinueToken.decode(cont),
                    value(request, "resourceVersion"),
                    bool(request, "watch"),
                    nonNegative(request, "timeoutSeconds"),
                    bool(request, "allowWatchBookmarks"),
                    bool(request, "sendInitialEvents"));
        } catch (SelectorParseException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static String value(ApiRequest request, String name) {
        String value = request.queryParam(name);
        return value == null ? "" : value;
    }

    private static boolean bool(ApiRequest request, String name) {
        String value = value(request, name);
        return value.equals("true") || value.equals("1");
    }

    private static int nonNegative(ApiRequest request, String name) {
        String value = value(request, name);
        if (value.isEmpty()) {
            return 0;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 0) {
                throw ApiError.badRequest(name + ": Invalid value: " + parsed + ": must be greater than or equal to 0");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + ": Invalid value: \"" + value + "\": must be an integer");
        }
    }
}
