package dev.flotilla.api.quota;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one object charges against the resources a quota names, as upstream's quota evaluators count
 * it: pods (compute resources and counts), services (counts, node ports, load balancers), claims
 * (storage, also per storage class) and {@code count/<resource>.<group>} for everything else.
 */
public final class ObjectUsage {

    /** The object-count names that existed before {@code count/...}, all in the core group. */
    private static final Set<String> LEGACY_COUNTS = Set.of("pods", "services", "replicationcontrollers",
            "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims");

    private ObjectUsage() {
    }

    /** A pod resource a quota may name: {@code limits.memory} is (memory, limits), {@code cpu} is (cpu, requests). */
    public record PodResource(String name, boolean limits) {
    }

    /** The pod resource behind a quota resource name, or null if the pod evaluator does not track it. */
    public static PodResource podResource(String resource) {
        if (resource.startsWith("limits.")) {
            return new PodResource(resource.substring("limits.".length()), true);
        }
        if (resource.startsWith("requests.")) {
            String name = resource.substring("requests.".length());
            return name.equals("storage") ? null : new PodResource(name, false);
        }
        return Set.of("cpu", "memory", "ephemeral-storage").contains(resource) ? new PodResource(resource, false) : null;
    }

    /** The quota resource names that count objects of {@code resource} in {@code group}. */
    public static Set<String> countNames(String group, String resource) {
        String counted = "count/" + resource + (group.isEmpty() ? "" : "." + group);
        return group.isEmpty() && LEGACY_COUNTS.contains(resource) ? Set.of(counted, resource) : Set.of(counted);
    }

    /**
     * What an object of {@code resource} in {@code group} charges for each of {@code resources}:
     * {@code typed} is the Pod, Service or PersistentVolumeClaim for those kinds (their evaluators
     * look inside), anything for the rest (only counted).
     */
    public static Map<String, Quantities.Sum> of(String group, String resource, Object typed, Set<String> resources) {
        if (typed instanceof Pod pod) {
            return ofPod(pod, resources);
        }
        if (typed instanceof Service service) {
            return ofService(service, resources);
        }
        if (typed instanceof PersistentVolumeClaim claim) {
            return ofClaim(claim, resources);
        }
        return counted(group, resource, resources);
    }

    /** A pod's charge for each of {@code resources} it is counted in. */
    public static Map<String, Quantities.Sum> ofPod(Pod pod, Set<String> resources) {
        Map<String, Quantities.Sum> usage = new LinkedHashMap<>();
        Set<String> counts = countNames("", "pods");
        for (String resource : resources) {
            PodResource podResource = podResource(resource);
            if (counts.contains(resource)) {
                usage.put(resource, count(1));
            } else if (podResource != null) {
                usage.put(resource, PodUsage.of(pod, podResource.name(), podResource.limits()));
            }
        }
        return usage;
    }

    /** A service's charge: its count, its node ports and whether it is a load balancer. */
    public static Map<String, Quantities.Sum> ofService(Service service, Set<String> resources) {
        Map<String, Quantities.Sum> usage = counted("", "services", resources);
        if (resources.contains("services.nodeports")) {
            usage.put("services.nodeports", count(nodePorts(service)));
        }
        if (resources.contains("services.loadbalancers")) {
            boolean loadBalancer = service.getSpec() != null && "LoadBalancer".equals(service.getSpec().getType());
            usage.put("services.loadbalancers", count(loadBalancer ? 1 : 0));
        }
        return usage;
    }

    /** A claim's charge: its count and requested storage, overall and for its storage class. */
    public static Map<String, Quantities.Sum> ofClaim(PersistentVolumeClaim claim, Set<String> resources) {
        Map<String, Quantities.Sum> usage = counted("", "persistentvolumeclaims", resources);
        String storageClass = claim.getSpec() == null ? null : claim.getSpec().getStorageClassName();
        String classPrefix = storageClass == null ? null : storageClass + ".storageclass.storage.k8s.io/";
        Quantities.Sum storage = Quantities.Sum.of(claim.getSpec() == null || claim.getSpec().getResources() == null
                || claim.getSpec().getResources().getRequests() == null ? null
                : claim.getSpec().getResources().getRequests().get("storage"));
        for (String resource : resources) {
            if (resource.equals("requests.storage") || classPrefix != null && resource.equals(classPrefix + "requests.storage")) {
                usage.put(resource, storage);
            } else if (classPrefix != null && resource.equals(classPrefix + "persistentvolumeclaims")) {
                usage.put(resource, count(1));
            }
        }
        return usage;
    }

    /** One object's count under each name of {@code resources} that counts its kind. */
    public static Map<String, Quantities.Sum> counted(String group, String resource, Set<String> resources) {
        Map<String, Quantities.Sum> usage = new LinkedHashMap<>();
        for (String name : countNames(group, resource)) {
            if (resources.contains(name)) {
                usage.put(name, count(1));
            }
        }
        return usage;
    }

    /** Node ports a service allocates: one per port for NodePort, and for LoadBalancer unless turned off. */
    public static long nodePorts(Service service) {
        String type = service.getSpec() == null ? null : service.getSpec().getType();
        boolean allocates = "NodePort".equals(type) || "LoadBalancer".equals(type)
                && !Boolean.FALSE.equals(service.getSpec().getAllocateLoadBalancerNodePorts());
        return allocates && service.getSpec().getPorts() != null ? service.getSpec().getPorts().size() : 0;
    }

    private static Quantities.Sum count(long n) {
        Quantities.Sum sum = new Quantities.Sum();
        sum.add(n);
        return sum;
    }
}
