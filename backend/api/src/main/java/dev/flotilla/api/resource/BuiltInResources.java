package dev.flotilla.api.resource;

import dev.flotilla.api.tenancy.TenancyApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The built-in Kubernetes resource types Flotilla serves, with upstream's names, short names and categories. */
final class BuiltInResources {

    private static final List<String> ALL = List.of("all");

    private BuiltInResources() {
    }

    static List<ResourceType> all() {
        List<ResourceType> types = new ArrayList<>();
        // core/v1
        types.add(cluster("", "v1", "Namespace", "namespaces", List.of("ns"), List.of(), "status", "finalize"));
        types.add(namespaced("", "v1", "Pod", "pods", List.of("po"), ALL, "status", "binding", "eviction",
                "ephemeralcontainers", "log", "exec", "attach", "portforward", "proxy"));
        types.add(namespaced("", "v1", "Service", "services", List.of("svc"), ALL, "status", "proxy"));
        types.add(namespaced("", "v1", "Endpoints", "endpoints", List.of("ep"), List.of()));
        types.add(namespaced("", "v1", "ConfigMap", "configmaps", List.of("cm"), List.of()));
        types.add(namespaced("", "v1", "Secret", "secrets", List.of(), List.of()));
        types.add(namespaced("", "v1", "ServiceAccount", "serviceaccounts", List.of("sa"), List.of(), "token"));
        types.add(namespaced("", "v1", "Event", "events", List.of("ev"), List.of()));
        types.add(cluster("", "v1", "Node", "nodes", List.of("no"), List.of(), "status", "proxy"));
        types.add(namespaced("", "v1", "ResourceQuota", "resourcequotas", List.of("quota"), List.of(), "status"));
        types.add(namespaced("", "v1", "LimitRange", "limitranges", List.of("limits"), List.of()));
        types.add(cluster("", "v1", "PersistentVolume", "persistentvolumes", List.of("pv"), List.of(), "status"));
        types.add(namespaced("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", List.of("pvc"), List.of(),
                "status"));
        types.add(namespaced("", "v1", "ReplicationController", "replicationcontrollers", List.of("rc"), ALL,
                "scale", "status"));
        types.add(namespaced("", "v1", "PodTemplate", "podtemplates", List.of(), List.of()));
        // apps/v1
        types.add(namespaced("apps", "v1", "Deployment", "deployments", List.of("deploy"), ALL, "scale", "status"));
        types.add(namespaced("apps", "v1", "ReplicaSet", "replicasets", List.of("rs"), ALL, "scale", "status"));
        types.add(namespaced("apps", "v1", "StatefulSet", "statefulsets", List.of("sts"), ALL, "scale", "status"));
        types.add(namespaced("apps", "v1", "DaemonSet", "daemonsets", List.of("ds"), ALL, "status"));
        types.add(namespaced("apps", "v1", "ControllerRevision", "controllerrevisions", List.of(), List.of()));
        // batch/v1
        types.add(namespaced("batch", "v1", "Job", "jobs", List.of(), ALL, "status"));
        types.add(namespaced("batch", "v1", "CronJob", "cronjobs", List.of("cj"), ALL, "status"));
        // autoscaling
        types.add(namespaced("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                List.of("hpa"), ALL, "status"));
        types.add(namespaced("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                List.of("hpa"), ALL, "status"));
        // metrics.k8s.io/v1beta1: read-only, served from the kubelets' figures (not storage)
        types.add(new ResourceType("metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes", "", false, List.of(),
                List.of(), Set.of("get", "list"), Set.of()));
        types.add(new ResourceType("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", "", true, List.of(),
                List.of(), Set.of("get", "list"), Set.of()));
        // networking.k8s.io/v1
        types.add(namespaced("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", List.of("netpol"),
                List.of()));
        types.add(namespaced("networking.k8s.io", "v1", "Ingress", "ingresses", List.of("ing"), List.of(), "status"));
        types.add(cluster("networking.k8s.io", "v1", "IngressClass", "ingressclasses", List.of(), List.of()));
        // discovery.k8s.io/v1, events.k8s.io/v1
        types.add(namespaced("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", List.of(), List.of()));
        types.add(namespaced("events.k8s.io", "v1", "Event", "events", List.of("ev"), List.of()));
        // rbac.authorization.k8s.io/v1
        String rbac = "rbac.authorization.k8s.io";
        types.add(namespaced(rbac, "v1", "Role", "roles", List.of(), List.of()));
        types.add(namespaced(rbac, "v1", "RoleBinding", "rolebindings", List.of(), List.of()));
        types.add(cluster(rbac, "v1", "ClusterRole", "clusterroles", List.of(), List.of()));
        types.add(cluster(rbac, "v1", "ClusterRoleBinding", "clusterrolebindings", List.of(), List.of()));
        // coordination, storage, policy, scheduling, certificates, apiextensions
        types.add(namespaced("coordination.k8s.io", "v1", "Lease", "leases", List.of(), List.of()));
        types.add(cluster("storage.k8s.io", "v1", "StorageClass", "storageclasses", List.of("sc"), List.of()));
        types.add(namespaced("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", List.of("pdb"),
                List.of(), "status"));
        types.add(cluster("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", List.of("pc"), List.of()));
        types.add(cluster("certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests",
                List.of("csr"), List.of(), "approval", "status"));
        types.add(cluster("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
                List.of("crd", "crds"), List.of("api-extensions"), "status"));
        // review APIs: create only, nothing stored
        types.add(review("authentication.k8s.io", "TokenReview", "tokenreviews", false));
        types.add(review("authentication.k8s.io", "SelfSubjectReview", "selfsubjectreviews", false));
        types.add(review("authorization.k8s.io", "SubjectAccessReview", "subjectaccessreviews", false));
        types.add(review("authorization.k8s.io", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false));
        types.add(review("authorization.k8s.io", "LocalSubjectAccessReview", "localsubjectaccessreviews", true));
        types.add(review("authorization.k8s.io", "SelfSubjectRulesReview", "selfsubjectrulesreviews", false));
        // the audit log: read-only, kept in PostgreSQL by the API server (docs/audit.md)
        types.add(new ResourceType("audit.flotilla.dev", "v1", "AuditEvent", "auditevents", "auditevent", true,
                List.of(), List.of(), Set.of("get", "list"), Set.of()));
        // tenants: kept in PostgreSQL by the API server (docs/tenancy.md); "tnt" as Capsule names them
        types.add(cluster(TenancyApi.GROUP, TenancyApi.VERSION, TenancyApi.KIND, TenancyApi.TENANTS, List.of("tnt"),
                List.of(), "status"));
        // a tenant's aggregate quota: in etcd, so admission charges it from the watch cache (docs/tenancy.md)
        types.add(cluster(TenancyApi.GROUP, TenancyApi.VERSION, TenancyApi.QUOTA_KIND, TenancyApi.QUOTAS,
                List.of("tquota"), List.of(), "status"));
        return List.copyOf(types);
    }

    private static ResourceType namespaced(String group, String version, String kind, String resource,
            List<String> shortNames, List<String> categories, String... subresources) {
        return new ResourceType(group, version, kind, resource, kind.toLowerCase(), true, shortNames, categories,
                ResourceType.ALL_VERBS, Set.of(subresources));
    }

    private static ResourceType cluster(String group, String version, String kind, String resource,
            List<String> shortNames, List<String> categories, String... subresources) {
        return new ResourceType(group, version, kind, resource, kind.toLowerCase(), false, shortNames, categories,
                ResourceType.ALL_VERBS, Set.of(subresources));
    }

    private static ResourceType review(String group, String kind, String resource, boolean namespaced) {
        return new ResourceType(group, "v1", kind, resource, kind.toLowerCase(), namespaced, List.of(), List.of(),
                ResourceType.CREATE_ONLY, Set.of());
    }
}
