package dev.flotilla.node.kubelet;

import dev.flotilla.api.events.EventObjects;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's Events about pods (source {@code kubelet}, host = the node): Pulling, Pulled, Created,
 * Started, Killing, BackOff, Failed, FailedMount, Unhealthy… Written in the background so a pod's
 * sync never waits on them, and aggregated as upstream's correlator does: the same event about the
 * same pod within 10 minutes bumps the count and last time of the one already written.
 */
final class PodEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PodEvents.class);
    private static final Duration AGGREGATE_WINDOW = Duration.ofMinutes(10);
    private static final int QUEUE = 1000;

    private record Key(String podUid, String type, String reason, String message, Map<String, String> annotations) {
    }

    private record Written(String namespace, String name, int count, Instant last) {
    }

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;
    private final Map<Key, Written> written = new ConcurrentHashMap<>();
    private final ExecutorService writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUE), r -> {
                Thread thread = new Thread(r, "kubelet-events");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.DiscardPolicy());

    PodEvents(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    void normal(Pod pod, String reason, String message) {
        record(pod, "Normal", reason, message);
    }

    void warning(Pod pod, String reason, String message) {
        record(pod, "Warning", reason, message, Map.of());
    }

    /** A warning with annotations on the event, as upstream's AnnotatedEventf (the Evicted event's offending containers). */
    void warning(Pod pod, String reason, String message, Map<String, String> annotations) {
        record(pod, "Warning", reason, message, annotations);
    }

    private void record(Pod pod, String type, String reason, String message) {
        record(pod, type, reason, message, Map.of());
    }

    private void record(Pod pod, String type, String reason, String message, Map<String, String> annotations) {
        try {
            writer.execute(() -> write(pod, new Key(pod.getMetadata().getUid(), type, reason, message, Map.copyOf(annotations))));
        } catch (RejectedExecutionException e) {
            LOG.debug("event {} for {} dropped: {}", reason, PodSyncer.key(pod), e.getMessage());
        }
    }

    private void write(Pod pod, Key key) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Written before = written.get(key);
        try {
            if (before != null && now.isBefore(before.last().plus(AGGREGATE_WINDOW))) {
                int count = before.count() + 1;
                patch(before, "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
                written.put(key, new Written(before.namespace(), before.name(), count, now));
                return;
            }
            Event event = EventObjects.of(withKind(pod), key.type(), key.reason(), key.message(), "kubelet", nodeName);
            if (!key.annotations().isEmpty()) {
                event.getMetadata().setAnnotations(new java.util.LinkedHashMap<>(key.annotations()));
            }
            client.v1().events().inNamespace(EventObjects.namespace(pod)).resource(event).create();
            written.put(key, new Written(EventObjects.namespace(pod), event.getMetadata().getName(), 1, now));
        } catch (KubernetesClientException e) {
            written.remove(key); // the next one starts a new event
            LOG.debug("cannot record event {} for {}: {}", key.reason(), PodSyncer.key(pod), e.getMessage());
        }
    }

    /**
     * A merge patch sent as such: fabric8's patch reads the object first, which a node may not (upstream's
     * system:node role creates and patches events but does not read them).
     */
    private void patch(Written event, String body) {
        var http = client.getHttpClient();
        var request = http.newHttpRequestBuilder()
                .uri(client.getMasterUrl() + "api/v1/namespaces/" + event.namespace() + "/events/" + event.name())
                .method("PATCH", "application/merge-patch+json", body).build();
        try {
            var response = http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
            if (response.code() >= 300) {
                throw new KubernetesClientException("PATCH of event " + event.name() + " answered " + response.code()
                        + ": " + response.body());
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new KubernetesClientException("PATCH of event " + event.name() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", e);
        }
    }

    private static Pod withKind(Pod pod) {
        if (pod.getKind() != null && pod.getApiVersion() != null) {
            return pod;
        }
        Pod copy = new io.fabric8.kubernetes.api.model.PodBuilder(pod).build();
        copy.setApiVersion("v1");
        copy.setKind("Pod");
        return copy;
    }

    /** Forgets the aggregation state of a pod that is gone. */
    void forgetPod(String podUid) {
        written.keySet().removeIf(k -> k.podUid().equals(podUid));
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
