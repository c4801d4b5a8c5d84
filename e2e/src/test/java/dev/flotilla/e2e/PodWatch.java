package dev.flotilla.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Watches the pods with some labels continuously and records, after every event, the highest
 * number of active (not terminating) pods, the lowest number of ready active pods once armed, and
 * every pod name ever seen; for asserting that controllers never over-create or drop availability
 * between two polls.
 */
final class PodWatch implements AutoCloseable {

    private final SharedIndexInformer<Pod> informer;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile int maxActive;
    private volatile String atMaxActive = "[]";
    private volatile int minReady = Integer.MAX_VALUE;
    private volatile boolean armed;
    private volatile Predicate<List<Pod>> invariant = pods -> true;
    private volatile String violation;

    PodWatch(KubernetesClient client, String namespace, Map<String, String> labels) {
        informer = client.pods().inNamespace(namespace).withLabels(labels).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                seen.add(pod.getMetadata().getName());
                observe();
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                observe();
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                observe();
            }
        }, 0);
    }

    private synchronized void observe() {
        if (informer == null) {
            // Pods that exist already are handed over while inform() is still starting.
            return;
        }
        List<Pod> active = active();
        if (active.size() > maxActive) {
            maxActive = active.size();
            atMaxActive = describe(active);
        }
        if (armed) {
            minReady = Math.min(minReady, (int) active.stream().filter(PodWatch::ready).count());
            if (violation == null && !invariant.test(active)) {
                violation = describe(active);
            }
        }
    }

    /** From now on, records the lowest ready count and checks {@code invariant} on the active pods after every event. */
    synchronized void arm(Predicate<List<Pod>> check) {
        invariant = check;
        armed = true;
        minReady = (int) active().stream().filter(PodWatch::ready).count();
    }

    List<Pod> active() {
        return informer.getStore().list().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    int maxActive() {
        return maxActive;
    }

    /** The active pods when there were most of them: name, node, image, ready, creation time. */
    String atMaxActive() {
        return atMaxActive;
    }

    private static String describe(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName() + "@" + p.getSpec().getNodeName() + "="
                + p.getSpec().getContainers().get(0).getImage() + (ready(p) ? " ready" : " not-ready")
                + " created " + p.getMetadata().getCreationTimestamp()).toList().toString();
    }

    int minReady() {
        return minReady;
    }

    int seen() {
        return seen.size();
    }

    String violation() {
        return violation;
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Override
    public void close() {
        informer.stop();
    }
}
