package dev.flotilla.controllers.nodelifecycle;

import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.EventRecorder;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node lifecycle controller: watches node Leases in {@code kube-node-lease} and remembers when
 * each renewal was observed (local time, so clock skew does not matter); a node not heard from for
 * the grace period (upstream 40 s) gets its kubelet conditions Unknown; Ready False/Unknown adds the
 * not-ready/unreachable taints (NoSchedule at once, NoExecute at most {@code evictionRate} nodes a
 * second, upstream's --node-eviction-rate 0.1), and the NoExecute taints evict pods as each pod's
 * tolerations allow ({@link NoExecuteEviction}), marking them DisruptionTarget first.
 */
public final class NodeLifecycleController implements Controller {

    private static final String LEASE_NAMESPACE = "kube-node-lease";

    private final Duration gracePeriod;
    private final Duration monitorPeriod;
    private final double evictionRate;
    private final Map<String, Instant> lastHeard = new ConcurrentHashMap<>();
    private final Map<String, Instant> noExecuteDue = new ConcurrentHashMap<>();
    private Instant nextNoExecute = Instant.EPOCH;
    private KubernetesClient client;
    private SharedIndexInformer<Node> nodes;
    private SharedIndexInformer<Pod> pods;
    private WorkQueue<String> queue;
    private EventRecorder events;

    public NodeLifecycleController(Duration gracePeriod, Duration monitorPeriod, double evictionRate) {
        this.gracePeriod = gracePeriod;
        this.monitorPeriod = monitorPeriod;
        this.evictionRate = evictionRate;
    }

    @Override
    public String name() {
        return "nodelifecycle";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.queue = queue;
        this.events = new EventRecorder(client, "node-controller");
        nodes = context.informers().of(Node.class);
        pods = context.informers().of(Pod.class);
        SharedIndexInformer<Lease> leases = context.informers().of(Lease.class);
        nodes.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                lastHeard.putIfAbsent(node.getMetadata().getName(), Instant.now());
                queue.add(node.getMetadata().getName());
            }

            @Override
            public void onUpdate(Node old, Node node) {
                if (!Objects.equals(heartbeat(old), heartbeat(node))) {
                    lastHeard.put(node.getMetadata().getName(), Instant.now());
                }
                queue.add(node.getMetadata().getName());
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
                lastHeard.remove(node.getMetadata().getName());
                noExecuteDue.remove(node.getMetadata().getName());
            }
        });
        leases.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Lease lease) {
                renewed(lease);
            }

            @Override
            public void onUpdate(Lease old, Lease lease) {
                if (!Objects.equals(old.getSpec().getRenewTime(), lease.getSpec().getRenewTime())) {
                    renewed(lease);
                }
            }

            @Override
            public void onDelete(Lease lease, boolean finalStateUnknown) {
            }
        });
    }

    private void renewed(Lease lease) {
        if (LEASE_NAMESPACE.equals(lease.getMetadata().getNamespace())) {
            lastHeard.put(lease.getMetadata().getName(), Instant.now());
        }
    }

    /** The kubelet's own heartbeat on the Ready condition, as an older kubelet posts it. */
    private static String heartbeat(Node node) {
        return node.getStatus() == null ? null : node.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType())).map(NodeCondition::getLastHeartbeatTime)
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    @Override
    public void reconcile(String name) {
        Node node = nodes.getStore().getByKey(name);
        if (node == null) {
            return;
        }
        try {
            Instant now = Instant.now();
            String stamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
            Instant heard = lastHeard.computeIfAbsent(name, n -> now);
            if (Duration.between(heard, now).compareTo(gracePeriod) > 0) {
                List<NodeCondition> unknown = NodeHealth.unknownConditions(node, stamp);
                if (unknown != null) {
                    Node copy = client.getKubernetesSerialization().clone(node);
                    if (copy.getStatus() == null) {
                        // registered without a status (kubectl create of a bare Node): never posted
                        copy.setStatus(new NodeStatus());
                    }
                    copy.getStatus().setConditions(unknown);
                    node = client.resource(copy).updateStatus();
                    events.normal(node, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
                }
            }
            updateTaints(node, now, stamp);
            evictPods(node, now);
        } finally {
            queue.addAfter(name, monitorPeriod);
        }
    }

    private void updateTaints(Node node, Instant now, String stamp) {
        String name = node.getMetadata().getName();
        boolean unhealthy = !"True".equals(NodeHealth.readyStatus(node));
        boolean allowed = false;
        if (unhealthy && !NodeHealth.hasNoExecute(node, NodeHealth.NOT_READY)
                && !NodeHealth.hasNoExecute(node, NodeHealth.UNREACHABLE)) {
            Instant due = noExecuteDue.computeIfAbsent(name, n -> reserveNoExecute(now));
            allowed = !due.isAfter(now);
            if (!allowed) {
                queue.addAfter(name, Duration.between(now, due));
            }
        } else if (!unhealthy) {
            noExecuteDue.remove(name);
        } else {
            allowed = true;
        }
        List<Taint> taints = NodeHealth.taints(node, allowed, stamp);
        if (taints == null) {
            return;
        }
        Node copy = client.getKubernetesSerialization().clone(node);
        if (copy.getSpec() == null) {
            copy.setSpec(new NodeSpec());
        }
        copy.getSpec().setTaints(taints);
        client.resource(copy).update();
    }

    /** The time the next NoExecute tainting may happen, at most evictionRate a second. */
    private synchronized Instant reserveNoExecute(Instant now) {
        Instant slot = nextNoExecute.isAfter(now) ? nextNoExecute : now;
        nextNoExecute = slot.plusNanos((long) (1e9 / evictionRate));
        return slot;
    }

    private void evictPods(Node node, Instant now) {
        if (node.getSpec() == null || node.getSpec().getTaints().stream().noneMatch(t -> "NoExecute".equals(t.getEffect()))) {
            return;
        }
        Instant next = null;
        for (Pod pod : pods.getStore().list()) {
            if (!node.getMetadata().getName().equals(pod.getSpec().getNodeName())
                    || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            Instant deadline = NoExecuteEviction.deadline(pod, node);
            if (deadline == null) {
                continue;
            }
            if (deadline.isAfter(now)) {
                next = next == null || deadline.isBefore(next) ? deadline : next;
                continue;
            }
            evict(pod);
        }
        if (next != null) {
            queue.addAfter(node.getMetadata().getName(), Duration.between(now, next).plusMillis(100));
        }
    }

    private void evict(Pod pod) {
        try {
            Pod copy = client.getKubernetesSerialization().clone(pod);
            List<PodCondition> conditions = new ArrayList<>(copy.getStatus().getConditions().stream()
                    .filter(c -> !"DisruptionTarget".equals(c.getType())).toList());
            conditions.add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                    .withReason("DeletionByTaintManager").withMessage("Taint manager: deleting due to NoExecute taint")
                    .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).build());
            copy.getStatus().setConditions(conditions);
            client.resource(copy).updateStatus();
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
            events.normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + pod.getMetadata().getNamespace()
                    + "/" + pod.getMetadata().getName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
        }
    }
}
