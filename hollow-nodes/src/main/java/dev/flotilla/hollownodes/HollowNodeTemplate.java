package dev.flotilla.hollownodes;

import io.fabric8.kubernetes.api.model.Taint;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What each simulated node looks like: names {@code <prefix>-<i>}, capacity, labels, taints, and how often it renews its Lease. */
public record HollowNodeTemplate(
        String namePrefix,
        int count,
        String cpu,
        String memory,
        String pods,
        Map<String, String> labels,
        List<Taint> taints,
        Duration leaseRenewInterval) {

    public static HollowNodeTemplate of(String namePrefix, int count) {
        return new HollowNodeTemplate(namePrefix, count, "4", "16Gi", "110", Map.of(), List.of(), Duration.ofSeconds(10));
    }

    public HollowNodeTemplate withCapacity(String newCpu, String newMemory, String newPods) {
        return new HollowNodeTemplate(namePrefix, count, newCpu, newMemory, newPods, labels, taints, leaseRenewInterval);
    }

    public HollowNodeTemplate withLabels(Map<String, String> newLabels) {
        return new HollowNodeTemplate(namePrefix, count, cpu, memory, pods, newLabels, taints, leaseRenewInterval);
    }

    public HollowNodeTemplate withTaints(List<Taint> newTaints) {
        return new HollowNodeTemplate(namePrefix, count, cpu, memory, pods, labels, newTaints, leaseRenewInterval);
    }

    public HollowNodeTemplate withLeaseRenewInterval(Duration interval) {
        return new HollowNodeTemplate(namePrefix, count, cpu, memory, pods, labels, taints, interval);
    }

    public String nodeName(int index) {
        return namePrefix + "-" + index;
    }
}
