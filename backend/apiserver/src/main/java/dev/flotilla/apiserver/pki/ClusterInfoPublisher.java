package dev.flotilla.apiserver.pki;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.concurrent.DaemonThreads;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.pki.Kubeconfig;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.authz.PublicClusterInfo;
import dev.flotilla.apiserver.resource.ObjectMetadata;
import dev.flotilla.apiserver.resource.ObjectPreparation;
import dev.flotilla.apiserver.resource.ResourceStore;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code kube-public/cluster-info} (key {@code kubeconfig}: the server URL and the cluster CA, as
 * kubeadm's bootstrap phase writes it) in place: created at start, rewritten when the URL or CA
 * changed, other keys (the bootstrap signer's {@code jws-kubeconfig-<id>}) kept. Retried every
 * second until etcd answers; concurrent servers meet through create-if-absent and compare-and-swap.
 */
@Context
public class ClusterInfoPublisher {

    public static final String KUBECONFIG_KEY = "kubeconfig";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterInfoPublisher.class);

    private final ResourceStore store;
    private final ResourceType configMaps;
    private final String kubeconfig;
    private final ScheduledExecutorService retries = DaemonThreads.scheduler("cluster-info");

    public ClusterInfoPublisher(ResourceStore store, ResourceRegistry registry, ClusterCertificates certificates) {
        this.store = store;
        this.configMaps = registry.find("", "v1", "configmaps").orElseThrow();
        this.kubeconfig = Kubeconfig.forClusterInfo(certificates.serverUrl(), certificates.ca().certificate());
        retries.execute(this::ensure);
    }

    private void ensure() {
        try {
            Optional<ObjectNode> current = store.get(configMaps, PublicClusterInfo.NAMESPACE, PublicClusterInfo.NAME);
            if (current.isEmpty()) {
                store.create(configMaps, PublicClusterInfo.NAMESPACE, PublicClusterInfo.NAME, fresh());
                LOG.info("published {}/{}", PublicClusterInfo.NAMESPACE, PublicClusterInfo.NAME);
            } else if (!kubeconfig.equals(current.get().path("data").path(KUBECONFIG_KEY).asText())) {
                ObjectNode updated = current.get().deepCopy();
                updated.with("data").put(KUBECONFIG_KEY, kubeconfig);
                store.update(configMaps, PublicClusterInfo.NAMESPACE, PublicClusterInfo.NAME, updated,
                        Long.parseLong(ObjectMetadata.of(current.get()).resourceVersion()));
                LOG.info("updated the server URL or CA in {}/{}", PublicClusterInfo.NAMESPACE, PublicClusterInfo.NAME);
            }
        } catch (RuntimeException e) {
            LOG.debug("cluster-info not yet published: {}", e.getMessage());
            retryLater();
        }
    }

    private void retryLater() {
        if (!retries.isShutdown()) {
            retries.schedule(this::ensure, 1, TimeUnit.SECONDS);
        }
    }

    private ObjectNode fresh() {
        ObjectNode map = Json.mapper().createObjectNode();
        map.put("apiVersion", "v1");
        map.put("kind", "ConfigMap");
        map.putObject("metadata").put("name", PublicClusterInfo.NAME).put("namespace", PublicClusterInfo.NAMESPACE);
        map.putObject("data").put(KUBECONFIG_KEY, kubeconfig);
        ObjectPreparation.prepareForCreate(configMaps, map);
        return map;
    }

    @PreDestroy
    public void stop() {
        retries.shutdownNow();
    }
}
