package dev.flotilla.controllers.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentChargesTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RecentCharges charges = new RecentCharges(Duration.ofSeconds(5), now::get);

    @Test
    void aUsageChangeByAdmissionHoldsBackLoweringUntilTheQuotaSettled() {
        charges.observed("ns/q", used("1"), used("2"), "10");
        assertThat(charges.settling("ns/q")).contains(Duration.ofSeconds(5));
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        assertThat(charges.settling("ns/q")).contains(Duration.ofSeconds(2));
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(charges.settling("ns/q")).isEmpty();
    }

    @Test
    void theControllersOwnWritesAndUnchangedUsageAreNotCharges() {
        charges.wrote("ns/q", "11");
        charges.observed("ns/q", used("2"), used("1"), "11");
        charges.observed("ns/q", used("1"), used("1"), "12");
        assertThat(charges.settling("ns/q")).isEmpty();
        charges.observed("ns/q", used("1"), used("2"), "13");
        assertThat(charges.settling("ns/q")).isPresent();
        charges.forget("ns/q");
        assertThat(charges.settling("ns/q")).isEmpty();
    }

    @Test
    void onlyARecountBelowCurrentUsageLowers() {
        assertThat(RecentCharges.lowers(Map.of("pods", new Quantity("2"), "requests.memory", new Quantity("1Gi")),
                Map.of("pods", new Quantity("2"), "requests.memory", new Quantity("512Mi")))).isTrue();
        assertThat(RecentCharges.lowers(Map.of("pods", new Quantity("2")), Map.of("pods", new Quantity("3"))))
                .isFalse();
        assertThat(RecentCharges.lowers(Map.of("requests.cpu", new Quantity("1")),
                Map.of("requests.cpu", new Quantity("1000m")))).isFalse();
        assertThat(RecentCharges.lowers(null, Map.of("pods", new Quantity("0")))).isFalse();
    }

    private static Map<String, Quantity> used(String pods) {
        return Map.of("pods", new Quantity(pods));
    }
}
