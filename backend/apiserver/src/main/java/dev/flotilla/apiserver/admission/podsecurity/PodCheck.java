package dev.flotilla.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One check of the Pod Security Standards, named by upstream's check id (violations are listed in
 * id order, as upstream's evaluator runs them), at the level that first applies it.
 */
public record PodCheck(String id, Level level, BiFunction<JsonNode, JsonNode, Optional<Violation>> rule) {

    /** The check on a pod's (or a template's) metadata and spec. */
    public Optional<Violation> check(JsonNode metadata, JsonNode spec) {
        return rule.apply(metadata, spec);
    }
}
