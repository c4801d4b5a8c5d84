package dev.flotilla.apiserver.resourcemetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a kubelet's {@code /metrics/resource}: the node's and each container's cumulative CPU
 * seconds and working set, each with the kubelet's timestamp (ms), parsed from the Prometheus text.
 */
record KubeletSample(Point node, Map<ContainerKey, Point> containers) {

    record Point(double cpuSeconds, long memoryBytes, long timestampMillis) {
    }

    record ContainerKey(String namespace, String pod, String container) {
    }

    private static final Pattern LINE = Pattern.compile(
            "^([a-z_]+)(?:\\{([^}]*)\\})?\\s+(\\S+)(?:\\s+(\\d+))?$");
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static KubeletSample parse(String text, long scrapeMillis) {
        double nodeCpu = -1;
        long nodeMemory = -1;
        long nodeTime = scrapeMillis;
        Map<ContainerKey, double[]> cpu = new java.util.LinkedHashMap<>();
        Map<ContainerKey, long[]> memory = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line.trim());
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(m.group(3));
            } catch (NumberFormatException e) {
                continue;
            }
            long time = m.group(4) == null ? scrapeMillis : Long.parseLong(m.group(4));
            switch (m.group(1)) {
                case "node_cpu_usage_seconds_total" -> {
                    nodeCpu = value;
                    nodeTime = time;
                }
                case "node_memory_working_set_bytes" -> nodeMemory = (long) value;
                case "container_cpu_usage_seconds_total" -> cpu.put(key(m.group(2)), new double[] {value, time});
                case "container_memory_working_set_bytes" -> memory.put(key(m.group(2)), new long[] {(long) value});
                default -> { }
            }
        }
        Map<ContainerKey, Point> containers = new java.util.LinkedHashMap<>();
        cpu.forEach((key, c) -> {
            long[] mem = memory.get(key);
            if (mem != null) {
                containers.put(key, new Point(c[0], mem[0], (long) c[1]));
            }
        });
        Point node = nodeCpu < 0 || nodeMemory < 0 ? null : new Point(nodeCpu, nodeMemory, nodeTime);
        return new KubeletSample(node, containers);
    }

    private static ContainerKey key(String labels) {
        Map<String, String> values = new java.util.HashMap<>();
        if (labels != null) {
            Matcher m = LABEL.matcher(labels);
            while (m.find()) {
                values.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
            }
        }
        return new ContainerKey(values.getOrDefault("namespace", ""), values.getOrDefault("pod", ""),
                values.getOrDefault("container", ""));
    }

    List<ContainerKey> containerKeys() {
        return new ArrayList<>(containers.keySet());
    }
}
