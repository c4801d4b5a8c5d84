package dev.flotilla.node.stats;

import dev.flotilla.node.cri.v1.Container;
import dev.flotilla.node.cri.v1.ContainerState;
import dev.flotilla.node.cri.v1.ContainerStats;
import dev.flotilla.node.cri.v1.PodSandbox;
import dev.flotilla.node.kubelet.PodLabels;
import dev.flotilla.node.kubelet.ProcFiles;
import dev.flotilla.node.runtime.CriClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the node (/proc) and the running containers (CRI ListContainerStats) into a {@link NodeStats}:
 * containers are grouped into pods by the upstream labels the kubelet puts on them. A runtime that
 * fails gives the node's own figures and {@code scrapeError}, as upstream's
 * {@code resource_scrape_error}.
 */
public final class StatsCollector {

    private static final Logger LOG = LoggerFactory.getLogger(StatsCollector.class);
    private static final String POD_UID = PodLabels.POD_UID;
    private static final String POD_NAME = PodLabels.POD_NAME;
    private static final String POD_NAMESPACE = PodLabels.POD_NAMESPACE;
    private static final String CONTAINER_NAME = PodLabels.CONTAINER_NAME;

    private final String nodeName;
    private final CriClient cri;
    private final Path stateDir;
    private final CpuRates rates = new CpuRates();

    public StatsCollector(String nodeName, CriClient cri, Path stateDir) {
        this.nodeName = nodeName;
        this.cri = cri;
        this.stateDir = stateDir;
    }

    public NodeStats collect() {
        HostReading host = HostReading.read(stateDir);
        Instant now = Instant.ofEpochSecond(0, host.timestampNanos());
        HostReading.Memory memory = host.memory();
        NodeStats.Usage node = new NodeStats.Usage(now, host.cpuUsageCoreNanoSeconds(),
                rates.rate("node", host.timestampNanos(), host.cpuUsageCoreNanoSeconds()), memory.workingSetBytes(),
                memory.usageBytes(), memory.rssBytes(), memory.availableBytes(), memory.pageFaults(),
                memory.majorPageFaults());
        List<NodeStats.PodUsage> pods;
        boolean error = false;
        try {
            pods = pods();
        } catch (RuntimeException e) {
            LOG.warn("cannot read container stats from the runtime: {}", e.getMessage());
            pods = List.of();
            error = true;
        }
        return new NodeStats(nodeName, bootTime(), now, node, host, pods, error);
    }

    private List<NodeStats.PodUsage> pods() {
        Map<String, Container> running = new HashMap<>();
        for (Container container : cri.listContainers()) {
            if (container.getState() == ContainerState.CONTAINER_RUNNING) {
                running.put(container.getId(), container);
            }
        }
        Map<String, Instant> sandboxStarts = new HashMap<>();
        for (PodSandbox sandbox : cri.listPodSandboxes()) {
            String uid = sandbox.getLabelsOrDefault(POD_UID, sandbox.getMetadata().getUid());
            Instant created = nanos(sandbox.getCreatedAt());
            sandboxStarts.merge(uid, created, (a, b) -> a.isBefore(b) ? a : b);
        }
        Map<String, List<NodeStats.ContainerUsage>> byPod = new LinkedHashMap<>();
        Map<String, String[]> podRefs = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (ContainerStats stats : cri.listContainerStats()) {
            Container container = running.get(stats.getAttributes().getId());
            if (container == null) {
                continue;
            }
            Map<String, String> labels = container.getLabelsMap();
            String uid = labels.getOrDefault(POD_UID, "");
            if (uid.isEmpty()) {
                continue;
            }
            seen.add(container.getId());
            podRefs.putIfAbsent(uid, new String[] {labels.getOrDefault(POD_NAMESPACE, ""),
                    labels.getOrDefault(POD_NAME, "")});
            byPod.computeIfAbsent(uid, k -> new ArrayList<>()).add(container(container, stats));
        }
        seen.add("node");
        rates.retain(seen);
        List<NodeStats.PodUsage> pods = new ArrayList<>();
        byPod.forEach((uid, containers) -> {
            String[] ref = podRefs.get(uid);
            pods.add(new NodeStats.PodUsage(ref[0], ref[1], uid, sandboxStarts.getOrDefault(uid, Instant.EPOCH),
                    containers, 0));
        });
        return pods;
    }

    private NodeStats.ContainerUsage container(Container container, ContainerStats stats) {
        var cpu = stats.getCpu();
        var memory = stats.getMemory();
        long cumulative = cpu.getUsageCoreNanoSeconds().getValue();
        long nanoCores = cpu.hasUsageNanoCores() && cpu.getUsageNanoCores().getValue() > 0
                ? cpu.getUsageNanoCores().getValue()
                : rates.rate(container.getId(), cpu.getTimestamp(), cumulative);
        NodeStats.Usage usage = new NodeStats.Usage(nanos(cpu.getTimestamp() != 0 ? cpu.getTimestamp()
                : memory.getTimestamp()), cumulative, nanoCores, memory.getWorkingSetBytes().getValue(),
                memory.getUsageBytes().getValue(), memory.getRssBytes().getValue(), memory.getAvailableBytes().getValue(),
                memory.getPageFaults().getValue(), memory.getMajorPageFaults().getValue());
        String name = container.getLabelsOrDefault(CONTAINER_NAME, container.getMetadata().getName());
        return new NodeStats.ContainerUsage(name, nanos(container.getCreatedAt()), usage,
                stats.getWritableLayer().getUsedBytes().getValue(), stats.getWritableLayer().getInodesUsed().getValue(),
                0);
    }

    private static Instant nanos(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }

    /** btime in /proc/stat: the node's start time in the summary. */
    private static Instant bootTime() {
        for (String line : ProcFiles.read("/proc/stat").split("\n")) {
            if (line.startsWith("btime ")) {
                return Instant.ofEpochSecond(Long.parseLong(line.substring(6).trim()));
            }
        }
        return Instant.EPOCH;
    }
}
