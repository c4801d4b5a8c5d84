package dev.flotilla.controllers.podgc;

import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.replicaset.PodStates;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Upstream's pod garbage collector, run every {@code period} (upstream: 20 s): deletes the oldest
 * terminated (Succeeded or Failed) pods beyond {@code terminatedPodThreshold} (upstream's
 * --terminated-pod-gc-threshold, 12500; 0 turns it off), marks pods bound to nodes that no longer
 * exist Failed with the {@code DisruptionTarget} condition ({@code DeletionByPodGC}) and deletes them,
 * and force-deletes terminating pods that were never scheduled. Deletions have grace period 0.
 */
public final class PodGarbageCollector implements Controller {

    private static final String KEY = "podgc";

    private final int terminatedPodThreshold;
    private final Duration period;
    private KubernetesClient client;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Node> nodes;
    private WorkQueue<String> queue;

    public PodGarbageCollector(int terminatedPodThreshold, Duration period) {
        this.terminatedPodThreshold = terminatedPodThreshold;
        this.period = period;
    }

    @Override
    public String name() {
        return "podgc";
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.queue = queue;
        pods = context.informers().of(Pod.class);
        nodes = context.informers().of(Node.class);
        queue.addAfter(KEY, period);
    }

    @Override
    public void reconcile(String key) {
        try {
            List<Pod> all = pods.getStore().list();
            gcTerminated(all);
            gcOrphaned(all);
            gcUnscheduledTerminating(all);
        } finally {
            queue.addAfter(KEY, period);
        }
    }

    private void gcTerminated(List<Pod> all) {
        if (terminatedPodThreshold <= 0) {
            return;
        }
        List<Pod> terminated = new ArrayList<>(all.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> "Succeeded".equals(PodStates.phase(p)) || "Failed".equals(PodStates.phase(p))).toList());
        int excess = terminated.size() - terminatedPodThreshold;
        if (excess <= 0) {
            return;
        }
        terminated.sort(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp(),
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(p -> p.getMetadata().getName()));
        terminated.subList(0, excess).forEach(this::forceDelete);
    }

    private void gcOrphaned(List<Pod> all) {
        for (Pod pod : all) {
            String node = pod.getSpec().getNodeName();
            if (node == null || node.isEmpty() || nodes.getStore().getByKey(node) != null) {
                continue;
            }
            // The cache may lag behind a node just registered: ask the API before acting.
            if (client.nodes().withName(node).get() != null) {
                continue;
            }
            if (!"Succeeded".equals(PodStates.phase(pod)) && !"Failed".equals(PodStates.phase(pod))) {
                markFailed(pod);
            }
            forceDelete(pod);
        }
    }

    private void gcUnscheduledTerminating(List<Pod> all) {
        all.stream().filter(p -> p.getMetadata().getDeletionTimestamp() != null)
                .filter(p -> p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty())
                .forEach(this::forceDelete);
    }

    private void markFailed(Pod pod) {
        Pod copy = client.getKubernetesSerialization().clone(pod);
        if (copy.getStatus() == null) {
            copy.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
        }
        List<PodCondition> conditions = new ArrayList<>(copy.getStatus().getConditions().stream()
                .filter(c -> !"DisruptionTarget".equals(c.getType())).toList());
        conditions.add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                .withReason("DeletionByPodGC").withMessage("PodGC: node no longer exists")
                .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).build());
        copy.getStatus().setConditions(conditions);
        copy.getStatus().setPhase("Failed");
        try {
            client.resource(copy).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
        }
    }

    private void forceDelete(Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
