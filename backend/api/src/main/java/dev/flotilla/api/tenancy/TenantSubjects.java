package dev.flotilla.api.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.auth.UserInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Who belongs to a Tenant: its {@code spec.owners} (tenant-admins who may also create the tenant's
 * namespaces) and {@code spec.members} (each with a role). Subjects are {@code User} or {@code Group}
 * names as the API server sees them after authentication (with the OIDC prefix, e.g.
 * {@code oidc:tenant:acme:owners}).
 */
public final class TenantSubjects {

    /** One subject with its role; owners always have {@link TenancyApi#ROLE_TENANT_ADMIN}. */
    public record Subject(String kind, String name, String role) {
    }

    private TenantSubjects() {
    }

    public static List<Subject> owners(JsonNode tenant) {
        List<Subject> owners = new ArrayList<>();
        for (JsonNode owner : tenant.path("spec").path("owners")) {
            owners.add(new Subject(owner.path("kind").asText("User"), owner.path("name").asText(),
                    TenancyApi.ROLE_TENANT_ADMIN));
        }
        return owners;
    }

    /** Owners first, then members. */
    public static List<Subject> all(JsonNode tenant) {
        List<Subject> all = new ArrayList<>(owners(tenant));
        for (JsonNode member : tenant.path("spec").path("members")) {
            all.add(new Subject(member.path("kind").asText("User"), member.path("name").asText(),
                    member.path("role").asText(TenancyApi.ROLE_VIEWER)));
        }
        return all;
    }

    public static boolean isOwner(JsonNode tenant, UserInfo user) {
        return owners(tenant).stream().anyMatch(subject -> matches(subject, user));
    }

    public static boolean matches(Subject subject, UserInfo user) {
        return subject.kind().equals("Group") ? user.inGroup(subject.name()) : subject.name().equals(user.name());
    }
}
