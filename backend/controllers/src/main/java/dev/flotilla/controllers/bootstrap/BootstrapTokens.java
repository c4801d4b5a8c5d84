package dev.flotilla.controllers.bootstrap;

import dev.flotilla.api.bootstrap.BootstrapToken;
import dev.flotilla.api.bootstrap.BootstrapTokenSecret;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** Reads bootstrap token Secrets ({@code kube-system/bootstrap-token-<id>}) from an informer's cache. */
final class BootstrapTokens {

    private BootstrapTokens() {
    }

    static boolean isTokenSecret(Secret secret) {
        return BootstrapToken.SECRET_NAMESPACE.equals(secret.getMetadata().getNamespace())
                && BootstrapTokenSecret.TYPE.equals(secret.getType());
    }

    static Optional<BootstrapTokenSecret> read(Secret secret) {
        if (!isTokenSecret(secret) || secret.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        return BootstrapTokenSecret.of(secret.getType(), secret.getMetadata().getName(), secret.getData());
    }
}
