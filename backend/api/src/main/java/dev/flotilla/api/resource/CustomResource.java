package dev.flotilla.api.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a CustomResourceDefinition says about one served version of its custom resource, beyond the
 * names and scope a {@link ResourceType} already carries: the CRD it came from, the version objects
 * are stored in, the structural schema, the printer columns and the scale subresource's paths.
 *
 * <p>{@link #schema()} is the version's {@code openAPIV3Schema} as the CRD declares it (with its
 * {@code x-kubernetes-*} extensions, e.g. {@code x-kubernetes-list-type}), for anything that needs
 * the shape of a custom resource. Treat it as read-only.
 *
 * @param definition     the CRD's name, {@code <plural>.<group>}
 * @param storageVersion the version objects are kept in, whatever version they were written at
 * @param schema         the openAPIV3Schema, or null when the version declares none
 * @param printerColumns additionalPrinterColumns; empty means the default Age column
 * @param scale          the scale subresource's paths, or null without a scale subresource
 * @param listKind       spec.names.listKind
 * @param terminating    whether the CRD is being deleted (no new objects are accepted)
 * @param rules          the schema's validation rules (x-kubernetes-validations), compiled once per CRD change
 */
public record CustomResource(String definition, String storageVersion, JsonNode schema,
        List<PrinterColumn> printerColumns, ScalePaths scale, String listKind, boolean terminating,
        ValidationRules rules) {

    public CustomResource {
        printerColumns = List.copyOf(printerColumns);
        rules = rules == null ? ValidationRules.NONE : rules;
    }

    /** A custom resource without validation rules. */
    public CustomResource(String definition, String storageVersion, JsonNode schema,
            List<PrinterColumn> printerColumns, ScalePaths scale, String listKind, boolean terminating) {
        this(definition, storageVersion, schema, printerColumns, scale, listKind, terminating, ValidationRules.NONE);
    }

    /** One additionalPrinterColumns entry. */
    public record PrinterColumn(String name, String type, String format, String description, int priority,
            String jsonPath) {
    }

    /** spec.versions[].subresources.scale; labelSelectorPath may be null. */
    public record ScalePaths(String specReplicasPath, String statusReplicasPath, String labelSelectorPath) {
    }
}
