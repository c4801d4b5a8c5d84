package dev.flotilla.storage.etcd;

import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Sorts the ways a jetcd call fails into what the store does about them. jetcd reports the same
 * condition in several shapes (a gRPC status, an {@link EtcdException} with a code, only a message),
 * so the sorting lives in one place rather than at every call.
 */
final class EtcdFailures {

    /** What a failure means for the caller. */
    enum Kind {
        /** etcd is down, unreachable or too slow: worth a fresh client and a retry later. */
        UNAVAILABLE,
        /** The requested revision has been compacted. */
        COMPACTED,
        /** The requested revision is newer than etcd's current revision. */
        FUTURE_REVISION,
        /** etcd refused the request (bad request, permission, size limit...): retrying will not help. */
        REJECTED,
        /** Something else went wrong inside etcd or the client (internal, unknown): may pass. */
        FAILED
    }

    private static final String COMPACTED_MESSAGE = "required revision has been compacted";
    private static final String FUTURE_REVISION_MESSAGE = "required revision is a future revision";

    private EtcdFailures() {
    }

    static Kind classify(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof io.etcd.jetcd.common.exception.CompactedException) {
            return Kind.COMPACTED;
        }
        if (e instanceof TimeoutException) {
            return Kind.UNAVAILABLE;
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains(COMPACTED_MESSAGE)) {
            return Kind.COMPACTED;
        }
        if (message.contains(FUTURE_REVISION_MESSAGE)) {
            return Kind.FUTURE_REVISION;
        }
        switch (code(e)) {
            case UNAVAILABLE:
            case DEADLINE_EXCEEDED:
            case CANCELLED:
                return Kind.UNAVAILABLE;
            case INTERNAL:
            case UNKNOWN:
            case ABORTED:
            case DATA_LOSS:
                return Kind.FAILED;
            default:
                return Kind.REJECTED;
        }
    }

    /**
     * Whether the client that saw this failure should be swapped for a fresh one: gRPC would otherwise
     * wait out its reconnect back-off (up to two minutes) before trying etcd again.
     */
    static boolean needsFreshClient(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof TimeoutException) {
            return true;
        }
        Status.Code code = code(e);
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    }

    /** The compaction revision etcd reported with the failure, or 0 when it did not say. */
    static long compactedRevision(Throwable failure) {
        return unwrap(failure) instanceof io.etcd.jetcd.common.exception.CompactedException compacted
                ? compacted.getCompactedRevision()
                : 0;
    }

    /** A short description for messages and logs: the innermost message that says something. */
    static String describe(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof TimeoutException) {
            return "no answer in time";
        }
        String message = e.getMessage();
        Throwable cause = e.getCause();
        while ((message == null || message.isBlank()) && cause != null) {
            message = cause.getMessage();
            cause = cause.getCause();
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    static Throwable unwrap(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static Status.Code code(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof EtcdException etcd) {
                try {
                    return Status.Code.valueOf(etcd.getErrorCode().name());
                } catch (IllegalArgumentException unknownName) {
                    return Status.Code.UNKNOWN;
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return Status.fromThrowable(e).getCode();
    }
}
