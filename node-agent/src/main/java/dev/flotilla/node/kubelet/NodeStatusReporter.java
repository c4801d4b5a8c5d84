package dev.flotilla.node.kubelet;

import dev.flotilla.node.eviction.EvictionSettings;
import dev.flotilla.node.eviction.Signal;
import dev.flotilla.node.eviction.Threshold;
import dev.flotilla.node.runtime.CriClient;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers this Node (hostname/os/arch labels, capacity and allocatable, addresses, nodeInfo,
 * kubelet endpoint, allocatable = capacity less the hard eviction thresholds), keeps its
 * MemoryPressure/DiskPressure/PIDPressure conditions (the eviction manager's, {@link NodePressure}) and its Ready condition
 * (from the runtime's RuntimeReady and NetworkReady) written when one
 * changes or every minute, and renews its Lease in {@code kube-node-lease} every 10 s.
 */
public final class NodeStatusReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeStatusReporter.class);
    static final String LEASE_NAMESPACE = "kube-node-lease";
    static final Duration LEASE_RENEW = Duration.ofSeconds(10);
    static final Duration STATUS_REPORT = Duration.ofMinutes(1);
    static final Duration STATUS_CHECK = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final CriClient cri;
    private final String nodeName;
    private final String nodeIp;
    private final int kubeletPort;
    private final Path stateDir;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "node-status");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Boolean lastReady;
    private volatile java.util.Set<String> lastPressures = java.util.Set.of();
    private final java.util.function.Supplier<java.util.Set<String>> pressure;
    private final EvictionSettings eviction;
    private volatile Instant lastReport = Instant.EPOCH;

    /**
     * {@code pressure}: the pressure conditions that are True now (the eviction manager's);
     * {@code eviction}: its settings, whose hard memory and nodefs thresholds allocatable keeps back.
     */
    public NodeStatusReporter(KubernetesClient client, CriClient cri, String nodeName, String nodeIp, int kubeletPort,
                              Path stateDir, java.util.function.Supplier<java.util.Set<String>> pressure,
                              EvictionSettings eviction) {
        this.pressure = pressure;
        this.eviction = eviction;
        this.client = client;
        this.cri = cri;
        this.nodeName = nodeName;
        this.nodeIp = nodeIp;
        this.kubeletPort = kubeletPort;
        this.stateDir = stateDir;
    }

    public NodeStatusReporter start() {
        register();
        reportStatus();
        renewLease();
        timers.scheduleWithFixedDelay(this::renewLeaseQuietly, LEASE_RENEW.toMillis(), LEASE_RENEW.toMillis(),
                TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::reportIfChanged, STATUS_CHECK.toMillis(), STATUS_CHECK.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    private void register() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", nodeName);
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", arch());
        Node node = new NodeBuilder().withNewMetadata().withName(nodeName).withLabels(labels).endMetadata()
                .withNewSpec().endSpec().build();
        try {
            client.nodes().resource(node).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // A merge patch, not read-modify-write: the server re-applies it if a controller writes
            // the Node at the same moment, so a busy start-up never fails on a 409.
            client.nodes().withName(nodeName).patch(PatchContext.of(PatchType.JSON_MERGE),
                    Serialization.asJson(Map.of("metadata", Map.of("labels", labels))));
        }
    }

    private void reportIfChanged() {
        try {
            boolean ready = cri.notReadyReason().isEmpty();
            if (!Boolean.valueOf(ready).equals(lastReady) || !pressure.get().equals(lastPressures)
                    || Duration.between(lastReport, Instant.now()).compareTo(STATUS_REPORT) >= 0) {
                reportStatus();
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot report node status: {}", e.getMessage());
        }
    }

    private synchronized void reportStatus() {
        Optional<String> notReady = cri.notReadyReason();
        boolean ready = notReady.isEmpty();
        String now = PodStatuses.time(Instant.now());
        Node current = client.nodes().withName(nodeName).get();
        List<NodeCondition> previous = current == null || current.getStatus() == null
                || current.getStatus().getConditions() == null ? List.of() : current.getStatus().getConditions();
        NodePressure.ConditionSince since = (type, status, fallback) -> previous.stream()
                .filter(c -> c.getType().equals(type) && c.getStatus().equals(status))
                .map(NodeCondition::getLastTransitionTime).findFirst().orElse(fallback);
        java.util.Set<String> underPressure = pressure.get();
        List<NodeCondition> conditions = new ArrayList<>(NodePressure.conditions(underPressure, now, since));
        NodeCondition readyCondition = new NodeConditionBuilder().withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withReason(ready ? "KubeletReady" : "KubeletNotReady")
                .withMessage(notReady.orElse("kubelet is posting ready status"))
                .withLastHeartbeatTime(now).withLastTransitionTime(since.since("Ready", ready ? "True" : "False", now))
                .build();
        conditions.add(readyCondition);
        Map<String, Quantity> capacity = capacity();
        String runtimeVersion = cri.runtimeReady() ? cri.version().getRuntimeVersion() : "unknown";
        NodeStatus status = new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                .withCapacity(capacity).withAllocatable(allocatable(capacity, eviction))
                .withConditions(conditions)
                .addNewAddress().withType("InternalIP").withAddress(nodeIp).endAddress()
                .addNewAddress().withType("Hostname").withAddress(nodeName).endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubeletPort).endKubeletEndpoint().endDaemonEndpoints()
                .withNewNodeInfo().withKubeletVersion("v1.32.0-flotilla").withOperatingSystem("linux")
                .withArchitecture(arch()).withContainerRuntimeVersion("containerd://" + runtimeVersion)
                .withOsImage(osImage()).withKernelVersion(System.getProperty("os.version")).withKubeProxyVersion("")
                .withMachineID(ProcFiles.read("/etc/machine-id")).withSystemUUID(nodeName)
                .withBootID(ProcFiles.read("/proc/sys/kernel/random/boot_id")).endNodeInfo()
                .build();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(nodeName).endMetadata()
                .withStatus(status).build()).patchStatus();
        lastReady = ready;
        lastPressures = underPressure;
        lastReport = Instant.now();
    }

    private void renewLeaseQuietly() {
        try {
            renewLease();
        } catch (RuntimeException e) {
            LOG.warn("cannot renew the node lease: {}", e.getMessage());
        }
    }

    private void renewLease() {
        String renewTime = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS).toString();
        try {
            client.resources(Lease.class).inNamespace(LEASE_NAMESPACE).withName(nodeName)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"holderIdentity\":\"" + nodeName
                            + "\",\"leaseDurationSeconds\":40,\"renewTime\":\"" + renewTime + "\"}}");
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            client.resources(Lease.class).inNamespace(LEASE_NAMESPACE).resource(new LeaseBuilder()
                    .withNewMetadata().withName(nodeName).withNamespace(LEASE_NAMESPACE).endMetadata()
                    .withNewSpec().withHolderIdentity(nodeName).withLeaseDurationSeconds(40)
                    .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS)).endSpec()
                    .build()).create();
        }
    }

    /**
     * Capacity less the hard eviction thresholds of memory.available and nodefs.available, as upstream
     * computes allocatable without system or kube reservations.
     */
    static Map<String, Quantity> allocatable(Map<String, Quantity> capacity, EvictionSettings eviction) {
        Map<String, Quantity> allocatable = new LinkedHashMap<>(capacity);
        keepBack(allocatable, "memory", eviction.hardThreshold(Signal.MEMORY_AVAILABLE));
        keepBack(allocatable, "ephemeral-storage", eviction.hardThreshold(Signal.NODEFS_AVAILABLE));
        return allocatable;
    }

    private static void keepBack(Map<String, Quantity> allocatable, String resource, Optional<Threshold> threshold) {
        long total = allocatable.get(resource).getNumericalAmount().longValue();
        long kept = threshold.map(t -> t.amount(total)).orElse(0L);
        allocatable.put(resource, new Quantity(Math.max(0, total - kept) / 1024 + "Ki"));
    }

    private Map<String, Quantity> capacity() {
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(Integer.toString(Runtime.getRuntime().availableProcessors())));
        capacity.put("memory", new Quantity(memoryKib() + "Ki"));
        capacity.put("pods", new Quantity("110"));
        File disk = stateDir.toFile();
        capacity.put("ephemeral-storage", new Quantity(disk.getTotalSpace() / 1024 + "Ki"));
        return capacity;
    }

    private static long memoryKib() {
        for (String line : ProcFiles.read("/proc/meminfo").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return arch.equals("x86_64") ? "amd64" : arch.equals("aarch64") ? "arm64" : arch;
    }

    private static String osImage() {
        for (String line : ProcFiles.read("/etc/os-release").split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        return "Linux";
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
