package dev.flotilla.apiserver.admission;

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
            "ResourceQuota", "TenantBoundary");

    private final List<AdmissionPlugin> plugins;

    public AdmissionChain(List<AdmissionPlugin> plugins) {
        for (AdmissionPlugin plugin : plugins) {
            if (!ORDER.contains(plugin.name())) {
                throw new IllegalStateException("admission plugin " + plugin.name() + " has no place in the order");
            }
        }
        this.plugins = plugins.stream().sorted(Comparator.comparingInt(p -> ORDER.indexOf(p.name()))).toList();
    }

    public void admit(AdmissionAttributes attributes) {
        plugins.forEach(plugin -> plugin.admit(attributes));
    }

    public void validate(AdmissionAttributes attributes) {
        plugins.forEach(plugin -> plugin.validate(attributes));
    }

    List<String> names() {
        return plugins.stream().map(AdmissionPlugin::name).toList();
    }
}
