package dev.flotilla.storage.etcd;

import dev.flotilla.testsupport.EtcdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A real etcd and an {@link EtcdObjectStore} on it, started once per test class and always torn down. */
abstract class EtcdStoreTestBase {

    static EtcdServer etcd;
    static StoreFixture fixture;
    static EtcdObjectStore store;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start();
        fixture = new StoreFixture(etcd);
        store = fixture.store;
    }

    @AfterAll
    static void stopEtcd() {
        fixture.close();
        etcd.close();
    }
}
