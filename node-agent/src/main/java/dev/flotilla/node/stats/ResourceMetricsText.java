package dev.flotilla.node.stats;

import java.util.Locale;

/**
 * {@code /metrics/resource} as upstream's kubelet writes it: Prometheus text format 0.0.4, the stable
 * resource metrics with millisecond timestamps of the reading, and {@code resource_scrape_error}.
 */
public final class ResourceMetricsText {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private ResourceMetricsText() {
    }

    public static String of(NodeStats stats) {
        StringBuilder out = new StringBuilder();
        header(out, "container_cpu_usage_seconds_total",
                "Cumulative cpu time consumed by the container in core-seconds", "counter");
        forContainers(stats, out, "container_cpu_usage_seconds_total", true);
        header(out, "container_memory_working_set_bytes", "Current working set of the container in bytes", "gauge");
        forContainers(stats, out, "container_memory_working_set_bytes", false);
        header(out, "container_start_time_seconds", "Start time of the container since unix epoch in seconds", "gauge");
        for (NodeStats.PodUsage pod : stats.pods()) {
            for (NodeStats.ContainerUsage c : pod.containers()) {
                sample(out, "container_start_time_seconds", containerLabels(pod, c),
                        seconds(c.startTime().getEpochSecond() * 1_000_000_000L + c.startTime().getNano()),
                        c.usage().time().toEpochMilli());
            }
        }
        header(out, "node_cpu_usage_seconds_total", "Cumulative cpu time consumed by the node in core-seconds", "counter");
        sample(out, "node_cpu_usage_seconds_total", "", seconds(stats.node().usageCoreNanoSeconds()),
                stats.time().toEpochMilli());
        header(out, "node_memory_working_set_bytes", "Current working set of the node in bytes", "gauge");
        sample(out, "node_memory_working_set_bytes", "", Long.toString(stats.node().workingSetBytes()),
                stats.time().toEpochMilli());
        header(out, "pod_cpu_usage_seconds_total", "Cumulative cpu time consumed by the pod in core-seconds", "counter");
        for (NodeStats.PodUsage pod : stats.pods()) {
            NodeStats.Usage total = pod.total();
            sample(out, "pod_cpu_usage_seconds_total", podLabels(pod), seconds(total.usageCoreNanoSeconds()),
                    total.time().toEpochMilli());
        }
        header(out, "pod_memory_working_set_bytes", "Current working set of the pod in bytes", "gauge");
        for (NodeStats.PodUsage pod : stats.pods()) {
            NodeStats.Usage total = pod.total();
            sample(out, "pod_memory_working_set_bytes", podLabels(pod), Long.toString(total.workingSetBytes()),
                    total.time().toEpochMilli());
        }
        header(out, "resource_scrape_error", "1 if there was an error while getting container metrics, 0 otherwise",
                "gauge");
        out.append("resource_scrape_error ").append(stats.scrapeError() ? 1 : 0).append('\n');
        return out.toString();
    }

    private static void forContainers(NodeStats stats, StringBuilder out, String metric, boolean cpu) {
        for (NodeStats.PodUsage pod : stats.pods()) {
            for (NodeStats.ContainerUsage c : pod.containers()) {
                NodeStats.Usage u = c.usage();
                sample(out, metric, containerLabels(pod, c),
                        cpu ? seconds(u.usageCoreNanoSeconds()) : Long.toString(u.workingSetBytes()),
                        u.time().toEpochMilli());
            }
        }
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(" [STABLE] ").append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, String value, long millis) {
        out.append(name).append(labels).append(' ').append(value).append(' ').append(millis).append('\n');
    }

    private static String containerLabels(NodeStats.PodUsage pod, NodeStats.ContainerUsage c) {
        return "{container=\"" + escape(c.name()) + "\",namespace=\"" + escape(pod.namespace()) + "\",pod=\""
                + escape(pod.name()) + "\"}";
    }

    private static String podLabels(NodeStats.PodUsage pod) {
        return "{namespace=\"" + escape(pod.namespace()) + "\",pod=\"" + escape(pod.name()) + "\"}";
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.9f", nanos / 1e9).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
