package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HistogramsTest {

    private static String page(int fast, int slow) {
        return """
                # TYPE x_seconds histogram
                x_seconds_bucket{verb="get",le="0.001",} %d.0
                x_seconds_bucket{verb="get",le="0.01",} %d.0
                x_seconds_bucket{verb="get",le="+Inf",} %d.0
                x_seconds_bucket{verb="list",le="0.001",} 5.0
                x_seconds_bucket{verb="list",le="0.01",} 5.0
                x_seconds_bucket{verb="list",le="+Inf",} 5.0
                x_seconds_count{verb="get",} %d.0
                """.formatted(fast, fast + slow, fast + slow, fast + slow);
    }

    @Test
    void percentilesAreBucketBoundsOfWhatHappenedBetweenTwoScrapes() {
        Histograms before = Histograms.parse(page(100, 0));
        Histograms after = Histograms.parse(page(198, 2));
        Histograms.Summary get = after.minus(before).summary("x_seconds", Map.of("verb", "get"));
        assertThat(get.count()).isEqualTo(100);
        assertThat(get.p50()).isEqualTo(0.001);
        assertThat(get.p99()).isEqualTo(0.01);
        assertThat(after.minus(before).summary("x_seconds", Map.of()).count()).isEqualTo(100);
        assertThat(after.summary("x_seconds", Map.of()).count()).isEqualTo(205);
        assertThat(after.summary("absent_seconds", Map.of()).count()).isZero();
    }
}
