package dev.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.crd.cel.RuleCompiler;
import dev.flotilla.apiserver.crd.cel.RuleLimits;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compiled validation rules of every CRD version, kept per CRD generation: a CRD's rules are
 * compiled when it is validated on write and reused when its types are registered (before the write
 * and again when the watch sees it), never per custom resource request.
 */
@Singleton
public class ValidationRuleCache {

    private record Entry(long generation, String path, JsonNode schema, RuleCompiler.Compilation compilation) {
    }

    private final Map<String, Entry> byVersion = new ConcurrentHashMap<>();

    /** The rules of every version of {@code crd} and the problems compiling them (empty when all compile). */
    public List<FieldError> compileAll(JsonNode crd) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode versions = crd.path("spec").path("versions");
        for (int i = 0; i < versions.size(); i++) {
            errors.addAll(compile(crd, i).errors());
        }
        return errors;
    }

    /** The compiled rules of {@code spec.versions[index]}, from the cache when its schema is unchanged. */
    public RuleCompiler.Compilation compile(JsonNode crd, int index) {
        JsonNode version = crd.path("spec").path("versions").path(index);
        JsonNode schema = version.path("schema").get("openAPIV3Schema");
        String path = "spec.versions[" + index + "].schema.openAPIV3Schema";
        long generation = crd.path("metadata").path("generation").asLong(0);
        String key = crd.path("metadata").path("name").asText() + "/" + version.path("name").asText();
        Entry cached = byVersion.get(key);
        if (cached != null && cached.generation() == generation && cached.path().equals(path)
                && cached.schema().equals(schema == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
                        : schema)) {
            return cached.compilation();
        }
        RuleCompiler.Compilation compilation = RuleCompiler.compile(schema, path, RuleLimits.UPSTREAM);
        byVersion.put(key, new Entry(generation, path, schema == null
                ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : schema.deepCopy(), compilation));
        return compilation;
    }

    /** Drops what was compiled for a deleted CRD. */
    public void forget(String definition) {
        byVersion.keySet().removeIf(key -> key.startsWith(definition + "/"));
    }
}
