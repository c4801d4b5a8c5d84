package dev.flotilla.apiserver.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.storage.etcd.EtcdConnection;
import dev.flotilla.storage.etcd.EtcdObjectStore;
import dev.flotilla.storage.etcd.EtcdProperties;
import dev.flotilla.testsupport.EtcdServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node-port / cluster-IP repair against a real etcd: what it gives back, and what it must not. */
class LeakedClaimsTest {

    private static EtcdServer etcd;
    private static EtcdConnection connection;
    private static EtcdObjectStore store;

    @BeforeAll
    static void start() {
        etcd = EtcdServer.start();
        EtcdProperties properties = new EtcdProperties();
        properties.setEndpoints(List.of(etcd.endpoint()));
        properties.setRequestTimeout(Duration.ofSeconds(5));
        connection = new EtcdConnection(properties);
        store = new EtcdObjectStore(connection, properties);
    }

    @AfterAll
    static void stop() {
        store.close();
        connection.close();
        etcd.close();
    }

    @Test
    void anUnheldClaimIsReleasedOnTheSecondRunAndAHeldOneNever() {
        RangeAllocator ports = new RangeAllocator(store, "/registry/ranges/test-a/", 30000, 100);
        LeakedClaims repair = new LeakedClaims(ports);
        assertThat(ports.claim(30001, "default/held")).isTrue();
        assertThat(ports.claim(30002, "default/gone")).isTrue();

        assertThat(repair.repair(Set.of(30001L))).as("first sighting only makes it a suspect").isZero();
        assertThat(ports.claims()).containsOnlyKeys(30001L, 30002L);
        assertThat(repair.repair(Set.of(30001L))).isEqualTo(1);
        assertThat(ports.claims()).containsOnlyKeys(30001L);
        assertThat(ports.claim(30002, "default/next")).as("the leaked port can be handed out again").isTrue();
    }

    @Test
    void aClaimTakenByACreateInFlightIsKeptOnceItsServiceHoldsIt() {
        RangeAllocator ports = new RangeAllocator(store, "/registry/ranges/test-b/", 30000, 100);
        LeakedClaims repair = new LeakedClaims(ports);
        assertThat(ports.claim(30010, "default/slow")).isTrue();
        assertThat(repair.repair(Set.of())).isZero();
        // the create finished between the runs
        assertThat(repair.repair(Set.of(30010L))).isZero();
        assertThat(repair.repair(Set.of(30010L))).isZero();
        assertThat(ports.claims()).containsOnlyKeys(30010L);
    }

    @Test
    void aValueReleasedAndClaimedAgainBetweenRunsIsNotTakenFromItsNewOwner() {
        RangeAllocator ports = new RangeAllocator(store, "/registry/ranges/test-c/", 30000, 100);
        LeakedClaims repair = new LeakedClaims(ports);
        assertThat(ports.claim(30020, "default/old")).isTrue();
        assertThat(repair.repair(Set.of())).isZero();
        ports.release(30020);
        assertThat(ports.claim(30020, "default/new")).isTrue();
        assertThat(repair.repair(Set.of())).as("a new claim starts a new grace period").isZero();
        assertThat(ports.claims()).containsOnlyKeys(30020L);
    }

    @Test
    void claimsArePagedThroughWhenThereAreMoreThanOnePage() {
        RangeAllocator ports = new RangeAllocator(store, "/registry/ranges/test-d/", 30000, 3000);
        for (long port = 30000; port < 31500; port++) {
            assertThat(ports.claim(port, "default/many")).isTrue();
        }
        assertThat(ports.claims()).hasSize(1500);
    }
}
