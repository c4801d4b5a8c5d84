package dev.flotilla.apiserver.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.FieldError;
import org.junit.jupiter.api.Test;

class QuotaHardValidationTest {

    @Test
    void negativeAmountsAndUnknownResourcesAreInvalidAtTheirPaths() throws Exception {
        var hard = Json.mapper().readTree("{\"pods\":\"-1\",\"bananas\":\"3\",\"requests.cpu\":\"lots\","
                + "\"count/deployments.apps\":\"2\",\"gold.storageclass.storage.k8s.io/requests.storage\":\"1Gi\","
                + "\"limits.memory\":\"0\"}");
        assertThat(QuotaHardValidation.validate(hard, "spec.hard")).extracting(FieldError::field, FieldError::detail)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("spec.hard.pods", "must be greater than or equal to 0"),
                        org.assertj.core.groups.Tuple.tuple("spec.hard.bananas", "must be a standard resource for quota"));
    }
}
