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
    void theTenantsQuotaIsOneAggregateQuotaNotAShareInEveryNamespace() throws Exception {
        JsonNode tenant = json("{'metadata':{'name':'acme'},'spec':{'owners':[{'kind':'Group','name':'owners'}],"
                + "'namespaceQuota':3,'resourceQuota':{'hard':{'pods':'10','requests.cpu':'1'}}}}");
        assertThat(TenantNamespaceDefaults.of(tenant, "acme-one")).extracting(TenantNamespaceDefaults.Desired::kind)
                .doesNotContain("ResourceQuota");
        JsonNode quota = TenantResourceQuotas.of(tenant).orElseThrow();
        assertThat(quota.path("kind").asText()).isEqualTo("TenantResourceQuota");
        assertThat(quota.path("metadata").path("name").asText()).isEqualTo("acme");
        assertThat(quota.path("spec").path("hard").toString()).isEqualTo("{\"pods\":\"10\",\"requests.cpu\":\"1\"}");
        assertThat(TenantResourceQuotas.of(json("{'metadata':{'name':'free'},'spec':{}}"))).isEmpty();
    }

    @Test
    void aTenantAskingForPerNamespaceLimitsGetsAResourceQuotaInEachNamespaceButNoAggregateWithoutHard()
            throws Exception {
        JsonNode tenant = json("{'metadata':{'name':'acme'},'spec':{'owners':[{'kind':'Group','name':'owners'}],"
                + "'resourceQuota':{'perNamespace':{'hard':{'pods':'3'}}}}}");
        TenantNamespaceDefaults.Desired quota = TenantNamespaceDefaults.of(tenant, "acme-two").get(0);
        assertThat(quota.kind() + "/" + quota.name()).isEqualTo("ResourceQuota/tenant-quota");
        assertThat(quota.body().path("metadata").path("namespace").asText()).isEqualTo("acme-two");
        assertThat(quota.body().path("spec").path("hard").path("pods").asText()).isEqualTo("3");
        assertThat(TenantResourceQuotas.of(tenant)).isEmpty();
    }

    @Test
    void anAggregateQuotaCountsOnceTheControllerHasTakenUpItsHard() throws Exception {
        assertThat(TenantResourceQuotas.counted(json("{'spec':{'hard':{'pods':'2'}}}"))).isFalse();
        assertThat(TenantResourceQuotas.counted(json("{'spec':{'hard':{'pods':'2'}},"
                + "'status':{'hard':{'pods':'1'},'used':{'pods':'0'}}}"))).isFalse();
        assertThat(TenantResourceQuotas.counted(json("{'spec':{'hard':{'pods':'2'}},"
                + "'status':{'hard':{'pods':'2'},'used':{'pods':'0'}}}"))).isTrue();
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
