package dev.flotilla.controllers.quota;

import dev.flotilla.api.quota.ObjectUsage;
import dev.flotilla.api.quota.PodUsage;
import dev.flotilla.api.quota.Quantities;
import dev.flotilla.api.quota.QuotaScopes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Service;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A quota's {@code status.used}: for each resource its {@code spec.hard} names, what the namespace
 * uses now. Resources no evaluator knows are left out, as upstream does.
 */
final class QuotaUsage {

    /** The namespace's objects, by resource; {@code count/<resource>.<group>} of others asks {@code counter}. */
    record Namespace(List<Pod> pods, List<Service> services, List<PersistentVolumeClaim> claims,
            Map<String, List<? extends HasMetadata>> countable, Function<String, Integer> counter) {
    }

    private QuotaUsage() {
    }

    static Map<String, Quantity> of(ResourceQuota quota, Namespace namespace) {
        QuotaScopes scopes = QuotaScopes.of(quota);
        List<Pod> pods = namespace.pods().stream().filter(p -> !PodUsage.terminal(p)).filter(scopes::matches)
                .toList();
        Map<String, Quantity> used = new LinkedHashMap<>();
        for (String resource : quota.getSpec().getHard().keySet()) {
            String value = scopes.scoped() ? podResource(resource, pods) : usage(resource, pods, namespace);
            if (value != null) {
                used.put(resource, new Quantity(value));
            }
        }
        return used;
    }

    private static String usage(String resource, List<Pod> pods, Namespace namespace) {
        String pod = podResource(resource, pods);
        if (pod != null) {
            return pod;
        }
        switch (resource) {
            case "services.nodeports":
                return count(namespace.services().stream().mapToLong(ObjectUsage::nodePorts).sum());
            case "services.loadbalancers":
                return count(namespace.services().stream()
                        .filter(s -> "LoadBalancer".equals(s.getSpec().getType())).count());
            case "requests.storage":
                Quantities.Sum storage = new Quantities.Sum();
                for (PersistentVolumeClaim claim : namespace.claims()) {
                    if (claim.getSpec() != null && claim.getSpec().getResources() != null
                            && claim.getSpec().getResources().getRequests() != null) {
                        storage.add(claim.getSpec().getResources().getRequests().get("storage"));
                    }
                }
                return storage.text();
            default:
                break;
        }
        String countable = resource.startsWith("count/") ? resource.substring("count/".length()) : resource;
        List<? extends HasMetadata> objects = namespace.countable().get(countable);
        if (objects != null) {
            return count(objects.size());
        }
        if (resource.startsWith("count/")) {
            Integer counted = namespace.counter().apply(countable);
            return counted == null ? null : count(counted);
        }
        return null;
    }

    /** Resources the pod evaluator tracks, or null if this is not one of them. */
    private static String podResource(String resource, List<Pod> pods) {
        if (resource.equals("pods") || resource.equals("count/pods")) {
            return count(pods.size());
        }
        ObjectUsage.PodResource podResource = ObjectUsage.podResource(resource);
        if (podResource == null) {
            return null;
        }
        Quantities.Sum sum = new Quantities.Sum();
        for (Pod pod : pods) {
            sum.add(PodUsage.of(pod, podResource.name(), podResource.limits()));
        }
        return sum.text();
    }

    private static String count(long n) {
        return Quantities.format(java.math.BigDecimal.valueOf(n), false);
    }
}
