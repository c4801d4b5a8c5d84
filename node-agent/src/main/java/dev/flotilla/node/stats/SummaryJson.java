package dev.flotilla.node.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import java.time.Instant;

/** {@code /stats/summary} in upstream's Summary API shape (k8s.io/kubelet/pkg/apis/stats/v1alpha1). */
public final class SummaryJson {

    private SummaryJson() {
    }

    public static ObjectNode of(NodeStats stats) {
        ObjectNode summary = Json.mapper().createObjectNode();
        ObjectNode node = summary.putObject("node");
        node.put("nodeName", stats.nodeName());
        node.put("startTime", stats.bootTime().toString());
        cpu(node.putObject("cpu"), stats.node());
        memory(node.putObject("memory"), stats.node(), true);
        network(node, stats);
        HostReading.Filesystem fs = stats.host().fs();
        ObjectNode nodeFs = node.putObject("fs");
        nodeFs.put("time", stats.time().toString());
        nodeFs.put("availableBytes", fs.availableBytes());
        nodeFs.put("capacityBytes", fs.capacityBytes());
        nodeFs.put("usedBytes", fs.usedBytes());
        node.putObject("runtime").set("imageFs", nodeFs.deepCopy());
        ArrayNode pods = summary.putArray("pods");
        for (NodeStats.PodUsage pod : stats.pods()) {
            ObjectNode entry = pods.addObject();
            ObjectNode ref = entry.putObject("podRef");
            ref.put("name", pod.name());
            ref.put("namespace", pod.namespace());
            ref.put("uid", pod.uid());
            entry.put("startTime", pod.startTime().toString());
            ArrayNode containers = entry.putArray("containers");
            for (NodeStats.ContainerUsage container : pod.containers()) {
                ObjectNode c = containers.addObject();
                c.put("name", container.name());
                c.put("startTime", container.startTime().toString());
                cpu(c.putObject("cpu"), container.usage());
                memory(c.putObject("memory"), container.usage(), false);
                ObjectNode rootfs = c.putObject("rootfs");
                rootfs.put("time", container.usage().time().toString());
                rootfs.put("usedBytes", container.writableLayerBytes());
                rootfs.put("inodesUsed", container.writableLayerInodes());
            }
            NodeStats.Usage total = pod.total();
            cpu(entry.putObject("cpu"), total);
            memory(entry.putObject("memory"), total, false);
            ObjectNode ephemeral = entry.putObject("ephemeral-storage");
            ephemeral.put("time", time(total.time(), stats.time()));
            ephemeral.put("usedBytes", pod.ephemeralStorageBytes());
        }
        return summary;
    }

    private static void cpu(ObjectNode cpu, NodeStats.Usage usage) {
        cpu.put("time", usage.time().toString());
        cpu.put("usageNanoCores", usage.usageNanoCores());
        cpu.put("usageCoreNanoSeconds", usage.usageCoreNanoSeconds());
    }

    private static void memory(ObjectNode memory, NodeStats.Usage usage, boolean withAvailable) {
        memory.put("time", usage.time().toString());
        if (withAvailable || usage.availableBytes() > 0) {
            memory.put("availableBytes", usage.availableBytes());
        }
        memory.put("usageBytes", usage.usageBytes());
        memory.put("workingSetBytes", usage.workingSetBytes());
        memory.put("rssBytes", usage.rssBytes());
        memory.put("pageFaults", usage.pageFaults());
        memory.put("majorPageFaults", usage.majorPageFaults());
    }

    private static void network(ObjectNode node, NodeStats stats) {
        if (stats.host().interfaces().isEmpty()) {
            return;
        }
        ObjectNode network = node.putObject("network");
        network.put("time", stats.time().toString());
        HostReading.Interface first = stats.host().interfaces().get(0);
        putInterface(network, first);
        ArrayNode all = network.putArray("interfaces");
        stats.host().interfaces().forEach(i -> putInterface(all.addObject(), i));
    }

    private static void putInterface(ObjectNode target, HostReading.Interface i) {
        target.put("name", i.name());
        target.put("rxBytes", i.rxBytes());
        target.put("rxErrors", i.rxErrors());
        target.put("txBytes", i.txBytes());
        target.put("txErrors", i.txErrors());
    }

    private static String time(Instant preferred, Instant fallback) {
        return (preferred.equals(Instant.EPOCH) ? fallback : preferred).toString();
    }
}
