package dev.flotilla.apiserver.resource;

import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersions;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The legacy discovery documents kubectl and client libraries read to learn what the server serves:
 * {@code /api} (APIVersions), {@code /apis} (APIGroupList), {@code /apis/<group>} (APIGroup) and
 * {@code /api/v1}, {@code /apis/<group>/<version>} (APIResourceList, subresources included).
 */
@Singleton
public class DiscoveryDocuments {

    private static final Set<String> SUBRESOURCE_READ_WRITE = Set.of("get", "patch", "update");

    private final ResourceRegistry registry;

    public DiscoveryDocuments(ResourceRegistry registry) {
        this.registry = registry;
    }

    public APIVersions coreVersions(String serverAddress) {
        return new APIVersionsBuilder()
                .withVersions("v1")
                .addNewServerAddressByClientCIDR("0.0.0.0/0", serverAddress)
                .build();
    }

    public APIGroupList groups() {
        List<APIGroup> groups = new ArrayList<>();
        registry.groups().forEach((name, versions) -> groups.add(group(name, versions)));
        return new APIGroupListBuilder().withGroups(groups).build();
    }

    public APIGroup group(String name) {
        return group(name, registry.groups().getOrDefault(name, List.of()));
    }

    private static APIGroup group(String name, List<String> versions) {
        List<GroupVersionForDiscovery> served = versions.stream()
                .map(v -> new GroupVersionForDiscovery(name + "/" + v, v))
                .toList();
        return new APIGroupBuilder()
                .withName(name)
                .withVersions(served)
                .withPreferredVersion(served.get(0))
                .build();
    }

    public APIResourceList resources(String group, String version) {
        List<APIResource> resources = new ArrayList<>();
        for (ResourceType type : registry.inGroupVersion(group, version)) {
            resources.add(new APIResourceBuilder()
                    .withName(type.resource())
                    .withSingularName(type.singular())
                    .withNamespaced(type.namespaced())
                    .withKind(type.kind())
                    .withVerbs(sorted(type.verbs()))
                    .withShortNames(type.shortNames().isEmpty() ? null : type.shortNames())
                    .withCategories(type.categories().isEmpty() ? null : type.categories())
                    .build());
            for (String sub : sorted(type.subresources())) {
                resources.add(subresource(type, sub));
            }
        }
        return new APIResourceListBuilder()
                .withGroupVersion(group.isEmpty() ? version : group + "/" + version)
                .withResources(resources)
                .build();
    }

    static APIResource subresource(ResourceType type, String sub) {
        Map<String, List<String>> verbs = Map.of(
                "binding", List.of("create"),
                "eviction", List.of("create"),
                "token", List.of("create"),
                "log", List.of("get"),
                "exec", List.of("create", "get"),
                "attach", List.of("create", "get"),
                "portforward", List.of("create", "get"),
                "proxy", List.of("create", "delete", "get", "patch", "update"),
                "finalize", List.of("update"));
        String kind = switch (sub) {
            case "scale" -> "Scale";
            case "binding" -> "Binding";
            case "eviction" -> "Eviction";
            case "token" -> "TokenRequest";
            case "log", "exec", "attach", "portforward", "proxy" -> sub.equals("exec") ? "PodExecOptions"
                    : sub.equals("attach") ? "PodAttachOptions" : sub.equals("log") ? "Pod"
                    : sub.equals("portforward") ? "PodPortForwardOptions"
                    : type.kind().equals("Node") ? "NodeProxyOptions"
                    : type.kind().equals("Service") ? "ServiceProxyOptions" : "PodProxyOptions";
            default -> type.kind();
        };
        APIResourceBuilder builder = new APIResourceBuilder()
                .withName(type.resource() + "/" + sub)
                .withSingularName("")
                .withNamespaced(type.namespaced())
                .withKind(kind)
                .withVerbs(verbs.getOrDefault(sub, sorted(SUBRESOURCE_READ_WRITE)));
        if (sub.equals("scale")) {
            builder.withGroup("autoscaling").withVersion("v1");
        }
        return builder.build();
    }

    static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
