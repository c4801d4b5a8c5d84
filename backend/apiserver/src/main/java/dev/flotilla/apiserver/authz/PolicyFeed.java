package dev.flotilla.apiserver.authz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.concurrent.DaemonThreads;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.rbac.PolicyIndex;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.resource.ResourceStore;
import dev.flotilla.storage.ListResult;
import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchEvent;
import dev.flotilla.storage.WatchListener;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link PolicyIndex} equal to etcd: lists Roles, ClusterRoles, RoleBindings and
 * ClusterRoleBindings at start, then follows one etcd watch per kind, so a change takes effect in
 * every API server process as soon as etcd delivers it. A watch that ends (history compacted, etcd
 * refused it) is replaced by a fresh list and watch after a second. The only class that feeds the
 * index: a watch cache can take its place here.
 */
@Context
public class PolicyFeed {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyFeed.class);
    private static final String GROUP = "rbac.authorization.k8s.io";
    private static final Map<String, String> KINDS = Map.of("roles", "Role", "clusterroles", "ClusterRole",
            "rolebindings", "RoleBinding", "clusterrolebindings", "ClusterRoleBinding");

    private final ResourceStore store;
    private final PolicyIndex index;
    private final ClusterRoleAggregator aggregator;
    private final List<ResourceType> types;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final Set<String> synced = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService worker = DaemonThreads.scheduler("rbac-policy-feed");

    public PolicyFeed(ResourceStore store, ResourceRegistry registry, PolicyIndex index,
            ClusterRoleAggregator aggregator) {
        this.store = store;
        this.index = index;
        this.aggregator = aggregator;
        this.types = KINDS.keySet().stream().map(r -> registry.find(GROUP, "v1", r).orElseThrow()).toList();
        types.forEach(type -> worker.execute(() -> sync(type)));
    }

    /** True once every kind has been listed into the index. */
    public boolean synced() {
        return synced.size() == types.size();
    }

    private void sync(ResourceType type) {
        Watch previous = watches.remove(type.resource());
        if (previous != null) {
            previous.close();
        }
        try {
            ListResult all = store.list(type, null, 0, 0, null);
            Set<String> present = new HashSet<>();
            for (StoredObject stored : all.items()) {
                put(type, stored);
                present.add(namespaceAndName(type, stored.key()));
            }
            index.retainOnly(type.kind(), present);
            watches.put(type.resource(), store.watch(type, null, all.revision(), new Listener(type)));
            synced.add(type.resource());
            changed(type);
        } catch (RuntimeException e) {
            LOG.debug("cannot load {} yet: {}", type.resource(), e.getMessage());
            retry(type);
        }
    }

    private void retry(ResourceType type) {
        if (!worker.isShutdown()) {
            worker.schedule(() -> sync(type), 1, TimeUnit.SECONDS);
        }
    }

    private void put(ResourceType type, StoredObject stored) {
        ObjectNode object = ResourceStore.decode(stored);
        try {
            switch (type.kind()) {
                case "Role" -> index.putRole(Json.mapper().treeToValue(object, Role.class));
                case "ClusterRole" -> index.putClusterRole(Json.mapper().treeToValue(object, ClusterRole.class));
                case "RoleBinding" -> index.putRoleBinding(Json.mapper().treeToValue(object, RoleBinding.class));
                default -> index.putClusterRoleBinding(Json.mapper().treeToValue(object, ClusterRoleBinding.class));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warn("ignoring unreadable {} at {}: {}", type.kind(), stored.key(), e.getMessage());
        }
    }

    private void remove(ResourceType type, String key) {
        String[] parts = namespaceAndName(type, key).split("/", 2);
        switch (type.kind()) {
            case "Role" -> index.removeRole(parts[0], parts[1]);
            case "ClusterRole" -> index.removeClusterRole(parts[1]);
            case "RoleBinding" -> index.removeRoleBinding(parts[0], parts[1]);
            default -> index.removeClusterRoleBinding(parts[1]);
        }
    }

    /** {@code <namespace>/<name>} (namespace empty when cluster-scoped) from {@code /registry/<group>/<resource>/[<ns>/]<name>}. */
    private static String namespaceAndName(ResourceType type, String key) {
        String rest = key.substring(("/registry/" + GROUP + "/" + type.resource() + "/").length());
        return type.namespaced() ? rest : "/" + rest;
    }

    private void changed(ResourceType type) {
        if (type.kind().equals("ClusterRole")) {
            aggregator.clusterRolesChanged();
        }
    }

    private final class Listener implements WatchListener {

        private final ResourceType type;

        Listener(ResourceType type) {
            this.type = type;
        }

        @Override
        public void onEvent(WatchEvent event) {
            if (event.type() == WatchEvent.Type.PUT) {
                put(type, event.object());
            } else {
                remove(type, event.key());
            }
            changed(type);
        }

        @Override
        public void onError(StorageException error) {
            LOG.info("{} watch ended ({}); listing again", type.resource(), error.getMessage());
            retry(type);
        }
    }

    @PreDestroy
    public void stop() {
        worker.shutdownNow();
        watches.values().forEach(Watch::close);
        watches.clear();
    }
}
