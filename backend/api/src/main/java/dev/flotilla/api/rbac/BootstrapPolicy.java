package dev.flotilla.api.rbac;

import dev.flotilla.api.network.PodNetworkApi;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default roles and bindings every cluster has, as upstream's bootstrap policy defines them
 * (cluster-admin, admin/edit/view with their aggregation, the discovery and public-info roles), plus
 * the roles Flotilla's own components run with. Flotilla's controller manager and scheduler each use
 * one identity for all their loops, so besides upstream's {@code system:kube-controller-manager} and
 * {@code system:kube-scheduler} roles they are bound to {@code system:flotilla:controller-manager}
 * and {@code system:flotilla:scheduler}, which grant what all their loops together need
 * (docs/authorization.md lists them).
 */
public final class BootstrapPolicy {

    public static final String AUTOUPDATE_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate";
    public static final String BOOTSTRAP_LABEL = "kubernetes.io/bootstrapping";
    public static final String AGGREGATE_TO = "rbac.authorization.k8s.io/aggregate-to-";
    public static final String CONTROLLER_MANAGER_USER = "system:kube-controller-manager";
    public static final String SCHEDULER_USER = "system:kube-scheduler";
    public static final String BOOTSTRAPPERS_GROUP = dev.flotilla.api.bootstrap.BootstrapToken.GROUP;
    public static final String NODE_BOOTSTRAPPER_ROLE = "system:node-bootstrapper";
    public static final String NODE_CLIENT_ROLE = "system:certificates.k8s.io:certificatesigningrequests:nodeclient";
    public static final String SELF_NODE_CLIENT_ROLE =
            "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient";

    private static final String[] READ = {"get", "list", "watch"};
    private static final String[] WRITE = {"create", "delete", "deletecollection", "patch", "update"};
    private static final String[] READ_WRITE = {"create", "delete", "deletecollection", "get", "list", "patch", "update",
        "watch"};
    private static final String CORE = "";
    private static final String APPS = "apps";
    private static final String BATCH = "batch";
    private static final String AUTOSCALING = "autoscaling";
    private static final String EXTENSIONS = "extensions";
    private static final String POLICY = "policy";
    private static final String NETWORKING = "networking.k8s.io";
    private static final String COORDINATION = "coordination.k8s.io";
    private static final String DISCOVERY = "discovery.k8s.io";
    private static final String EVENTS = "events.k8s.io";
    private static final String STORAGE = "storage.k8s.io";
    private static final String RBAC = "rbac.authorization.k8s.io";
    private static final String AUTHORIZATION = "authorization.k8s.io";
    private static final String AUTHENTICATION = "authentication.k8s.io";
    private static final String CERTIFICATES = "certificates.k8s.io";

    private BootstrapPolicy() {
    }

    public static List<PolicyRule> clusterAdminRules() {
        return List.of(rule(verbs("*"), groups("*"), resources("*")), urls(verbs("*"), "*"));
    }

    public static List<ClusterRole> clusterRoles() {
        List<ClusterRole> roles = new ArrayList<>();
        roles.add(role("cluster-admin", Map.of(), clusterAdminRules()));
        roles.add(aggregated("admin", Map.of(), "admin"));
        roles.add(aggregated("edit", Map.of(AGGREGATE_TO + "admin", "true"), "edit"));
        roles.add(aggregated("view", Map.of(AGGREGATE_TO + "edit", "true"), "view"));
        roles.add(role("system:aggregate-to-admin", Map.of(AGGREGATE_TO + "admin", "true"), List.of(
                rule(verbs("create"), groups(AUTHORIZATION), resources("localsubjectaccessreviews")),
                rule(verbs(READ_WRITE), groups(RBAC), resources("rolebindings", "roles")))));
        roles.add(role("system:aggregate-to-edit", Map.of(AGGREGATE_TO + "edit", "true"), editRules()));
        roles.add(role("system:aggregate-to-view", Map.of(AGGREGATE_TO + "view", "true"), viewRules()));
        // metrics-server's role: resource metrics readable wherever pods and nodes are.
        roles.add(role("system:aggregated-metrics-reader", Map.of(AGGREGATE_TO + "view", "true",
                AGGREGATE_TO + "edit", "true", AGGREGATE_TO + "admin", "true"), List.of(
                rule(verbs("get", "list", "watch"), groups("metrics.k8s.io"), resources("pods", "nodes")))));
        roles.add(role("system:discovery", Map.of(), List.of(urls(verbs("get"), "/api", "/api/*", "/apis", "/apis/*",
                "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"))));
        roles.add(role("system:public-info-viewer", Map.of(), List.of(urls(verbs("get"), "/healthz", "/livez",
                "/readyz", "/version", "/version/"))));
        roles.add(role("system:service-account-issuer-discovery", Map.of(), List.of(urls(verbs("get"),
                "/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks",
                "/openid/v1/jwks/"))));
        roles.add(role("system:basic-user", Map.of(), List.of(
                rule(verbs("create"), groups(AUTHORIZATION), resources("selfsubjectaccessreviews",
                        "selfsubjectrulesreviews")),
                rule(verbs("create"), groups(AUTHENTICATION), resources("selfsubjectreviews")))));
        // Flotilla's own: every signed-in user manages their own platform API tokens (the endpoint only
        // ever shows a caller their own).
        roles.add(role("system:flotilla:api-token-owner", Map.of(), List.of(
                rule(verbs("create", "get", "list", "delete"), groups("tokens.flotilla.dev"), resources("apitokens")))));
        // Every signed-in user may read the audit log; the answer holds only the events of namespaces
        // they may see (docs/audit.md), everything for those who may get every namespace.
        roles.add(role("system:flotilla:audit-reader", Map.of(), List.of(
                rule(verbs("get", "list"), groups("audit.flotilla.dev"), resources("auditevents")))));
        roles.add(role("system:monitoring", Map.of(), List.of(urls(verbs("get"), "/healthz", "/healthz/*", "/livez",
                "/livez/*", "/metrics", "/metrics/slis", "/readyz", "/readyz/*"))));
        roles.add(role("system:node", Map.of(), nodeRules()));
        roles.add(role(NODE_BOOTSTRAPPER_ROLE, Map.of(), List.of(rule(verbs("create", "get", "list", "watch"),
                groups(CERTIFICATES), resources("certificatesigningrequests")))));
        roles.add(role(NODE_CLIENT_ROLE, Map.of(), List.of(rule(verbs("create"), groups(CERTIFICATES),
                resources("certificatesigningrequests/nodeclient")))));
        roles.add(role(SELF_NODE_CLIENT_ROLE, Map.of(), List.of(rule(verbs("create"), groups(CERTIFICATES),
                resources("certificatesigningrequests/selfnodeclient")))));
        roles.add(role(CONTROLLER_MANAGER_USER, Map.of(), controllerManagerRules()));
        roles.add(role(SCHEDULER_USER, Map.of(), schedulerRules()));
        roles.add(role("system:volume-scheduler", Map.of(), List.of(
                rule(verbs("get", "list", "patch", "update", "watch"), groups(CORE), resources("persistentvolumes")),
                rule(verbs(READ), groups(STORAGE), resources("storageclasses")),
                rule(verbs("get", "list", "patch", "update", "watch"), groups(CORE),
                        resources("persistentvolumeclaims")))));
        roles.add(role("system:flotilla:controller-manager", Map.of(), List.of(
                rule(verbs(READ_WRITE), groups("*"), resources("*")),
                rule(verbs("approve", "sign"), groups(CERTIFICATES), resources("signers")),
                rule(verbs("bind", "escalate"), groups(RBAC), resources("clusterroles", "roles")))));
        roles.add(role("system:flotilla:scheduler", Map.of(), List.of(
                rule(verbs(READ_WRITE), groups(COORDINATION), resources("leases")),
                rule(verbs("create", "patch", "update"), groups(CORE), resources("events")),
                rule(verbs("create", "patch", "update"), groups(EVENTS), resources("events")),
                rule(verbs(READ), groups("scheduling.k8s.io"), resources("priorityclasses")),
                rule(verbs(READ), groups(CORE), resources("namespaces", "nodes", "pods", "services",
                        "persistentvolumeclaims", "persistentvolumes", "replicationcontrollers")),
                rule(verbs(READ), groups(APPS), resources("replicasets", "statefulsets")),
                rule(verbs(READ), groups(STORAGE), resources("csidrivers", "csinodes", "csistoragecapacities",
                        "storageclasses")))));
        return roles;
    }

    public static List<ClusterRoleBinding> clusterRoleBindings() {
        return List.of(
                binding("cluster-admin", "cluster-admin", group("system:masters")),
                binding("system:discovery", "system:discovery", group("system:authenticated")),
                binding("system:basic-user", "system:basic-user", group("system:authenticated")),
                binding("system:flotilla:api-token-owner", "system:flotilla:api-token-owner",
                        group("system:authenticated")),
                binding("system:flotilla:audit-reader", "system:flotilla:audit-reader", group("system:authenticated")),
                binding("system:public-info-viewer", "system:public-info-viewer", group("system:authenticated"),
                        group("system:unauthenticated")),
                binding("system:monitoring", "system:monitoring", group("system:monitoring")),
                binding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery",
                        group("system:serviceaccounts")),
                // Bound to no one, as upstream: the Node authorizer grants nodes these rules itself.
                binding("system:node", "system:node"),
                // kubeadm's bindings for joining nodes: bootstrap tokens may request node client
                // certificates (auto-approved), and nodes may renew their own.
                binding("kubeadm:kubelet-bootstrap", NODE_BOOTSTRAPPER_ROLE, group(BOOTSTRAPPERS_GROUP)),
                binding("kubeadm:node-autoapprove-bootstrap", NODE_CLIENT_ROLE, group(BOOTSTRAPPERS_GROUP)),
                binding("kubeadm:node-autoapprove-certificate-rotation", SELF_NODE_CLIENT_ROLE,
                        group("system:nodes")),
                binding(CONTROLLER_MANAGER_USER, CONTROLLER_MANAGER_USER, user(CONTROLLER_MANAGER_USER)),
                binding(SCHEDULER_USER, SCHEDULER_USER, user(SCHEDULER_USER)),
                binding("system:volume-scheduler", "system:volume-scheduler", user(SCHEDULER_USER)),
                binding("system:flotilla:controller-manager", "system:flotilla:controller-manager",
                        user(CONTROLLER_MANAGER_USER)),
                binding("system:flotilla:scheduler", "system:flotilla:scheduler", user(SCHEDULER_USER)));
    }

    private static List<PolicyRule> viewRules() {
        return List.of(
                rule(verbs(READ), groups(CORE), resources("configmaps", "endpoints", "persistentvolumeclaims",
                        "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale",
                        "serviceaccounts", "services", "services/status")),
                rule(verbs(READ), groups(CORE), resources("bindings", "events", "limitranges", "namespaces/status",
                        "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas",
                        "resourcequotas/status")),
                rule(verbs(READ), groups(CORE), resources("namespaces")),
                rule(verbs(READ), groups(DISCOVERY), resources("endpointslices")),
                rule(verbs(READ), groups(APPS), resources("controllerrevisions", "daemonsets", "daemonsets/status",
                        "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale",
                        "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status")),
                rule(verbs(READ), groups(AUTOSCALING), resources("horizontalpodautoscalers",
                        "horizontalpodautoscalers/status")),
                rule(verbs(READ), groups(BATCH), resources("cronjobs", "cronjobs/status", "jobs", "jobs/status")),
                rule(verbs(READ), groups(EXTENSIONS), resources("daemonsets", "daemonsets/status", "deployments",
                        "deployments/scale", "deployments/status", "ingresses", "ingresses/status", "networkpolicies",
                        "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale")),
                rule(verbs(READ), groups(POLICY), resources("poddisruptionbudgets", "poddisruptionbudgets/status")),
                rule(verbs(READ), groups(NETWORKING), resources("ingresses", "ingresses/status", "networkpolicies")));
    }

    private static List<PolicyRule> editRules() {
        return List.of(
                rule(verbs("impersonate"), groups(CORE), resources("serviceaccounts")),
                rule(verbs(WRITE), groups(CORE), resources("pods", "pods/attach", "pods/exec", "pods/portforward",
                        "pods/proxy")),
                rule(verbs("create"), groups(CORE), resources("pods/eviction")),
                rule(verbs(WRITE), groups(CORE), resources("configmaps", "events", "persistentvolumeclaims",
                        "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts",
                        "services", "services/proxy")),
                rule(verbs("create"), groups(CORE), resources("serviceaccounts/token")),
                rule(verbs(WRITE), groups(APPS), resources("daemonsets", "deployments", "deployments/rollback",
                        "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale")),
                rule(verbs(WRITE), groups(AUTOSCALING), resources("horizontalpodautoscalers")),
                rule(verbs(WRITE), groups(BATCH), resources("cronjobs", "jobs")),
                rule(verbs(WRITE), groups(EXTENSIONS), resources("daemonsets", "deployments", "deployments/rollback",
                        "deployments/scale", "ingresses", "networkpolicies", "replicasets", "replicasets/scale",
                        "replicationcontrollers/scale")),
                rule(verbs(WRITE), groups(POLICY), resources("poddisruptionbudgets")),
                rule(verbs(WRITE), groups(NETWORKING), resources("ingresses", "networkpolicies")),
                rule(verbs(READ_WRITE), groups(COORDINATION), resources("leases")),
                rule(verbs(READ), groups(CORE), resources("pods/attach", "pods/exec", "pods/portforward", "pods/proxy",
                        "secrets", "services/proxy")));
    }

    /**
     * What a node agent needs (upstream's NodeRules plus Flotilla's pod network): the rules of the
     * unbound {@code system:node} role, which the Node authorizer applies to nodes, narrowing
     * secrets, configmaps, claims, volumes, tokens and leases to what the node's own pods use.
     */
    public static List<PolicyRule> nodeRules() {
        return List.of(
                rule(verbs("create", "get", "list", "watch", "patch", "update"), groups(CORE), resources("nodes")),
                rule(verbs("patch", "update"), groups(CORE), resources("nodes/status")),
                rule(verbs("get", "list", "watch", "create", "delete"), groups(CORE), resources("pods")),
                rule(verbs("patch", "update"), groups(CORE), resources("pods/status")),
                rule(verbs("create"), groups(CORE), resources("pods/eviction", "serviceaccounts/token")),
                rule(verbs(READ), groups(CORE), resources("configmaps", "secrets", "services", "endpoints")),
                rule(verbs(READ), groups(DISCOVERY), resources("endpointslices")),
                rule(verbs("get"), groups(CORE), resources("persistentvolumeclaims")),
                // Beyond upstream's node role: the agent removes the directories of its local-path PVs,
                // then their cleanup finalizer (docs/storage.md).
                rule(verbs("get", "list", "watch", "patch", "update"), groups(CORE), resources("persistentvolumes")),
                rule(verbs("patch", "update"), groups(CORE), resources("persistentvolumeclaims/status")),
                rule(verbs("create", "patch", "update"), groups(CORE), resources("events")),
                rule(verbs("create", "patch", "update"), groups(EVENTS), resources("events")),
                rule(verbs("create", "delete", "get", "patch", "update"), groups(COORDINATION), resources("leases")),
                rule(verbs("create", "get", "list", "watch"), groups(CERTIFICATES),
                        resources("certificatesigningrequests")),
                rule(verbs(READ), groups(STORAGE), resources("csidrivers", "csinodes", "volumeattachments")),
                rule(verbs(READ), groups("node.k8s.io"), resources("runtimeclasses")),
                rule(verbs(READ), groups(NETWORKING), resources("networkpolicies")),
                // Flotilla's pod network: a node reads the pools and claims blocks (docs/networking.md).
                rule(verbs(READ), groups(PodNetworkApi.GROUP), resources(PodNetworkApi.POOLS)),
                rule(verbs("create", "get", "list", "watch"), groups(PodNetworkApi.GROUP),
                        resources(PodNetworkApi.BLOCKS)),
                rule(verbs("create"), groups(AUTHENTICATION), resources("tokenreviews")),
                rule(verbs("create"), groups(AUTHORIZATION), resources("subjectaccessreviews")));
    }

    private static List<PolicyRule> controllerManagerRules() {
        return List.of(
                rule(verbs("create", "patch", "update"), groups(CORE), resources("events")),
                rule(verbs("create", "patch", "update"), groups(EVENTS), resources("events")),
                rule(verbs("create"), groups(COORDINATION), resources("leases")),
                rule(verbs("get", "update"), groups(COORDINATION), resources("leases"),
                        "kube-controller-manager"),
                rule(verbs("create"), groups(CORE), resources("secrets", "serviceaccounts")),
                rule(verbs("delete"), groups(CORE), resources("secrets")),
                rule(verbs("get"), groups(CORE), resources("configmaps", "namespaces", "secrets", "serviceaccounts")),
                rule(verbs("update"), groups(CORE), resources("secrets", "serviceaccounts")),
                rule(verbs("create"), groups(AUTHENTICATION), resources("tokenreviews")),
                rule(verbs("create"), groups(AUTHORIZATION), resources("subjectaccessreviews")),
                rule(verbs("list", "watch"), groups("*"), resources("*")),
                rule(verbs("create"), groups(CORE), resources("serviceaccounts/token")));
    }

    private static List<PolicyRule> schedulerRules() {
        return List.of(
                rule(verbs("create", "patch", "update"), groups(CORE), resources("events")),
                rule(verbs("create", "patch", "update"), groups(EVENTS), resources("events")),
                rule(verbs("create"), groups(COORDINATION), resources("leases")),
                rule(verbs("get", "update"), groups(COORDINATION), resources("leases"), "kube-scheduler"),
                rule(verbs("create"), groups(CORE), resources("endpoints")),
                rule(verbs("get", "update"), groups(CORE), resources("endpoints"), "kube-scheduler"),
                rule(verbs(READ), groups(CORE), resources("nodes")),
                rule(verbs("delete", "get", "list", "watch"), groups(CORE), resources("pods")),
                rule(verbs("create"), groups(CORE), resources("bindings", "pods/binding")),
                rule(verbs("patch", "update"), groups(CORE), resources("pods/status")),
                rule(verbs(READ), groups(CORE), resources("replicationcontrollers", "services")),
                rule(verbs(READ), groups(APPS, EXTENSIONS), resources("replicasets")),
                rule(verbs(READ), groups(APPS), resources("statefulsets")),
                rule(verbs(READ), groups(POLICY), resources("poddisruptionbudgets")),
                rule(verbs(READ), groups(CORE), resources("persistentvolumeclaims", "persistentvolumes")),
                rule(verbs("create"), groups(AUTHENTICATION), resources("tokenreviews")),
                rule(verbs("create"), groups(AUTHORIZATION), resources("subjectaccessreviews")),
                rule(verbs(READ), groups(STORAGE), resources("csinodes")),
                rule(verbs(READ), groups(CORE), resources("namespaces")),
                rule(verbs(READ), groups(STORAGE), resources("csidrivers", "csistoragecapacities")));
    }

    private static ClusterRole role(String name, Map<String, String> extraLabels, List<PolicyRule> rules) {
        return new ClusterRoleBuilder()
                .withNewMetadata().withName(name).withLabels(labels(extraLabels))
                .withAnnotations(Map.of(AUTOUPDATE_ANNOTATION, "true")).endMetadata()
                .withRules(rules)
                .build();
    }

    private static ClusterRole aggregated(String name, Map<String, String> extraLabels, String selects) {
        return new ClusterRoleBuilder(role(name, extraLabels, List.of()))
                .withNewAggregationRule()
                .withClusterRoleSelectors(new LabelSelectorBuilder()
                        .withMatchLabels(Map.of(AGGREGATE_TO + selects, "true")).build())
                .endAggregationRule()
                .build();
    }

    private static ClusterRoleBinding binding(String name, String role, Subject... subjects) {
        return new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(name).withLabels(labels(Map.of()))
                .withAnnotations(Map.of(AUTOUPDATE_ANNOTATION, "true")).endMetadata()
                .withNewRoleRef().withApiGroup(RBAC).withKind("ClusterRole").withName(role).endRoleRef()
                .withSubjects(subjects)
                .build();
    }

    private static Map<String, String> labels(Map<String, String> extra) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(BOOTSTRAP_LABEL, "rbac-defaults");
        labels.putAll(extra);
        return labels;
    }

    private static Subject group(String name) {
        return new SubjectBuilder().withApiGroup(RBAC).withKind(Binding.GROUP).withName(name).build();
    }

    private static Subject user(String name) {
        return new SubjectBuilder().withApiGroup(RBAC).withKind(Binding.USER).withName(name).build();
    }

    private static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources,
            String... resourceNames) {
        PolicyRuleBuilder builder = new PolicyRuleBuilder().withVerbs(verbs).withApiGroups(groups)
                .withResources(resources);
        if (resourceNames.length > 0) {
            builder.withResourceNames(resourceNames);
        }
        return builder.build();
    }

    private static PolicyRule urls(List<String> verbs, String... urls) {
        return new PolicyRuleBuilder().withVerbs(verbs).withNonResourceURLs(urls).build();
    }

    private static List<String> verbs(String... verbs) {
        return Arrays.asList(verbs);
    }

    private static List<String> groups(String... groups) {
        return Arrays.asList(groups);
    }

    private static List<String> resources(String... resources) {
        return Arrays.asList(resources);
    }
}
