package dev.flotilla.apiserver.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.apiserver.admission.AdmissionOperation;
import org.junit.jupiter.api.Test;

class TenantDefaultsGuardTest {

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.mapper().readTree(text.replace('\'', '"'));
    }

    private static ObjectNode managed() throws Exception {
        return json("{'metadata':{'name':'tenant-isolation','labels':{'tenancy.flotilla.dev/tenant':'acme',"
                + "'tenancy.flotilla.dev/managed-by':'tenant-reconciler'}}}");
    }

    @Test
    void aTenantDefaultCannotBeChangedOrDeleted() throws Exception {
        ObjectNode edited = managed();
        edited.with("spec").put("x", 1);
        assertThat(TenantDefaultsGuard.refusal(AdmissionOperation.UPDATE, edited, managed()))
                .contains("it is one of tenant acme's defaults, which only platform admins may change");
        assertThat(TenantDefaultsGuard.refusal(AdmissionOperation.DELETE, null, managed())).isPresent();
        // Removing the label is a change of the default too.
        assertThat(TenantDefaultsGuard.refusal(AdmissionOperation.UPDATE, json("{'metadata':{'name':'x'}}"), managed()))
                .isPresent();
    }

    @Test
    void aLookAlikeCannotBeMadeAndOtherObjectsPass() throws Exception {
        assertThat(TenantDefaultsGuard.refusal(AdmissionOperation.CREATE, managed(), null))
                .contains("the label tenancy.flotilla.dev/managed-by is set only by the tenant reconciler");
        ObjectNode plain = json("{'metadata':{'name':'mine','labels':{'tenancy.flotilla.dev/managed-by':'me'}}}");
        assertThat(TenantDefaultsGuard.refusal(AdmissionOperation.CREATE, plain, null)).isEmpty();
        assertThat(TenantDefaultsGuard.refusal(AdmissionOperation.UPDATE, managed(), plain)).isPresent();
        assertThat(TenantDefaultsGuard.refusal(AdmissionOperation.DELETE, null, plain)).isEmpty();
    }
}
