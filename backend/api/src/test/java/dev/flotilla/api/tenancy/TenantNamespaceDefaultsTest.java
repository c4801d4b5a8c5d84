package dev.flotilla.api.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantNamespaceDefaultsTest {

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void eachNamespaceGetsItsShareOfTheTenantsQuota() throws Exception {
        JsonNode hard = json("{'pods':'10','requests.cpu':'1','limits.memory':'3Gi','services':'5','requests.storage':'100'}");
        JsonNode shares = TenantNamespaceDefaults.share(hard, Json.mapper().getNodeFactory().numberNode(3));
        assertThat(shares.path("pods").asText()).isEqualTo("3");
        assertThat(shares.path("requests.cpu").asText()).isEqualTo("333m");
        assertThat(shares.path("limits.memory").asText()).isEqualTo("1073741824");
        assertThat(shares.path("requests.storage").asText()).isEqualTo("33");
        assertThat(TenantNamespaceDefaults.share(hard, Json.mapper().missingNode()).path("limits.memory").asText())
                .isEqualTo("3Gi");
    }

    @Test
    void rolesWithSubjectsGetBindingsAndOptionalDefaultsAreOmitted() throws Exception {
        JsonNode tenant = json("{'metadata':{'name':'acme'},'spec':{'owners':[{'kind':'Group','name':'owners'}],"
                + "'members':[{'kind':'User','name':'dev','role':'developer'}],'networkPolicy':{'enabled':false}}}");
        List<TenantNamespaceDefaults.Desired> desired = TenantNamespaceDefaults.of(tenant, "acme-one");
        assertThat(desired).extracting(d -> d.kind() + "/" + d.name())
                .containsExactly("RoleBinding/tenant-admin", "RoleBinding/tenant-developer");
        assertThat(desired.get(1).body().path("roleRef").path("name").asText()).isEqualTo("edit");
        assertThat(desired.get(0).body().path("metadata").path("namespace").asText()).isEqualTo("acme-one");
    }
}
