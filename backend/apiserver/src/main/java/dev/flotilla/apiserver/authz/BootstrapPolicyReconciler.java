package dev.flotilla.apiserver.authz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.concurrent.DaemonThreads;
import dev.flotilla.api.health.HealthCheck;
import dev.flotilla.api.health.HealthResult;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.rbac.BootstrapPolicy;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.resource.ObjectMetadata;
import dev.flotilla.apiserver.resource.ObjectPreparation;
import dev.flotilla.apiserver.resource.ResourceStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the {@link BootstrapPolicy} roles and bindings at start and reconciles them as upstream
 * does: a missing object is created; an existing one whose {@code rbac.authorization.kubernetes.io/autoupdate}
 * annotation is not {@code "false"} gets back any default rule or subject it lacks (nothing is removed).
 * Every write is create-if-absent or compare-and-swap, so servers starting together end with one copy.
 * Retried every second until etcd answers; {@code /readyz} reports
 * {@code poststarthook/rbac/bootstrap-roles} until this is done and the policy index has loaded.
 */
@Context
public class BootstrapPolicyReconciler implements HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapPolicyReconciler.class);

    private final ResourceStore store;
    private final PolicyFeed feed;
    private final ResourceType clusterRoles;
    private final ResourceType clusterRoleBindings;
    private volatile boolean done;
    private final ScheduledExecutorService retries = DaemonThreads.scheduler("rbac-bootstrap");

    public BootstrapPolicyReconciler(ResourceStore store, ResourceRegistry registry, PolicyFeed feed) {
        this.store = store;
        this.feed = feed;
        this.clusterRoles = registry.find("rbac.authorization.k8s.io", "v1", "clusterroles").orElseThrow();
        this.clusterRoleBindings = registry.find("rbac.authorization.k8s.io", "v1", "clusterrolebindings")
                .orElseThrow();
        retries.execute(this::ensure);
    }

    @Override
    public String name() {
        return "poststarthook/rbac/bootstrap-roles";
    }

    @Override
    public HealthResult check() {
        if (!done) {
            return HealthResult.failed("the default RBAC roles and bindings are not in place yet");
        }
        return feed.synced() ? HealthResult.ok() : HealthResult.failed("the RBAC policy is still loading");
    }

    private void ensure() {
        try {
            for (ClusterRole role : BootstrapPolicy.clusterRoles()) {
                reconcile(clusterRoles, role, ClusterRole.class, existing -> withMissingRules(existing, role));
            }
            for (ClusterRoleBinding binding : BootstrapPolicy.clusterRoleBindings()) {
                reconcile(clusterRoleBindings, binding, ClusterRoleBinding.class,
                        existing -> withMissingSubjects(existing, binding));
            }
            done = true;
            LOG.info("default RBAC roles and bindings are in place");
        } catch (RuntimeException e) {
            LOG.debug("bootstrap policy not yet in place: {}", e.getMessage());
            if (!retries.isShutdown()) {
                retries.schedule(this::ensure, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** What to write over an existing default object, or empty when it needs nothing. */
    private interface Repair<T> {
        Optional<T> of(T existing);
    }

    private <T extends HasMetadata> void reconcile(ResourceType type, T wanted, Class<T> kind, Repair<T> repair) {
        String name = wanted.getMetadata().getName();
        Optional<ObjectNode> current = store.get(type, null, name);
        if (current.isEmpty()) {
            ObjectNode object = Json.mapper().valueToTree(wanted);
            object.put("apiVersion", type.apiVersion());
            object.put("kind", type.kind());
            ObjectPreparation.prepareForCreate(type, object);
            try {
                store.create(type, null, name, object);
                LOG.info("created {} {}", type.kind(), name);
            } catch (ApiError e) {
                if (e.code() != 409) {
                    throw e;
                }
                // Another server created it first: reconcile what it wrote on the next pass.
                throw new IllegalStateException(name + " was created concurrently");
            }
            return;
        }
        ObjectNode object = current.get();
        if ("false".equals(object.path("metadata").path("annotations").path(BootstrapPolicy.AUTOUPDATE_ANNOTATION)
                .asText())) {
            return;
        }
        T existing;
        try {
            existing = Json.mapper().treeToValue(object, kind);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read " + type.kind() + " " + name, e);
        }
        Optional<T> repaired = repair.of(existing);
        if (repaired.isPresent()) {
            ObjectNode updated = Json.mapper().valueToTree(repaired.get());
            store.update(type, null, name, updated, Long.parseLong(ObjectMetadata.of(object).resourceVersion()));
            LOG.info("restored default rules or subjects of {} {}", type.kind(), name);
        }
    }

    private static Optional<ClusterRole> withMissingRules(ClusterRole existing, ClusterRole wanted) {
        if (wanted.getAggregationRule() != null) {
            // The aggregator owns these rules.
            return Optional.empty();
        }
        List<PolicyRule> rules = new ArrayList<>(existing.getRules() == null ? List.of() : existing.getRules());
        boolean changed = false;
        for (PolicyRule rule : wanted.getRules()) {
            if (!rules.contains(rule)) {
                rules.add(rule);
                changed = true;
            }
        }
        existing.setRules(rules);
        return changed ? Optional.of(existing) : Optional.empty();
    }

    private static Optional<ClusterRoleBinding> withMissingSubjects(ClusterRoleBinding existing,
            ClusterRoleBinding wanted) {
        List<Subject> subjects = new ArrayList<>(existing.getSubjects() == null ? List.of() : existing.getSubjects());
        boolean changed = false;
        for (Subject subject : wanted.getSubjects()) {
            if (!subjects.contains(subject)) {
                subjects.add(subject);
                changed = true;
            }
        }
        existing.setSubjects(subjects);
        return changed ? Optional.of(existing) : Optional.empty();
    }

    @PreDestroy
    public void stop() {
        retries.shutdownNow();
    }
}
