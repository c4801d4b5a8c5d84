package dev.flotilla.api.resource;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every resource type the API serves, indexed for routing (group, version, resource) and for
 * decoding bodies (apiVersion, kind). Built-in types are registered at start; custom resources are
 * added and removed at run time, so lookups are thread-safe.
 */
@Singleton
public class ResourceRegistry {

    private final Map<String, ResourceType> byGroupVersionResource = new ConcurrentHashMap<>();
    private final Map<String, ResourceType> byApiVersionKind = new ConcurrentHashMap<>();

    public ResourceRegistry() {
        BuiltInResources.all().forEach(this::register);
    }

    public final void register(ResourceType type) {
        byGroupVersionResource.put(gvr(type.group(), type.version(), type.resource()), type);
        byApiVersionKind.put(type.apiVersion() + "/" + type.kind(), type);
    }

    public void unregister(ResourceType type) {
        byGroupVersionResource.remove(gvr(type.group(), type.version(), type.resource()));
        byApiVersionKind.remove(type.apiVersion() + "/" + type.kind());
    }

    public Optional<ResourceType> find(String group, String version, String resource) {
        return Optional.ofNullable(byGroupVersionResource.get(gvr(group, version, resource)));
    }

    public Optional<ResourceType> findByKind(String apiVersion, String kind) {
        return Optional.ofNullable(byApiVersionKind.get(apiVersion + "/" + kind));
    }

    /** Types served at one group/version, sorted by resource name. */
    public List<ResourceType> inGroupVersion(String group, String version) {
        return byGroupVersionResource.values().stream()
                .filter(t -> t.group().equals(group) && t.version().equals(version))
                .sorted(Comparator.comparing(ResourceType::resource))
                .toList();
    }

    /** Groups (the core group "" excluded) with their versions, preferred version first. */
    public Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        byGroupVersionResource.values().stream()
                .filter(t -> !t.group().isEmpty())
                .sorted(Comparator.comparing(ResourceType::group).thenComparing(ResourceType::version,
                        ResourceRegistry::compareVersionsPreferredFirst))
                .forEach(t -> {
                    List<String> versions = groups.computeIfAbsent(t.group(), g -> new ArrayList<>());
                    if (!versions.contains(t.version())) {
                        versions.add(t.version());
                    }
                });
        return groups;
    }

    public Collection<ResourceType> all() {
        return List.copyOf(byGroupVersionResource.values());
    }

    /**
     * Kubernetes version priority: GA before beta before alpha, higher numbers first
     * ({@code v2 > v1 > v1beta2 > v1beta1 > v1alpha1}).
     */
    static int compareVersionsPreferredFirst(String a, String b) {
        return Integer.compare(rank(b), rank(a));
    }

    private static int rank(String version) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?").matcher(version);
        if (!m.matches()) {
            return Integer.MIN_VALUE;
        }
        int major = Integer.parseInt(m.group(1));
        int stability = m.group(2) == null ? 3 : m.group(2).equals("beta") ? 2 : 1;
        int minor = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return stability * 1_000_000 + major * 1_000 + minor;
    }

    private static String gvr(String group, String version, String resource) {
        return group + "/" + version + "/" + resource;
    }
}
