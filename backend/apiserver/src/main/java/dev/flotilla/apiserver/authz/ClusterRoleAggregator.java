package dev.flotilla.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.rbac.ClusterRoleAggregation;
import dev.flotilla.api.rbac.PolicyIndex;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.resource.ObjectMetadata;
import dev.flotilla.apiserver.resource.ResourceStore;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's clusterrole-aggregation controller, run in the API server process: whenever a
 * ClusterRole changes, every ClusterRole with an aggregationRule gets the rules of the ClusterRoles
 * its selectors match, written back with compare-and-swap. Writes only when the rules differ, so
 * several API servers converge on the same result; a lost race is retried by the watch event the
 * winner's write produces.
 */
@Singleton
public class ClusterRoleAggregator {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRoleAggregator.class);

    private final ResourceStore store;
    private final PolicyIndex index;
    private final ResourceType clusterRoles;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clusterrole-aggregation");
        t.setDaemon(true);
        return t;
    });

    public ClusterRoleAggregator(ResourceStore store, PolicyIndex index, ResourceRegistry registry) {
        this.store = store;
        this.index = index;
        this.clusterRoles = registry.find("rbac.authorization.k8s.io", "v1", "clusterroles").orElseThrow();
    }

    /** Schedules one reconcile pass; calls while one is pending fold into it. */
    void clusterRolesChanged() {
        if (pending.compareAndSet(false, true) && !worker.isShutdown()) {
            worker.execute(() -> {
                pending.set(false);
                reconcile();
            });
        }
    }

    private void reconcile() {
        List<ClusterRole> all = List.copyOf(index.clusterRoles());
        for (ClusterRole role : all) {
            List<PolicyRule> rules = ClusterRoleAggregation.rulesFor(role, all);
            if (rules == null || rules.equals(role.getRules())) {
                continue;
            }
            try {
                write(role.getMetadata().getName(), Json.mapper().valueToTree(rules));
            } catch (RuntimeException e) {
                // A conflict means another writer changed it: its watch event brings us back here.
                LOG.debug("aggregating {}: {}", role.getMetadata().getName(), e.getMessage());
            }
        }
    }

    private void write(String name, JsonNode rules) {
        Optional<ObjectNode> current = store.get(clusterRoles, null, name);
        if (current.isEmpty()) {
            return;
        }
        ObjectNode object = current.get();
        object.set("rules", rules);
        long revision = Long.parseLong(ObjectMetadata.of(object).resourceVersion());
        try {
            store.update(clusterRoles, null, name, object, revision);
            LOG.info("aggregated {} rules into clusterrole {}", rules.size(), name);
        } catch (ApiError e) {
            if (e.code() != 409 && e.code() != 404) {
                throw e;
            }
        }
    }

    @PreDestroy
    public void stop() {
        worker.shutdownNow();
    }
}
