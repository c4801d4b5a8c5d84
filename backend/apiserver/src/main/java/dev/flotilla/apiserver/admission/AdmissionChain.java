package dev.flotilla.apiserver.admission;

import dev.flotilla.apiserver.metrics.RequestMetrics;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;

/**
 * The admission plugins in upstream's order (kube-apiserver's {@code AllOrderedPlugins}): every
 * mutating phase first, then every validating phase, so a validator sees the object as stored.
 */
@Singleton
public class AdmissionChain {

    /** Upstream's order of the plugins Flotilla has; a plugin not listed here fails start-up. */
    static final List<String> ORDER = List.of("NamespaceLifecycle", "LimitRanger", "ServiceAccount",
            "NodeRestriction", "PodSecurity", "Priority", "DefaultTolerationSeconds", "DefaultStorageClass",
            "StorageObjectInUseProtection", "ResourceQuota", "TenantBoundary");

    private final List<AdmissionPlugin> plugins;
    private final RequestMetrics metrics;

    public AdmissionChain(List<AdmissionPlugin> plugins, RequestMetrics metrics) {
        this.metrics = metrics;
        for (AdmissionPlugin plugin : plugins) {
            if (!ORDER.contains(plugin.name())) {
                throw new IllegalStateException("admission plugin " + plugin.name() + " has no place in the order");
            }
        }
        this.plugins = plugins.stream().sorted(Comparator.comparingInt(p -> ORDER.indexOf(p.name()))).toList();
    }

    public void admit(AdmissionAttributes attributes) {
        timed("admit", attributes, () -> plugins.forEach(plugin -> plugin.admit(attributes)));
    }

    public void validate(AdmissionAttributes attributes) {
        timed("validate", attributes, () -> plugins.forEach(plugin -> plugin.validate(attributes)));
    }

    private void timed(String type, AdmissionAttributes attributes, Runnable step) {
        long start = System.nanoTime();
        boolean rejected = true;
        try {
            step.run();
            rejected = false;
        } finally {
            metrics.admissionStep(type, attributes.operation().name(), rejected, System.nanoTime() - start);
        }
    }

    List<String> names() {
        return plugins.stream().map(AdmissionPlugin::name).toList();
    }
}
