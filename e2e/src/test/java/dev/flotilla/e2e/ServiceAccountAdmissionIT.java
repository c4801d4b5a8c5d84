package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ServiceAccount admission through kubectl: the default account, a refusal for a missing one, pull secrets copied. */
class ServiceAccountAdmissionIT {

    private static ControlPlane cluster;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start("--flotilla.scheduler.enabled=false");
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(cluster);
    }

    @Test
    void podsRunAsDefaultAMissingAccountIsRefusedAndTheAccountsPullSecretsAreCopied() {
        cluster.kubectl("create", "namespace", "accounts").assertSuccess();
        Await.until(Duration.ofSeconds(90), "the default account", () -> cluster.kubectl("-n", "accounts", "get",
                "serviceaccount", "default").exitCode() == 0);

        cluster.kubectl("-n", "accounts", "run", "plain", "--image=busybox").assertSuccess();
        assertThat(cluster.kubectl("-n", "accounts", "get", "pod", "plain", "-o",
                "jsonpath={.spec.serviceAccountName}").assertSuccess().output()).isEqualTo("default");

        var missing = cluster.kubectl("-n", "accounts", "run", "lost", "--image=busybox",
                "--overrides={\"spec\":{\"serviceAccountName\":\"ghost\"}}");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.output()).contains("Error from server (Forbidden): pods \"lost\" is forbidden: "
                + "error looking up service account accounts/ghost: serviceaccount \"ghost\" not found");

        cluster.kubectl("apply", "-f", cluster.file("account.yaml", """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: builder, namespace: accounts}
                imagePullSecrets: [{name: registry}]
                """).toString()).assertSuccess();
        cluster.kubectl("-n", "accounts", "run", "built", "--image=busybox",
                "--overrides={\"spec\":{\"serviceAccountName\":\"builder\"}}").assertSuccess();
        assertThat(cluster.kubectl("-n", "accounts", "get", "pod", "built", "-o",
                "jsonpath={.spec.imagePullSecrets[*].name}").assertSuccess().output()).isEqualTo("registry");
    }
}
