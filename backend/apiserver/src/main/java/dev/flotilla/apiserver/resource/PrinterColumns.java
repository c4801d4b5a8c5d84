package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The columns {@code kubectl get} shows per kind, as upstream's printers define them (names,
 * priority 1 = only with {@code -o wide}). Kinds without an entry get NAME and AGE.
 */
final class PrinterColumns {

    record Column(String name, String type, int priority, Function<ObjectNode, Object> cell) {
    }

    private static final Column NAME = new Column("Name", "string", 0, o -> ObjectMetadata.of(o).name());
    private static final Column AGE = new Column("Age", "string", 0,
            o -> TableConverter.age(ObjectMetadata.of(o).text("creationTimestamp")));

    private static final Map<String, List<Column>> BY_KIND = Map.ofEntries(
            Map.entry("audit.flotilla.dev/AuditEvent", List.of(
                    new Column("Time", "string", 0, o -> o.path("requestReceivedTimestamp").asText().replaceAll("\\.\\d+", "")),
                    new Column("User", "string", 0, o -> o.path("user").path("username").asText()),
                    new Column("Verb", "string", 0, o -> o.path("verb").asText()),
                    new Column("Resource", "string", 0, PrinterColumns::auditedResource),
                    new Column("Object", "string", 0, o -> o.path("objectRef").path("name").asText("")),
                    new Column("Code", "integer", 0, o -> o.path("responseStatus").path("code").asInt()),
                    new Column("Tenant", "string", 1, o -> o.path("tenant").asText("<none>")),
                    new Column("Source IP", "string", 1, o -> o.path("sourceIPs").path(0).asText("")),
                    new Column("Event", "string", 1, o -> ObjectMetadata.of(o).name()),
                    new Column("Audit ID", "string", 1, o -> o.path("auditID").asText()),
                    new Column("User Agent", "string", 1, o -> o.path("userAgent").asText("")))),
            Map.entry("tenancy.flotilla.dev/Tenant", List.of(NAME,
                    new Column("Namespace Quota", "string", 0, o -> text(o, "spec", "namespaceQuota", "")),
                    new Column("Namespace Count", "integer", 0, o -> num(o, "status", "size")),
                    new Column("Pod Security", "string", 0, o -> o.path("spec").path("podSecurity").path("level")
                            .asText("restricted")),
                    AGE,
                    new Column("Node Selector", "string", 1, o -> joinMap(o.path("spec").path("nodeSelector"))),
                    new Column("Owners", "string", 1, PrinterColumns::tenantOwners))),
            // As upstream prints a ResourceQuota: used/hard per resource, requests and limits apart.
            Map.entry("/ResourceQuota", quotaColumns()),
            Map.entry("/Event", EventColumns.columns()),
            Map.entry("events.k8s.io/Event", EventColumns.columns()),
            Map.entry("tenancy.flotilla.dev/TenantResourceQuota", quotaColumns()),
            Map.entry("/Pod", List.of(NAME,
                    new Column("Ready", "string", 0, PrinterColumns::podReady),
                    new Column("Status", "string", 0, PrinterColumns::podStatus),
                    new Column("Restarts", "string", 0, PrinterColumns::podRestarts),
                    AGE,
                    new Column("IP", "string", 1, o -> text(o, "status", "podIP", "<none>")),
                    new Column("Node", "string", 1, o -> text(o, "spec", "nodeName", "<none>")),
                    new Column("Nominated Node", "string", 1, o -> text(o, "status", "nominatedNodeName", "<none>")),
                    new Column("Readiness Gates", "string", 1, o -> "<none>"))),
            Map.entry("apps/Deployment", List.of(NAME,
                    new Column("Ready", "string", 0, o -> num(o, "status", "readyReplicas") + "/" + replicas(o)),
                    new Column("Up-to-date", "integer", 0, o -> num(o, "status", "updatedReplicas")),
                    new Column("Available", "integer", 0, o -> num(o, "status", "availableReplicas")),
                    AGE,
                    new Column("Containers", "string", 1, o -> containers(o, "name")),
                    new Column("Images", "string", 1, o -> containers(o, "image")),
                    new Column("Selector", "string", 1, PrinterColumns::matchLabels))),
            Map.entry("apps/ReplicaSet", List.of(NAME,
                    new Column("Desired", "integer", 0, PrinterColumns::replicas),
                    new Column("Current", "integer", 0, o -> num(o, "status", "replicas")),
                    new Column("Ready", "integer", 0, o -> num(o, "status", "readyReplicas")),
                    AGE,
                    new Column("Containers", "string", 1, o -> containers(o, "name")),
                    new Column("Images", "string", 1, o -> containers(o, "image")),
                    new Column("Selector", "string", 1, PrinterColumns::matchLabels))),
            Map.entry("apps/StatefulSet", List.of(NAME,
                    new Column("Ready", "string", 0, o -> num(o, "status", "readyReplicas") + "/" + replicas(o)),
                    AGE,
                    new Column("Containers", "string", 1, o -> containers(o, "name")),
                    new Column("Images", "string", 1, o -> containers(o, "image")))),
            Map.entry("/Service", List.of(NAME,
                    new Column("Type", "string", 0, o -> text(o, "spec", "type", "ClusterIP")),
                    new Column("Cluster-IP", "string", 0, o -> text(o, "spec", "clusterIP", "<none>")),
                    new Column("External-IP", "string", 0, PrinterColumns::externalIps),
                    new Column("Port(s)", "string", 0, PrinterColumns::servicePorts),
                    AGE,
                    new Column("Selector", "string", 1, o -> joinMap(o.path("spec").path("selector"))))),
            Map.entry("/Node", List.of(NAME,
                    new Column("Status", "string", 0, PrinterColumns::nodeStatus),
                    new Column("Roles", "string", 0, PrinterColumns::nodeRoles),
                    AGE,
                    new Column("Version", "string", 0, o -> text(o.path("status"), "nodeInfo", "kubeletVersion", "")))),
            Map.entry("/Namespace", List.of(NAME,
                    new Column("Status", "string", 0, o -> text(o, "status", "phase", "Active")), AGE)),
            Map.entry("/ConfigMap", List.of(NAME,
                    new Column("Data", "integer", 0, o -> o.path("data").size() + o.path("binaryData").size()), AGE)),
            Map.entry("/Secret", List.of(NAME,
                    new Column("Type", "string", 0, o -> o.path("type").asText("Opaque")),
                    new Column("Data", "integer", 0, o -> o.path("data").size()), AGE)),
            Map.entry("/ServiceAccount", List.of(NAME,
                    new Column("Secrets", "integer", 0, o -> o.path("secrets").size()), AGE)),
            Map.entry("/Endpoints", List.of(NAME,
                    new Column("Endpoints", "string", 0, EndpointColumns::endpoints), AGE)),
            Map.entry("discovery.k8s.io/EndpointSlice", List.of(NAME,
                    new Column("AddressType", "string", 0, o -> o.path("addressType").asText("")),
                    new Column("Ports", "string", 0, EndpointColumns::slicePorts),
                    new Column("Endpoints", "string", 0, EndpointColumns::sliceEndpoints), AGE)),
            Map.entry("/PersistentVolume", List.of(NAME,
                    new Column("Capacity", "string", 0, o -> o.path("spec").path("capacity").path("storage").asText("")),
                    new Column("Access Modes", "string", 0, o -> VolumeColumns.accessModes(o.path("spec"))),
                    new Column("Reclaim Policy", "string", 0, o -> text(o, "spec", "persistentVolumeReclaimPolicy", "")),
                    new Column("Status", "string", 0, VolumeColumns::phase),
                    new Column("Claim", "string", 0, VolumeColumns::claim),
                    new Column("StorageClass", "string", 0, o -> text(o, "spec", "storageClassName", "")),
                    new Column("VolumeAttributesClass", "string", 0, o -> text(o, "spec", "volumeAttributesClassName", "<unset>")),
                    new Column("Reason", "string", 0, o -> text(o, "status", "reason", "")),
                    AGE,
                    new Column("VolumeMode", "string", 1, o -> text(o, "spec", "volumeMode", "")))),
            Map.entry("/PersistentVolumeClaim", List.of(NAME,
                    new Column("Status", "string", 0, VolumeColumns::phase),
                    new Column("Volume", "string", 0, o -> text(o, "spec", "volumeName", "")),
                    new Column("Capacity", "string", 0, o -> o.path("status").path("capacity").path("storage").asText("")),
                    new Column("Access Modes", "string", 0, o -> VolumeColumns.accessModes(o.path("status"))),
                    new Column("StorageClass", "string", 0, o -> text(o, "spec", "storageClassName", "")),
                    new Column("VolumeAttributesClass", "string", 0, o -> text(o, "spec", "volumeAttributesClassName", "<unset>")),
                    AGE,
                    new Column("VolumeMode", "string", 1, o -> text(o, "spec", "volumeMode", "")))),
            Map.entry("storage.k8s.io/StorageClass", List.of(
                    new Column("Name", "string", 0, VolumeColumns::className),
                    new Column("Provisioner", "string", 0, o -> o.path("provisioner").asText("")),
                    new Column("ReclaimPolicy", "string", 0, o -> o.path("reclaimPolicy").asText("Delete")),
                    new Column("VolumeBindingMode", "string", 0, o -> o.path("volumeBindingMode").asText("Immediate")),
                    new Column("AllowVolumeExpansion", "string", 0, o -> o.path("allowVolumeExpansion").asBoolean(false)),
                    AGE)),
            Map.entry("autoscaling/HorizontalPodAutoscaler", List.of(NAME,
                    new Column("Reference", "string", 0, AutoscalerColumns::reference),
                    new Column("Targets", "string", 0, AutoscalerColumns::targets),
                    new Column("MinPods", "string", 0, AutoscalerColumns::minPods),
                    new Column("MaxPods", "string", 0, o -> o.path("spec").path("maxReplicas").asText("0")),
                    new Column("Replicas", "string", 0, o -> o.path("status").path("currentReplicas").asText("0")),
                    AGE)),
            Map.entry("coordination.k8s.io/Lease", List.of(NAME,
                    new Column("Holder", "string", 0, o -> text(o, "spec", "holderIdentity", "")), AGE)));

    private PrinterColumns() {
    }

    static List<Column> forKind(String group, String kind) {
        return BY_KIND.getOrDefault(group + "/" + kind, List.of(NAME, AGE));
    }

    /** {@code pods/exec}, {@code deployments.apps}, or the URL of a non-resource request. */
    private static String auditedResource(ObjectNode event) {
        JsonNode ref = event.path("objectRef");
        if (ref.isMissingNode()) {
            return event.path("requestURI").asText();
        }
        String group = ref.path("apiGroup").asText("");
        String resource = ref.path("resource").asText() + (group.isEmpty() ? "" : "." + group);
        String sub = ref.path("subresource").asText("");
        return sub.isEmpty() ? resource : resource + "/" + sub;
    }

    private static String text(JsonNode o, String section, String field, String fallback) {
        JsonNode value = o.path(section).path(field);
        return value.isMissingNode() || value.isNull() || value.asText().isEmpty() ? fallback : value.asText();
    }

    private static int num(JsonNode o, String section, String field) {
        return o.path(section).path(field).asInt(0);
    }

    private static int replicas(ObjectNode o) {
        JsonNode replicas = o.path("spec").path("replicas");
        return replicas.isMissingNode() ? 1 : replicas.asInt();
    }

    private static String podReady(ObjectNode pod) {
        int containers = pod.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            if (status.path("ready").asBoolean(false)) {
                ready++;
            }
        }
        return ready + "/" + containers;
    }

    private static String podStatus(ObjectNode pod) {
        if (ObjectMetadata.of(pod).deletionTimestamp() != null) {
            return "Terminating";
        }
        String reason = pod.path("status").path("reason").asText("");
        if (!reason.isEmpty()) {
            return reason;
        }
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            String waiting = status.path("state").path("waiting").path("reason").asText("");
            if (!waiting.isEmpty()) {
                return waiting;
            }
            String terminated = status.path("state").path("terminated").path("reason").asText("");
            if (!terminated.isEmpty()) {
                return terminated;
            }
        }
        return pod.path("status").path("phase").asText("Pending");
    }

    private static String podRestarts(ObjectNode pod) {
        int restarts = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            restarts += status.path("restartCount").asInt(0);
        }
        return Integer.toString(restarts);
    }

    private static String containers(ObjectNode workload, String field) {
        List<String> values = new ArrayList<>();
        for (JsonNode container : workload.path("spec").path("template").path("spec").path("containers")) {
            values.add(container.path(field).asText());
        }
        return String.join(",", values);
    }

    private static String matchLabels(ObjectNode workload) {
        return joinMap(workload.path("spec").path("selector").path("matchLabels"));
    }

    private static String joinMap(JsonNode map) {
        if (!map.isObject() || map.isEmpty()) {
            return "<none>";
        }
        Map<String, String> sorted = new TreeMap<>(ObjectPreparation.stringMap(map));
        List<String> pairs = new ArrayList<>();
        sorted.forEach((k, v) -> pairs.add(k + "=" + v));
        return String.join(",", pairs);
    }

    private static List<Column> quotaColumns() {
        return List.of(NAME, AGE, new Column("Request", "string", 0, o -> quotaUsage(o, false)),
                new Column("Limit", "string", 0, o -> quotaUsage(o, true)));
    }

    /** {@code pods: 3/10, requests.cpu: 300m/5}: status.used/status.hard of the limits.* resources or the others. */
    private static String quotaUsage(ObjectNode quota, boolean limits) {
        Map<String, String> hard = new TreeMap<>(ObjectPreparation.stringMap(quota.path("status").path("hard")));
        JsonNode used = quota.path("status").path("used");
        List<String> entries = new ArrayList<>();
        hard.forEach((resource, amount) -> {
            if (resource.startsWith("limits.") == limits) {
                entries.add(resource + ": " + used.path(resource).asText("0") + "/" + amount);
            }
        });
        return String.join(", ", entries);
    }

    private static String tenantOwners(ObjectNode tenant) {
        List<String> owners = new ArrayList<>();
        tenant.path("spec").path("owners").forEach(o -> owners.add(o.path("kind").asText() + ":" + o.path("name").asText()));
        return owners.isEmpty() ? "<none>" : String.join(",", owners);
    }

    private static String externalIps(ObjectNode service) {
        List<String> ips = new ArrayList<>();
        service.path("spec").path("externalIPs").forEach(ip -> ips.add(ip.asText()));
        service.path("status").path("loadBalancer").path("ingress").forEach(i ->
                ips.add(i.path("ip").asText(i.path("hostname").asText())));
        if (ips.isEmpty()) {
            return "LoadBalancer".equals(service.path("spec").path("type").asText()) ? "<pending>" : "<none>";
        }
        return String.join(",", ips);
    }

    private static String servicePorts(ObjectNode service) {
        List<String> ports = new ArrayList<>();
        for (JsonNode port : service.path("spec").path("ports")) {
            String text = port.path("port").asText();
            if (port.has("nodePort")) {
                text += ":" + port.path("nodePort").asText();
            }
            ports.add(text + "/" + port.path("protocol").asText("TCP"));
        }
        return ports.isEmpty() ? "<none>" : String.join(",", ports);
    }

    private static String nodeStatus(ObjectNode node) {
        String status = "Unknown";
        for (JsonNode condition : node.path("status").path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                status = condition.path("status").asText().equals("True") ? "Ready" : "NotReady";
            }
        }
        if (node.path("spec").path("unschedulable").asBoolean(false)) {
            status += ",SchedulingDisabled";
        }
        return status;
    }

    private static String nodeRoles(ObjectNode node) {
        List<String> roles = new ArrayList<>();
        ObjectMetadata.of(node).labels().fieldNames().forEachRemaining(label -> {
            if (label.startsWith("node-role.kubernetes.io/")) {
                roles.add(label.substring("node-role.kubernetes.io/".length()));
            }
        });
        return roles.isEmpty() ? "<none>" : String.join(",", roles);
    }
}
