package dev.flotilla.node.stats;

import java.time.Instant;
import java.util.List;

/**
 * One reading of the node and of the containers of its pods: what {@code /stats/summary} and
 * {@code /metrics/resource} print. CPU rates (nano cores) come from the previous reading.
 */
public record NodeStats(String nodeName, Instant bootTime, Instant time, Usage node, HostReading host,
                        List<PodUsage> pods, boolean scrapeError) {

    /** CPU and memory of a node, pod or container; 0 where the runtime reported nothing. */
    public record Usage(Instant time, long usageCoreNanoSeconds, long usageNanoCores, long workingSetBytes,
                        long usageBytes, long rssBytes, long availableBytes, long pageFaults, long majorPageFaults) {
    }

    public record ContainerUsage(String name, Instant startTime, Usage usage, long writableLayerBytes,
                                 long writableLayerInodes, long logsBytes) {
    }

    public record PodUsage(String namespace, String name, String uid, Instant startTime,
                           List<ContainerUsage> containers, long volumeBytes) {

        /** A pod's figures are its containers' sums (upstream reads the pod cgroup, which adds the pause process). */
        public Usage total() {
            long cumulative = 0, cores = 0, workingSet = 0, usage = 0, rss = 0, faults = 0, major = 0;
            Instant time = Instant.EPOCH;
            for (ContainerUsage container : containers) {
                Usage u = container.usage();
                cumulative += u.usageCoreNanoSeconds();
                cores += u.usageNanoCores();
                workingSet += u.workingSetBytes();
                usage += u.usageBytes();
                rss += u.rssBytes();
                faults += u.pageFaults();
                major += u.majorPageFaults();
                time = u.time().isAfter(time) ? u.time() : time;
            }
            return new Usage(time, cumulative, cores, workingSet, usage, rss, 0, faults, major);
        }

        public long ephemeralStorageBytes() {
            return volumeBytes + containers.stream().mapToLong(c -> c.writableLayerBytes() + c.logsBytes()).sum();
        }
    }
}
