package dev.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.strategy.KindStrategy;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * CustomResourceDefinitions: upstream's defaults and validation, the cleanup finalizer, and the status
 * upstream's controllers would set (accepted names, NamesAccepted and Established, stored versions),
 * set here at once so a CRD is usable as soon as it is stored. The served types are registered right
 * before the write (and checked against storage again if the write fails); every server also learns
 * them from etcd through {@link CustomResourceTypes}.
 */
@Singleton
public class CustomResourceDefinitionStrategy implements KindStrategy {

    private final CustomResourceTypes types;
    private final ValidationRuleCache rules;

    public CustomResourceDefinitionStrategy(CustomResourceTypes types, ValidationRuleCache rules) {
        this.types = types;
        this.rules = rules;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(CrdTypes.GROUP + "/CustomResourceDefinition");
    }

    @Override
    public void prepareForCreate(ObjectNode crd) {
        defaults(crd);
        ArrayNode finalizers = ((ObjectNode) crd.path("metadata")).withArray("finalizers");
        boolean present = false;
        for (JsonNode f : finalizers) {
            present |= f.asText().equals(CrdTypes.CLEANUP_FINALIZER);
        }
        if (!present) {
            finalizers.add(CrdTypes.CLEANUP_FINALIZER);
        }
        status(crd, null);
    }

    @Override
    public List<FieldError> validate(ObjectNode crd) {
        return withRules(crd, CrdValidation.validate(crd));
    }

    @Override
    public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
        defaults(updated);
        status(updated, old.path("status"));
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode updated, ObjectNode old) {
        return withRules(updated, CrdValidation.validateUpdate(updated, old));
    }

    /** The problems of the CRD's validation rules (x-kubernetes-validations) after the CRD's own. */
    private List<FieldError> withRules(ObjectNode crd, List<FieldError> errors) {
        List<FieldError> all = new java.util.ArrayList<>(errors);
        all.addAll(rules.compileAll(crd));
        return all;
    }

    @Override
    public void allocate(ObjectNode crd) {
        types.apply(crd);
    }

    @Override
    public void allocateForUpdate(ObjectNode updated, ObjectNode old) {
        types.apply(updated);
    }

    @Override
    public void release(ObjectNode crd) {
        types.refresh(crd.path("metadata").path("name").asText());
    }

    private static void defaults(ObjectNode crd) {
        ObjectNode spec = crd.with("spec");
        ObjectNode names = spec.with("names");
        String kind = names.path("kind").asText("");
        if (!kind.isEmpty()) {
            if (names.path("singular").asText("").isEmpty()) {
                names.put("singular", kind.toLowerCase(Locale.ROOT));
            }
            if (names.path("listKind").asText("").isEmpty()) {
                names.put("listKind", kind + "List");
            }
        }
        if (spec.path("conversion").path("strategy").asText("").isEmpty()) {
            spec.with("conversion").put("strategy", "None");
        }
    }

    /** What upstream's naming and establishing controllers report, and the versions objects were stored at. */
    private static void status(ObjectNode crd, JsonNode old) {
        ObjectNode status = crd.putObject("status");
        status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
        ArrayNode conditions = status.putArray("conditions");
        condition(conditions, old, "NamesAccepted", "NoConflicts", "no conflicts found");
        condition(conditions, old, "Established", "InitialNamesAccepted", "the initial names have been accepted");
        if (old != null) {
            for (JsonNode c : old.path("conditions")) {
                if (c.path("type").asText().equals("Terminating")) {
                    conditions.add(c.deepCopy());
                }
            }
        }
        Set<String> stored = new LinkedHashSet<>();
        if (old != null) {
            old.path("storedVersions").forEach(v -> stored.add(v.asText()));
        }
        String storage = CrdTypes.storageVersion(crd);
        if (!storage.isEmpty()) {
            stored.add(storage);
        }
        ArrayNode storedVersions = status.putArray("storedVersions");
        stored.forEach(storedVersions::add);
    }

    private static void condition(ArrayNode conditions, JsonNode old, String type, String reason, String message) {
        String since = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        if (old != null) {
            for (JsonNode c : old.path("conditions")) {
                if (c.path("type").asText().equals(type) && c.path("status").asText().equals("True")) {
                    since = c.path("lastTransitionTime").asText(since);
                }
            }
        }
        conditions.addObject().put("type", type).put("status", "True").put("lastTransitionTime", since)
                .put("reason", reason).put("message", message);
    }
}
