package dev.flotilla.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

/**
 * Upstream's DefaultTolerationSeconds admission plugin, applied to pods on create: a pod that does
 * not already tolerate the not-ready or unreachable NoExecute taint gets a toleration of it for
 * 300 s, so the node lifecycle controller evicts it five minutes after its node fails.
 */
@Singleton
public class DefaultTolerationSeconds implements AdmissionPlugin {

    static final long SECONDS = 300;
    private static final String NOT_READY = "node.kubernetes.io/not-ready";
    private static final String UNREACHABLE = "node.kubernetes.io/unreachable";

    @Override
    public String name() {
        return "DefaultTolerationSeconds";
    }

    @Override
    public void admit(AdmissionAttributes attributes) {
        if (attributes.operation() == AdmissionOperation.CREATE && attributes.is("", "pods")) {
            apply(attributes.object().with("spec"));
        }
    }

    static void apply(ObjectNode podSpec) {
        boolean notReady = tolerates(podSpec, NOT_READY);
        boolean unreachable = tolerates(podSpec, UNREACHABLE);
        if (notReady && unreachable) {
            return;
        }
        ArrayNode tolerations = podSpec.withArray("tolerations");
        if (!notReady) {
            add(tolerations, NOT_READY);
        }
        if (!unreachable) {
            add(tolerations, UNREACHABLE);
        }
    }

    private static boolean tolerates(ObjectNode podSpec, String key) {
        for (JsonNode toleration : podSpec.path("tolerations")) {
            String k = toleration.path("key").asText("");
            String effect = toleration.path("effect").asText("");
            if ((k.equals(key) || k.isEmpty()) && (effect.equals("NoExecute") || effect.isEmpty())) {
                return true;
            }
        }
        return false;
    }

    private static void add(ArrayNode tolerations, String key) {
        tolerations.addObject().put("key", key).put("operator", "Exists").put("effect", "NoExecute")
                .put("tolerationSeconds", SECONDS);
    }
}
