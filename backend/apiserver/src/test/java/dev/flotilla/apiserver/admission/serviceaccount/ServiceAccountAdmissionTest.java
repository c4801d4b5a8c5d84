package dev.flotilla.apiserver.admission.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import org.junit.jupiter.api.Test;

class ServiceAccountAdmissionTest {

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.mapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void aMissingAccountIsWordedAsUpstream() {
        assertThat(ServiceAccountAdmission.notFound("ns", "sa"))
                .isEqualTo("error looking up service account ns/sa: serviceaccount \"sa\" not found");
    }

    @Test
    void theAccountsPullSecretsAreCopiedUnlessThePodNamesItsOwn() throws Exception {
        ObjectNode account = json("{'imagePullSecrets':[{'name':'registry'}]}");
        ObjectNode spec = json("{'containers':[]}");
        ServiceAccountAdmission.copyPullSecrets(account, spec);
        assertThat(spec.path("imagePullSecrets").toString()).isEqualTo("[{\"name\":\"registry\"}]");

        ObjectNode own = json("{'imagePullSecrets':[{'name':'mine'}]}");
        ServiceAccountAdmission.copyPullSecrets(account, own);
        assertThat(own.path("imagePullSecrets").toString()).isEqualTo("[{\"name\":\"mine\"}]");

        ObjectNode none = json("{}");
        ServiceAccountAdmission.copyPullSecrets(json("{}"), none);
        assertThat(none.has("imagePullSecrets")).isFalse();
    }
}
