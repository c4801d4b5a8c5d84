package dev.flotilla.node.volumes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens for projected {@code serviceAccountToken} sources, from the TokenRequest API bound to the
 * pod (so they stop working when the pod is deleted), with the source's audience and lifetime; kept
 * until 80% of their life or 24 hours has passed, then replaced, as upstream's kubelet does.
 */
final class ServiceAccountTokens {

    static final long DEFAULT_SECONDS = 3600;
    private static final Duration MAX_AGE = Duration.ofHours(24);

    private record Key(String podUid, String volume, String path) {
    }

    record Issued(String token, Instant issuedAt, Instant expiresAt) {

        /** Time to replace the token: 80% of its life, or 24 hours, has passed. */
        boolean due(Instant now) {
            Duration life = Duration.between(issuedAt, expiresAt);
            Instant refresh = issuedAt.plus(life.multipliedBy(8).dividedBy(10));
            return !now.isBefore(refresh) || !now.isBefore(issuedAt.plus(MAX_AGE));
        }
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<Key, Issued> issued = new ConcurrentHashMap<>();

    ServiceAccountTokens(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    String token(Pod pod, String volume, ServiceAccountTokenProjection source) {
        Key key = new Key(pod.getMetadata().getUid(), volume, source.getPath());
        Instant now = clock.instant();
        Issued current = issued.get(key);
        if (current != null && !current.due(now)) {
            return current.token();
        }
        String account = pod.getSpec().getServiceAccountName() == null ? "default" : pod.getSpec().getServiceAccountName();
        long seconds = source.getExpirationSeconds() == null ? DEFAULT_SECONDS : source.getExpirationSeconds();
        TokenRequestBuilder request = new TokenRequestBuilder().withNewSpec()
                .withExpirationSeconds(seconds)
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).endBoundObjectRef()
                .withAudiences(source.getAudience() == null || source.getAudience().isEmpty() ? List.of()
                        : List.of(source.getAudience()))
                .endSpec();
        TokenRequest answer;
        try {
            answer = client.serviceAccounts().inNamespace(pod.getMetadata().getNamespace()).withName(account)
                    .tokenRequest(request.build());
        } catch (KubernetesClientException e) {
            if (current != null && now.isBefore(current.expiresAt())) {
                return current.token(); // still valid: try again at the next refresh
            }
            String why = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                    : e.getMessage();
            throw new VolumeSetupException("failed to fetch token: " + why, e);
        }
        Instant expires = answer.getStatus().getExpirationTimestamp() == null ? now.plusSeconds(seconds)
                : Instant.parse(answer.getStatus().getExpirationTimestamp());
        issued.put(key, new Issued(answer.getStatus().getToken(), now, expires));
        return answer.getStatus().getToken();
    }

    void forgetPod(String podUid) {
        issued.keySet().removeIf(k -> k.podUid().equals(podUid));
    }
}
