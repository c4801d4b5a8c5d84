package dev.flotilla.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.health.HealthResult;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.EtcdServer;
import dev.flotilla.testsupport.FreePorts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EtcdHealthCheckIT {

    private static EtcdServer etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @Test
    void reportsEtcdDownWithItsAddressAndRecoversWithinFiveSecondsOfItsReturn() {
        try (EtcdConnection connection = new EtcdConnection(properties(etcd.endpoint()))) {
            EtcdHealthCheck check = new EtcdHealthCheck(connection, properties(etcd.endpoint()));
            // The JVM's first etcd call loads gRPC and Netty, which can take longer than the 1 s
            // health timeout on a busy machine; the subject here is the outage, so wait for a pass.
            Await.until(Duration.ofSeconds(10), "etcd check to pass", () -> check.check().healthy());
            assertThat(check.check()).isEqualTo(HealthResult.ok());

            etcd.stop();
            HealthResult down = check.check();
            assertThat(down.healthy()).isFalse();
            assertThat(down.reason()).contains("etcd at " + etcd.endpoint());
            // Stay down long enough for gRPC's reconnect back-off to grow past the recovery budget.
            for (int i = 0; i < 4; i++) {
                assertThat(check.check().healthy()).isFalse();
            }

            etcd.startAgain();
            Duration recovery = Await.until(Duration.ofSeconds(5), "etcd check to pass again",
                    () -> check.check().healthy());
            assertThat(recovery).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void unreachableEndpointFailsWithinTheHealthTimeoutInsteadOfHanging() {
        String nothingListening = "http://127.0.0.1:" + FreePorts.next();
        EtcdProperties props = properties(nothingListening);
        try (EtcdConnection connection = new EtcdConnection(props)) {
            long start = System.nanoTime();
            HealthResult result = new EtcdHealthCheck(connection, props).check();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(result.healthy()).isFalse();
            assertThat(result.reason()).contains(nothingListening);
            assertThat(took).isLessThan(props.getHealthTimeout().plusSeconds(1));
        }
    }

    private static EtcdProperties properties(String endpoint) {
        EtcdProperties props = new EtcdProperties();
        props.setEndpoints(List.of(endpoint));
        props.setHealthTimeout(Duration.ofSeconds(1));
        return props;
    }
}
