package dev.flotilla.node.kubelet;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.nio.file.Path;
import java.util.List;

/**
 * The node's MemoryPressure, DiskPressure and PIDPressure conditions against the kubelet's hard
 * eviction thresholds, in upstream's words: memory available (MemAvailable) under 100 MiB, the state
 * directory's filesystem under 10% free, or fewer than 5% of pid_max left (upstream has no default PID
 * threshold). The same thresholds are kept out of allocatable.
 */
final class NodePressure {

    static final long MEMORY_AVAILABLE_MIN_BYTES = 100L * 1024 * 1024;
    static final double NODEFS_AVAILABLE_MIN_FRACTION = 0.10;
    static final double PID_AVAILABLE_MIN_FRACTION = 0.05;

    /** What the thresholds are compared with, read from /proc and the filesystem. */
    record Reading(long memoryAvailableBytes, long diskAvailableBytes, long diskTotalBytes, long processes, long pidMax) {

        static Reading now(Path stateDir) {
            long available = 0;
            for (String line : ProcFiles.read("/proc/meminfo").split("\n")) {
                if (line.startsWith("MemAvailable:")) {
                    available = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            // /proc/loadavg's fourth field is "runnable/total" scheduling entities (threads).
            String[] load = ProcFiles.read("/proc/loadavg").split("\\s+");
            long threads = load.length > 3 && load[3].contains("/") ? Long.parseLong(load[3].split("/")[1]) : 0;
            String pidMax = ProcFiles.read("/proc/sys/kernel/pid_max");
            return new Reading(available, stateDir.toFile().getUsableSpace(), stateDir.toFile().getTotalSpace(), threads,
                    pidMax.isEmpty() ? Long.MAX_VALUE : Long.parseLong(pidMax));
        }
    }

    private NodePressure() {
    }

    static boolean memoryPressure(Reading reading) {
        return reading.memoryAvailableBytes() < MEMORY_AVAILABLE_MIN_BYTES;
    }

    static boolean diskPressure(Reading reading) {
        return reading.diskTotalBytes() > 0
                && reading.diskAvailableBytes() < reading.diskTotalBytes() * NODEFS_AVAILABLE_MIN_FRACTION;
    }

    static boolean pidPressure(Reading reading) {
        return reading.pidMax() - reading.processes() < reading.pidMax() * PID_AVAILABLE_MIN_FRACTION;
    }

    /** MemoryPressure, DiskPressure, PIDPressure, in upstream's order and words. */
    static List<NodeCondition> conditions(Reading reading, String now, ConditionSince since) {
        return List.of(
                condition("MemoryPressure", memoryPressure(reading), "KubeletHasInsufficientMemory",
                        "kubelet has insufficient memory available", "KubeletHasSufficientMemory",
                        "kubelet has sufficient memory available", now, since),
                condition("DiskPressure", diskPressure(reading), "KubeletHasDiskPressure", "kubelet has disk pressure",
                        "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now, since),
                condition("PIDPressure", pidPressure(reading), "KubeletHasInsufficientPID",
                        "kubelet has insufficient PID available", "KubeletHasSufficientPID",
                        "kubelet has sufficient PID available", now, since));
    }

    /** When the condition of this type last took this status (kept while unchanged). */
    interface ConditionSince {
        String since(String type, String status, String now);
    }

    private static NodeCondition condition(String type, boolean pressure, String trueReason, String trueMessage,
                                           String falseReason, String falseMessage, String now, ConditionSince since) {
        String status = pressure ? "True" : "False";
        return new NodeConditionBuilder().withType(type).withStatus(status)
                .withReason(pressure ? trueReason : falseReason).withMessage(pressure ? trueMessage : falseMessage)
                .withLastHeartbeatTime(now).withLastTransitionTime(since.since(type, status, now)).build();
    }
}
