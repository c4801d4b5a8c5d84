package dev.flotilla.controllers.framework;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** What an API failure says, for events and conditions: the server's Status message when it sent one. */
public final class ApiFailures {

    private ApiFailures() {
    }

    public static String message(Exception failure) {
        if (failure instanceof KubernetesClientException e && e.getStatus() != null && e.getStatus().getMessage() != null
                && !e.getStatus().getMessage().isEmpty()) {
            return e.getStatus().getMessage();
        }
        return failure.getMessage();
    }
}
