package dev.flotilla.storage.etcd;

import dev.flotilla.api.health.Causes;
import dev.flotilla.api.health.HealthCheck;
import dev.flotilla.api.health.HealthResult;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Readiness of etcd: a read of one key must succeed within the health timeout. */
@Singleton
public class EtcdHealthCheck implements HealthCheck {

    private static final ByteSequence HEALTH_KEY = ByteSequence.from("health", StandardCharsets.UTF_8);

    private final EtcdConnection etcd;
    private final EtcdProperties properties;

    public EtcdHealthCheck(EtcdConnection etcd, EtcdProperties properties) {
        this.etcd = etcd;
        this.properties = properties;
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public HealthResult check() {
        long timeoutMillis = properties.getHealthTimeout().toMillis();
        Client client = etcd.client();
        CompletableFuture<?> read = client.getKVClient().get(HEALTH_KEY);
        try {
            read.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return HealthResult.ok();
        } catch (TimeoutException e) {
            read.cancel(true);
            etcd.replace(client);
            return HealthResult.failed("etcd at " + etcd.describeEndpoints() + " did not answer within "
                    + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            etcd.replace(client);
            return HealthResult.failed("etcd at " + etcd.describeEndpoints() + " is unreachable: "
                    + Causes.rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthResult.failed("interrupted while checking etcd");
        }
    }

}
