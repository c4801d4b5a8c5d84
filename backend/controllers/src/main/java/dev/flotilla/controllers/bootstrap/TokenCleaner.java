package dev.flotilla.controllers.bootstrap;

import dev.flotilla.api.bootstrap.BootstrapTokenSecret;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Upstream's token cleaner: deletes a bootstrap token Secret once its {@code expiration} has passed
 * (or when the expiration does not parse), unless the live Secret has another uid by then.
 * Not-yet-expired tokens are looked at again when they expire.
 */
public final class TokenCleaner implements Controller {

    private final Clock clock;
    private KubernetesClient client;
    private WorkQueue<String> queue;
    private SharedIndexInformer<Secret> secrets;

    public TokenCleaner() {
        this(Clock.systemUTC());
    }

    public TokenCleaner(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "tokencleaner";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.queue = queue;
        secrets = context.informers().of(Secret.class);
        secrets.addEventHandler(Enqueue.by(queue, s -> BootstrapTokens.isTokenSecret(s) ? Keys.of(s) : null));
    }

    @Override
    public void reconcile(String key) {
        Secret secret = secrets.getStore().getByKey(key);
        if (secret == null || !BootstrapTokens.isTokenSecret(secret) || secret.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        Optional<BootstrapTokenSecret> token = BootstrapTokens.read(secret);
        Instant now = clock.instant();
        Optional<Instant> expiresAt = token.flatMap(BootstrapTokenSecret::expiresAt);
        boolean expired = token.map(t -> t.expired(now)).orElse(false);
        if (!expired) {
            expiresAt.ifPresent(at -> queue.addAfter(key, Duration.between(now, at).plusMillis(100)));
            return;
        }
        var resource = client.secrets().inNamespace(secret.getMetadata().getNamespace())
                .withName(secret.getMetadata().getName());
        // As upstream, check the live object first: a token re-created under the same name must survive.
        Secret live = resource.get();
        if (live == null || !secret.getMetadata().getUid().equals(live.getMetadata().getUid())) {
            return;
        }
        try {
            resource.delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
        }
    }
}
