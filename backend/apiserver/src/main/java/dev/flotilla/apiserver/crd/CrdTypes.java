package dev.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.resource.CustomResource;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.crd.cel.SchemaRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The resource types a CustomResourceDefinition serves: one per served version, as its spec describes them. */
public final class CrdTypes {

    public static final String GROUP = "apiextensions.k8s.io";
    public static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

    private CrdTypes() {
    }

    /** The types of the served versions, their validation rules compiled without a cache. */
    public static List<ResourceType> of(JsonNode crd) {
        return of(crd, new ValidationRuleCache());
    }

    /** The types of the served versions, with the validation rules {@code rules} compiled. */
    public static List<ResourceType> of(JsonNode crd, ValidationRuleCache rules) {
        return types(crd, false, rules);
    }

    /** The type at the storage version, served or not: where the CRD's objects are kept. */
    public static ResourceType storageType(JsonNode crd) {
        String storage = storageVersion(crd);
        return types(crd, true, null).stream().filter(t -> t.version().equals(storage)).findFirst().orElseThrow();
    }

    /** {@code rules}: where validation rules are compiled, or null when they are not needed. */
    private static List<ResourceType> types(JsonNode crd, boolean unserved, ValidationRuleCache rules) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        String kind = names.path("kind").asText();
        String plural = names.path("plural").asText();
        String singular = names.path("singular").asText(kind.toLowerCase(Locale.ROOT));
        String listKind = names.path("listKind").asText(kind + "List");
        List<String> shortNames = texts(names.path("shortNames"));
        List<String> categories = texts(names.path("categories"));
        boolean namespaced = !"Cluster".equals(spec.path("scope").asText());
        String storage = storageVersion(crd);
        String definition = crd.path("metadata").path("name").asText();
        List<ResourceType> types = new ArrayList<>();
        JsonNode versions = spec.path("versions");
        for (int index = 0; index < versions.size(); index++) {
            JsonNode version = versions.get(index);
            if (!unserved && !version.path("served").asBoolean(false)) {
                continue;
            }
            JsonNode subresources = version.path("subresources");
            Set<String> served = new HashSet<>();
            if (subresources.has("status")) {
                served.add("status");
            }
            CustomResource.ScalePaths scale = null;
            if (subresources.has("scale")) {
                served.add("scale");
                JsonNode s = subresources.path("scale");
                scale = new CustomResource.ScalePaths(s.path("specReplicasPath").asText(),
                        s.path("statusReplicasPath").asText(), s.hasNonNull("labelSelectorPath")
                                ? s.path("labelSelectorPath").asText() : null);
            }
            JsonNode schema = version.path("schema").get("openAPIV3Schema");
            SchemaRules compiled = rules == null ? null : rules.compile(crd, index).rules();
            CustomResource custom = new CustomResource(definition, storage, schema, printerColumns(version),
                    scale, listKind, crd.path("metadata").hasNonNull("deletionTimestamp"), compiled);
            types.add(new ResourceType(spec.path("group").asText(), version.path("name").asText(), kind, plural,
                    singular, namespaced, shortNames, categories, ResourceType.ALL_VERBS, served, custom));
        }
        return types;
    }

    public static String storageVersion(JsonNode crd) {
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("storage").asBoolean(false)) {
                return version.path("name").asText();
            }
        }
        return "";
    }

    private static List<CustomResource.PrinterColumn> printerColumns(JsonNode version) {
        List<CustomResource.PrinterColumn> columns = new ArrayList<>();
        for (JsonNode column : version.path("additionalPrinterColumns")) {
            columns.add(new CustomResource.PrinterColumn(column.path("name").asText(),
                    column.path("type").asText("string"), column.path("format").asText(""),
                    column.path("description").asText(""), column.path("priority").asInt(0),
                    column.path("jsonPath").asText()));
        }
        return columns;
    }

    static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
