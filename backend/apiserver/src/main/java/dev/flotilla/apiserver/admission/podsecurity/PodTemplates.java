package dev.flotilla.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.resource.ResourceType;
import java.util.Map;
import java.util.Optional;

/**
 * Where the pod template sits in each kind that makes pods (upstream's {@code PodSpecExtractor}):
 * Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, ReplicationControllers, PodTemplates
 * and CronJobs. These get warnings and audit only, never a refusal, as upstream.
 */
final class PodTemplates {

    record Template(JsonNode metadata, JsonNode spec) {
    }

    private static final Map<String, String> TEMPLATE_PATHS = Map.of(
            "/replicationcontrollers", "/spec/template",
            "/podtemplates", "/template",
            "apps/deployments", "/spec/template",
            "apps/replicasets", "/spec/template",
            "apps/statefulsets", "/spec/template",
            "apps/daemonsets", "/spec/template",
            "batch/jobs", "/spec/template",
            "batch/cronjobs", "/spec/jobTemplate/spec/template");

    private PodTemplates() {
    }

    static boolean makesPods(ResourceType type) {
        return TEMPLATE_PATHS.containsKey(type.group() + "/" + type.resource());
    }

    static Optional<Template> of(ResourceType type, JsonNode object) {
        String path = TEMPLATE_PATHS.get(type.group() + "/" + type.resource());
        if (path == null || object == null) {
            return Optional.empty();
        }
        JsonNode template = object.at(path);
        return template.isObject() && template.path("spec").isObject()
                ? Optional.of(new Template(template.path("metadata"), template.path("spec")))
                : Optional.empty();
    }
}
