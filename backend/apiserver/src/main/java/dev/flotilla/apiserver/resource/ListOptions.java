package dev.flotilla.apiserver.resource;

import dev.flotilla.api.selector.FieldSelector;
import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.api.selector.SelectorParseException;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.http.ApiRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The query parameters of list and watch requests, parsed and checked (400 with the reason when bad).
 *
 * @param resourceVersionMatch "" when not given
 * @param initialEvents        {@code sendInitialEvents}, null when not given (upstream tells absent from false)
 */
record ListOptions(
        LabelSelector labels,
        FieldSelector fields,
        int limit,
        ContinueToken continueToken,
        String resourceVersion,
        String resourceVersionMatch,
        boolean watch,
        int timeoutSeconds,
        boolean allowWatchBookmarks,
        Boolean initialEvents) {

    static final String NOT_OLDER_THAN = "NotOlderThan";
    static final String EXACT = "Exact";

    static ListOptions from(ApiRequest request) {
        try {
            LabelSelector labels = LabelSelector.parse(value(request, "labelSelector"));
            FieldSelector fields = FieldSelector.parse(value(request, "fieldSelector"));
            String cont = value(request, "continue");
            String initial = request.queryParam("sendInitialEvents");
            return new ListOptions(labels, fields,
                    nonNegative(request, "limit"),
                    cont.isEmpty() ? null : ContinueToken.decode(cont),
                    value(request, "resourceVersion"),
                    value(request, "resourceVersionMatch"),
                    bool(request, "watch"),
                    nonNegative(request, "timeoutSeconds"),
                    bool(request, "allowWatchBookmarks"),
                    initial == null ? null : bool(request, "sendInitialEvents"));
        } catch (SelectorParseException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    boolean sendInitialEvents() {
        return Boolean.TRUE.equals(initialEvents);
    }

    /** The resourceVersion as a number; only call when it is neither "" nor "0"-agnostic. */
    long resourceVersionNumber() {
        try {
            long parsed = Long.parseLong(resourceVersion);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("resourceVersion: Invalid value: \"" + resourceVersion + "\": must be an integer");
        }
    }

    /** Upstream's checks of a list's options (422 Invalid ListOptions). */
    void checkForList() {
        List<FieldError> errors = new ArrayList<>();
        if (!resourceVersionMatch.isEmpty()) {
            if (resourceVersion.isEmpty()) {
                errors.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }
            if (continueToken != null) {
                errors.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden when continue is provided"));
            }
            if (!resourceVersionMatch.equals(EXACT) && !resourceVersionMatch.equals(NOT_OLDER_THAN)) {
                errors.add(FieldError.notSupported("resourceVersionMatch", resourceVersionMatch,
                        List.of(EXACT, NOT_OLDER_THAN, "")));
            }
            if (resourceVersionMatch.equals(EXACT) && resourceVersion.equals("0")) {
                errors.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
        }
        if (initialEvents != null) {
            errors.add(FieldError.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        }
        reject(errors);
    }

    /** Upstream's checks of a watch's options (422 Invalid ListOptions). */
    void checkForWatch() {
        List<FieldError> errors = new ArrayList<>();
        if (initialEvents != null && !resourceVersionMatch.equals(NOT_OLDER_THAN)) {
            errors.add(FieldError.forbidden("resourceVersionMatch",
                    "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
        }
        if (!resourceVersionMatch.isEmpty()) {
            if (initialEvents == null) {
                errors.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }
            if (!resourceVersionMatch.equals(NOT_OLDER_THAN)) {
                errors.add(FieldError.notSupported("resourceVersionMatch", resourceVersionMatch,
                        List.of(NOT_OLDER_THAN)));
            }
            if (continueToken != null) {
                errors.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden when continue is provided"));
            }
        }
        reject(errors);
    }

    private static void reject(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiError.invalid("meta.k8s.io", "ListOptions", "", errors);
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
