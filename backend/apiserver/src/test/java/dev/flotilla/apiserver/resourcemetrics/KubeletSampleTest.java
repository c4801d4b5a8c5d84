package dev.flotilla.apiserver.resourcemetrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubeletSampleTest {

    private static String scrape(double nodeCpu, double containerCpu, long millis) {
        return """
                # HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
                # TYPE container_cpu_usage_seconds_total counter
                container_cpu_usage_seconds_total{container="main",namespace="default",pod="web"} %s %d
                # TYPE container_memory_working_set_bytes gauge
                container_memory_working_set_bytes{container="main",namespace="default",pod="web"} 2097152 %d
                node_cpu_usage_seconds_total %s %d
                node_memory_working_set_bytes 1.048576e+06 %d
                resource_scrape_error 0
                """.formatted(containerCpu, millis, millis, nodeCpu, millis, millis);
    }

    @Test
    void usageIsTheRateBetweenTwoScrapesAsMetricsServerComputesIt() {
        KubeletSample first = KubeletSample.parse(scrape(100, 10, 1_000_000), 0);
        KubeletSample second = KubeletSample.parse(scrape(103, 10.5, 1_015_000), 0);
        var key = new KubeletSample.ContainerKey("default", "web", "main");
        assertThat(second.containers()).containsKey(key);

        ResourceUsage node = ResourceUsage.between(first.node(), second.node());
        assertThat(node.nanoCores()).as("3 core-seconds in 15 s").isEqualTo(200_000_000L);
        assertThat(node.memoryQuantity()).isEqualTo("1024Ki");
        assertThat(node.windowText()).isEqualTo("15s");

        ResourceUsage container = ResourceUsage.between(first.containers().get(key), second.containers().get(key));
        assertThat(container.cpuQuantity()).isEqualTo("33333333n");
        assertThat(container.memoryQuantity()).isEqualTo("2048Ki");
    }

    @Test
    void aRestartedCounterOrSameTimestampGivesNoUsage() {
        KubeletSample first = KubeletSample.parse(scrape(100, 10, 1_000_000), 0);
        assertThat(ResourceUsage.between(first.node(), KubeletSample.parse(scrape(5, 1, 1_015_000), 0).node())).isNull();
        assertThat(ResourceUsage.between(first.node(), first.node())).isNull();
        assertThat(KubeletSample.parse("garbage\n{}", 0).node()).isNull();
    }
}
