package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.concurrent.DaemonThreads;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.strategy.KindStrategies;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the namespaces every cluster has exist (default, kube-system, kube-public,
 * kube-node-lease), as kube-apiserver's bootstrap controller does; retried in the background until
 * etcd answers, so the server can start before etcd.
 */
@Context
public class SystemNamespaces {

    private static final Logger LOG = LoggerFactory.getLogger(SystemNamespaces.class);
    static final List<String> NAMES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final ResourceStore store;
    private final ResourceType namespaces;
    private final KindStrategies strategies;
    private final ScheduledExecutorService retries = DaemonThreads.scheduler("system-namespaces");

    public SystemNamespaces(ResourceStore store, ResourceRegistry registry, KindStrategies strategies) {
        this.store = store;
        this.strategies = strategies;
        this.namespaces = registry.find("", "v1", "namespaces").orElseThrow();
        retries.execute(this::ensure);
    }

    private void ensure() {
        try {
            for (String name : NAMES) {
                if (store.get(namespaces, null, name).isEmpty()) {
                    try {
                        store.create(namespaces, null, name, namespace(name));
                        LOG.info("created namespace {}", name);
                    } catch (ApiError e) {
                        if (e.code() != 409) {
                            throw e;
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            if (!retries.isShutdown()) {
                retries.schedule(this::ensure, 1, TimeUnit.SECONDS);
            }
        }
    }

    private ObjectNode namespace(String name) {
        ObjectNode ns = Json.mapper().createObjectNode();
        ns.put("apiVersion", "v1");
        ns.put("kind", "Namespace");
        ns.putObject("metadata").put("name", name).putObject("labels").put("kubernetes.io/metadata.name", name);
        ObjectPreparation.prepareForCreate(namespaces, ns);
        strategies.of(namespaces).prepareForCreate(ns);
        return ns;
    }

    @PreDestroy
    public void stop() {
        retries.shutdownNow();
    }
}
