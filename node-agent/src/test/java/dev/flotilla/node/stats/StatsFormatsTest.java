package dev.flotilla.node.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsFormatsTest {

    private static final Instant T = Instant.parse("2026-12-07T02:00:00Z");

    @Test
    void readsCpuTimeMemoryAndInterfacesFromProcText() {
        assertThat(HostReading.cpuNanos("cpu  100 5 50 9000 20 3 2 0 0 0\ncpu0 1 1 1 1 1 1 1 1\n"))
                .as("user+nice+system+irq+softirq+steal, not idle or iowait, in 10 ms ticks").isEqualTo(160L * 10_000_000L);
        HostReading.Memory memory = HostReading.memory("""
                MemTotal:        1000 kB
                MemFree:          200 kB
                MemAvailable:     600 kB
                Inactive(file):   300 kB
                AnonPages:        250 kB
                """, "pgfault 42\npgmajfault 3\n");
        assertThat(memory.usageBytes()).isEqualTo(800 * 1024);
        assertThat(memory.workingSetBytes()).isEqualTo(500 * 1024);
        assertThat(memory.availableBytes()).isEqualTo(600 * 1024);
        assertThat(memory.rssBytes()).isEqualTo(250 * 1024);
        assertThat(memory.pageFaults()).isEqualTo(42);
        assertThat(HostReading.interfaces("""
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo: 500 5 0 0 0 0 0 0 500 5 0 0 0 0 0 0
                  eth0: 1000 10 1 0 0 0 0 0 2000 20 2 0 0 0 0 0
                """)).containsExactly(new HostReading.Interface("eth0", 1000, 1, 2000, 2));
    }

    @Test
    void cpuRateIsTheCounterDeltaOverTimeAndSteadyForCloseReadings() {
        CpuRates rates = new CpuRates();
        assertThat(rates.rate("c", 0, 0)).as("no rate from one reading").isZero();
        assertThat(rates.rate("c", 2_000_000_000L, 1_000_000_000L)).as("1 s of CPU in 2 s").isEqualTo(500_000_000L);
        assertThat(rates.rate("c", 2_100_000_000L, 1_090_000_000L)).as("a reading 0.1 s later keeps the rate")
                .isEqualTo(500_000_000L);
        assertThat(rates.rate("c", 3_000_000_000L, 500L)).as("a restarted counter starts over").isZero();
    }

    @Test
    void writesUpstreamsResourceMetricsAndSummaryShape() {
        NodeStats.Usage usage = new NodeStats.Usage(T, 1_500_000_000L, 250_000_000L, 4096, 8192, 2048, 0, 1, 0);
        NodeStats.PodUsage pod = new NodeStats.PodUsage("default", "web", "uid-1", T,
                List.of(new NodeStats.ContainerUsage("main", T, usage, 100, 5, 0)), 0);
        NodeStats stats = new NodeStats("n1", T, T, new NodeStats.Usage(T, 10_000_000_000L, 1_000_000_000L, 1 << 20,
                2 << 20, 1 << 19, 3 << 20, 0, 0), new HostReading(0, 0, null, new HostReading.Filesystem(1, 3, 2),
                List.of()), List.of(pod), false);

        String text = ResourceMetricsText.of(stats);
        long ms = T.toEpochMilli();
        assertThat(text).contains("# TYPE container_cpu_usage_seconds_total counter\n",
                "container_cpu_usage_seconds_total{container=\"main\",namespace=\"default\",pod=\"web\"} 1.5 " + ms + "\n",
                "container_memory_working_set_bytes{container=\"main\",namespace=\"default\",pod=\"web\"} 4096 " + ms,
                "node_cpu_usage_seconds_total 10 " + ms, "node_memory_working_set_bytes 1048576 " + ms,
                "pod_cpu_usage_seconds_total{namespace=\"default\",pod=\"web\"} 1.5 " + ms,
                "pod_memory_working_set_bytes{namespace=\"default\",pod=\"web\"} 4096 " + ms,
                "resource_scrape_error 0\n");

        JsonNode summary = SummaryJson.of(stats);
        assertThat(summary.at("/node/nodeName").asText()).isEqualTo("n1");
        assertThat(summary.at("/node/cpu/usageNanoCores").asLong()).isEqualTo(1_000_000_000L);
        assertThat(summary.at("/node/memory/availableBytes").asLong()).isEqualTo(3 << 20);
        assertThat(summary.at("/node/fs/capacityBytes").asLong()).isEqualTo(3);
        assertThat(summary.at("/pods/0/podRef/name").asText()).isEqualTo("web");
        assertThat(summary.at("/pods/0/containers/0/cpu/usageCoreNanoSeconds").asLong()).isEqualTo(1_500_000_000L);
        assertThat(summary.at("/pods/0/containers/0/memory/workingSetBytes").asLong()).isEqualTo(4096);
        assertThat(summary.at("/pods/0/memory/rssBytes").asLong()).isEqualTo(2048);
        assertThat(summary.at("/pods/0/ephemeral-storage/usedBytes").asLong()).isEqualTo(100);
    }
}
