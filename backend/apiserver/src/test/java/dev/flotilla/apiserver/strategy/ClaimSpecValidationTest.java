package dev.flotilla.apiserver.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimSpecValidationTest {

    @Test
    void aValidClaimSpecHasNoErrors() throws Exception {
        assertThat(ClaimSpecValidation.validateSpec(json(
                "{\"accessModes\":[\"ReadWriteOncePod\"],\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}"), "spec"))
                .isEmpty();
    }

    @Test
    void accessModesStorageAndVolumeModeAreCheckedAsUpstream() throws Exception {
        assertThat(messages(ClaimSpecValidation.validateSpec(json("{}"), "spec"))).containsExactly(
                "spec.accessModes: Required value: at least 1 access mode is required",
                "spec.resources[storage]: Required value");
        assertThat(messages(ClaimSpecValidation.validateSpec(json("{\"accessModes\":[\"ReadWriteOncePod\",\"Sometimes\"],"
                + "\"resources\":{\"requests\":{\"storage\":\"0\"}},\"volumeMode\":\"Tape\"}"), "spec"))).containsExactly(
                "spec.accessModes: Unsupported value: \"Sometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", "
                        + "\"ReadWriteOnce\", \"ReadWriteOncePod\"",
                "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
                "spec.resources[storage]: Invalid value: \"0\": must be greater than zero",
                "spec.volumeMode: Unsupported value: \"Tape\": supported values: \"Block\", \"Filesystem\"");
    }

    @Test
    void anEphemeralVolumeNeedsATemplateWithoutANameAndAValidSpec() throws Exception {
        String at = "spec.volumes[0].ephemeral";
        assertThat(messages(ClaimSpecValidation.validateEphemeral(json("{}"), at)))
                .containsExactly("spec.volumes[0].ephemeral.volumeClaimTemplate: Required value");
        assertThat(messages(ClaimSpecValidation.validateEphemeral(json("{\"volumeClaimTemplate\":{\"metadata\":"
                + "{\"name\":\"fixed\",\"labels\":{\"a\":\"b\"}},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"]}}}"), at)))
                .containsExactly(
                        "spec.volumes[0].ephemeral.volumeClaimTemplate.metadata.name: Forbidden: cannot be set for an "
                                + "ephemeral volume",
                        "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]: Required value");
    }

    @Test
    void anEphemeralVolumesClaimNameMustBeAValidName() throws Exception {
        assertThat(ClaimSpecValidation.validateEphemeralClaimNames(json("{\"metadata\":{\"name\":\"web\"},\"spec\":"
                + "{\"volumes\":[{\"name\":\"data\",\"ephemeral\":{}},{\"name\":\"x\",\"emptyDir\":{}}]}}"))).isEmpty();
        assertThat(messages(ClaimSpecValidation.validateEphemeralClaimNames(json("{\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"volumes\":[{\"name\":\"Data_1\",\"ephemeral\":{}}]}}")))).containsExactly(
                "spec.volumes[0].name: Invalid value: \"Data_1\": PVC name \"web-Data_1\": a lowercase RFC 1123 subdomain "
                        + "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
                        + "alphanumeric character (e.g. 'example.com', regex used for validation is "
                        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }

    private static List<String> messages(List<FieldError> errors) {
        return errors.stream().map(e -> e.field() + ": " + e.message()).toList();
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }
}
