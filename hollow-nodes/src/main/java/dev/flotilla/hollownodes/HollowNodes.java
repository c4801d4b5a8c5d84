package dev.flotilla.hollownodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated nodes, like upstream's kubemark: each registers a Node (capacity, allocatable, a Ready
 * condition), keeps its Lease in {@code kube-node-lease} renewed, marks the pods bound to it Running
 * and Ready without running any container, and finishes deleting pods marked for deletion, as a
 * kubelet does once their containers stopped. Leaves its Nodes behind on {@link #close}, as a
 * stopped kubelet does.
 */
public final class HollowNodes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HollowNodes.class);
    static final String LEASE_NAMESPACE = "kube-node-lease";

    private final KubernetesClient client;
    private final HollowNodeTemplate template;
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final Set<String> silent = ConcurrentHashMap.newKeySet();
    private final ExecutorService writers = Executors.newFixedThreadPool(8, daemon("hollow-node-writer"));
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("hollow-node-lease"));
    private final AtomicInteger podIps = new AtomicInteger();
    private SharedIndexInformer<Pod> pods;

    public HollowNodes(KubernetesClient client, HollowNodeTemplate template) {
        this.client = client;
        this.template = template;
    }

    /** Registers every node and its Lease (in parallel), then starts serving their pods. */
    public HollowNodes start() {
        List<Future<?>> registrations = new ArrayList<>();
        for (int i = 0; i < template.count(); i++) {
            String name = template.nodeName(i);
            names.add(name);
            registrations.add(writers.submit(() -> register(name)));
        }
        for (Future<?> registration : registrations) {
            try {
                registration.get();
            } catch (Exception e) {
                throw new IllegalStateException("cannot register hollow node: " + e.getMessage(), e);
            }
        }
        long interval = template.leaseRenewInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(this::renewLeases, interval, interval, TimeUnit.MILLISECONDS);
        pods = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                podChanged(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                podChanged(newPod);
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                started.remove(key(pod));
            }
        }, 0);
        LOG.info("{} hollow nodes registered ({}-0 …)", template.count(), template.namePrefix());
        return this;
    }

    public List<String> nodeNames() {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < template.count(); i++) {
            list.add(template.nodeName(i));
        }
        return list;
    }

    private void register(String name) {
        Map<String, String> labels = new LinkedHashMap<>(template.labels());
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("flotilla.dev/hollow-node", "true");
        Map<String, Quantity> capacity = new HashMap<>();
        capacity.put("cpu", new Quantity(template.cpu()));
        capacity.put("memory", new Quantity(template.memory()));
        capacity.put("pods", new Quantity(template.pods()));
        capacity.put("ephemeral-storage", new Quantity("100Gi"));
        Node node = new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withTaints(template.taints()).endSpec()
                .build();
        try {
            client.nodes().resource(node).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        String now = seconds();
        Node withStatus = new NodeBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewStatus()
                .withCapacity(capacity).withAllocatable(capacity)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("kubelet is posting ready status").withLastHeartbeatTime(now).withLastTransitionTime(now)
                .endCondition()
                .addNewAddress().withType("InternalIP").withAddress("10.255.0.1").endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withNewNodeInfo().withKubeletVersion("v1.32.0-hollow").withOperatingSystem("linux")
                .withArchitecture("amd64").withContainerRuntimeVersion("hollow://1.0").withOsImage("Hollow")
                .withKernelVersion("hollow").withKubeProxyVersion("").withMachineID(name).withSystemUUID(name)
                .withBootID(name).endNodeInfo()
                .endStatus().build();
        client.nodes().resource(withStatus).patchStatus();
        Lease lease = new LeaseBuilder()
                .withNewMetadata().withName(name).withNamespace(LEASE_NAMESPACE).endMetadata()
                .withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(40).withRenewTime(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS))
                .endSpec().build();
        try {
            client.resources(Lease.class).inNamespace(LEASE_NAMESPACE).resource(lease).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            renewLease(name);
        }
    }

    /** Stops renewing this node's Lease, as a kubelet that lost its connection (pods keep being served). */
    public void stopHeartbeat(String name) {
        silent.add(name);
    }

    private void renewLeases() {
        for (String name : names) {
            if (silent.contains(name)) {
                continue;
            }
            writers.submit(() -> {
                try {
                    renewLease(name);
                } catch (RuntimeException e) {
                    LOG.debug("cannot renew lease of {}: {}", name, e.getMessage());
                }
            });
        }
    }

    private void renewLease(String name) {
        client.resources(Lease.class).inNamespace(LEASE_NAMESPACE).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"renewTime\":\"" + micros() + "\"}}");
    }

    private void podChanged(Pod pod) {
        String nodeName = pod.getSpec().getNodeName();
        if (nodeName == null || !names.contains(nodeName)) {
            return;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            writers.submit(() -> finishDeletion(pod));
            return;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (!"Running".equals(phase) && started.add(key(pod))) {
            writers.submit(() -> markRunning(pod));
        }
    }

    private void markRunning(Pod pod) {
        String now = seconds();
        List<PodCondition> conditions = new ArrayList<>();
        for (String type : List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")) {
            conditions.add(new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(now).build());
        }
        int ip = podIps.incrementAndGet();
        Pod running = new PodBuilder()
                .withNewMetadata().withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace())
                .endMetadata()
                .withNewStatus().withPhase("Running").withConditions(conditions).withStartTime(now)
                .withHostIP("10.255.0.1").withPodIP("10.244." + ((ip >> 8) & 255) + "." + (ip & 255))
                .withContainerStatuses(pod.getSpec().getContainers().stream().map(c -> new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                        .withName(c.getName()).withImage(c.getImage()).withImageID("hollow://" + c.getImage())
                        .withContainerID("hollow://" + pod.getMetadata().getUid() + "/" + c.getName())
                        .withReady(true).withStarted(true).withRestartCount(0)
                        .withNewState().withNewRunning().withStartedAt(now).endRunning().endState().build()).toList())
                .endStatus().build();
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(running).patchStatus();
        } catch (KubernetesClientException e) {
            started.remove(key(pod));
            LOG.debug("cannot mark {} running: {}", key(pod), e.getMessage());
        }
    }

    private void finishDeletion(Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            LOG.debug("cannot finish deleting {}: {}", key(pod), e.getMessage());
        }
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    private static String seconds() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    private static String micros() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC)
                .format(Instant.now());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops heartbeats and pod handling; the Nodes stay registered (and will go NotReady). */
    @Override
    public void close() {
        heartbeats.shutdownNow();
        if (pods != null) {
            pods.stop();
        }
        writers.shutdownNow();
    }
}
