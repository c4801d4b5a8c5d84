package dev.flotilla.apiserver.proxy;

import dev.flotilla.api.status.ApiError;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * A backend that cannot be reached, said as upstream says it ({@code error dialing backend: dial tcp
 * 10.0.0.5:10250: connect: connection refused}). Answered with 502 rather than upstream's bare 500:
 * the API server is healthy, the backend behind it is not.
 */
final class DialErrors {

    private DialErrors() {
    }

    static ApiError dialFailed(Backend backend, Throwable cause) {
        return ApiError.of(502, null, "error dialing backend: " + describe(backend, cause));
    }

    private static String describe(Backend backend, Throwable cause) {
        String target = "dial tcp " + backend.address() + ": ";
        if (cause instanceof ConnectTimeoutException) {
            return target + "i/o timeout";
        }
        if (cause instanceof NoRouteToHostException) {
            return target + "connect: no route to host";
        }
        if (cause instanceof ConnectException) {
            return target + "connect: connection refused";
        }
        if (cause instanceof UnknownHostException) {
            return "dial tcp: lookup " + backend.host() + ": no such host";
        }
        Throwable tls = cause;
        while (tls != null && !(tls instanceof SSLException)) {
            tls = tls.getCause();
        }
        if (tls != null) {
            return "tls: failed to verify the certificate of " + backend.address() + ": " + tls.getMessage();
        }
        return target + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    }
}
