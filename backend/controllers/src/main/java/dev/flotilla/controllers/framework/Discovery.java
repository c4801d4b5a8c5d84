package dev.flotilla.controllers.framework;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The resources the API server serves, read through discovery at each group's preferred version
 * (upstream's ServerPreferredResources), so custom resources are included. Groups whose discovery
 * fails are reported, not fatal.
 */
public final class Discovery {

    /** A served resource and the verbs it supports. */
    public record Resource(ResourceDefinitionContext context, List<String> verbs) {

        public boolean supports(String verb) {
            return verbs.contains(verb);
        }

        /** {@code pods}, {@code deployments.apps}: how upstream names a group resource in messages. */
        public String groupResource() {
            String group = context.getGroup();
            return group == null || group.isEmpty() ? context.getPlural() : context.getPlural() + "." + group;
        }
    }

    /** What discovery found and the group versions it could not read. */
    public record Result(List<Resource> resources, List<String> failures) {
    }

    private Discovery() {
    }

    public static Result preferredResources(KubernetesClient client) {
        List<Resource> resources = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> groupVersions = new ArrayList<>(List.of("v1"));
        for (APIGroup group : client.getApiGroups().getGroups()) {
            groupVersions.add(group.getPreferredVersion().getGroupVersion());
        }
        for (String groupVersion : groupVersions) {
            try {
                APIResourceList list = client.getApiResources(groupVersion);
                if (list == null) {
                    failures.add(groupVersion + ": not found");
                    continue;
                }
                String group = groupVersion.contains("/") ? groupVersion.substring(0, groupVersion.indexOf('/')) : "";
                String version = groupVersion.substring(groupVersion.indexOf('/') + 1);
                for (APIResource resource : list.getResources()) {
                    if (resource.getName().contains("/")) {
                        continue;
                    }
                    resources.add(new Resource(new ResourceDefinitionContext.Builder()
                            .withGroup(group).withVersion(version).withPlural(resource.getName())
                            .withKind(resource.getKind()).withNamespaced(Boolean.TRUE.equals(resource.getNamespaced()))
                            .build(), resource.getVerbs() == null ? List.of() : resource.getVerbs()));
                }
            } catch (RuntimeException e) {
                failures.add(groupVersion + ": " + e.getMessage());
            }
        }
        return new Result(resources, failures);
    }
}
