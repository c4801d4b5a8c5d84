package dev.flotilla.apiserver.authn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.api.auth.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class X509AuthenticatorTest {

    @Test
    void commonNameIsTheUserAndOrganizationsAreGroupsInCertificateOrder() {
        UserInfo user = X509Authenticator.fromSubject("CN=admin,O=ops,O=system:masters").orElseThrow();

        assertThat(user.name()).isEqualTo("admin");
        assertThat(user.groups()).containsExactly("system:masters", "ops", "system:authenticated");
    }

    @Test
    void nodeIdentityIsRead() {
        UserInfo user = X509Authenticator.fromSubject("CN=system:node:worker-1,O=system:nodes").orElseThrow();

        assertThat(user.name()).isEqualTo("system:node:worker-1");
        assertThat(user.groups()).isEqualTo(List.of("system:nodes", "system:authenticated"));
    }

    @Test
    void certificateWithoutCommonNameAuthenticatesNobody() {
        assertThat(X509Authenticator.fromSubject("O=system:masters")).isEmpty();
        assertThat(X509Authenticator.fromSubject("not a DN")).isEmpty();
    }
}
