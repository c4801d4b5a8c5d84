package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ServiceAccount admission through kubectl: the default account, a refusal for a missing one, pull secrets
 * copied, the kube-api-access token volume and its mounts, automount turned off by the pod or its account.
 */
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

    @Test
    void podsGetTheTokenVolumeMountedInEveryContainerUnlessAutomountIsOff() throws Exception {
        cluster.kubectl("create", "namespace", "mounted").assertSuccess();
        Await.until(Duration.ofSeconds(90), "the default account", () -> cluster.kubectl("-n", "mounted", "get",
                "serviceaccount", "default").exitCode() == 0);
        cluster.kubectl("apply", "-f", cluster.file("mounted.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: mounted}
                spec:
                  initContainers: [{name: prepare, image: busybox}]
                  containers:
                  - {name: main, image: busybox, volumeMounts: [{name: data, mountPath: /data}]}
                  - name: own
                    image: busybox
                    volumeMounts: [{name: data, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]
                  volumes: [{name: data, emptyDir: {}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: opted-out, namespace: mounted}
                spec:
                  automountServiceAccountToken: false
                  containers: [{name: main, image: busybox}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: own-token, namespace: mounted}
                spec:
                  automountServiceAccountToken: false
                  containers: [{name: main, image: busybox, volumeMounts: [{name: t, mountPath: /t}]}]
                  volumes:
                  - {name: t, projected: {sources: [{serviceAccountToken: {path: token, audience: vault}}]}}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: quiet, namespace: mounted}
                automountServiceAccountToken: false
                """).toString()).assertSuccess();

        JsonNode web = Json.mapper().readTree(cluster.kubectl("-n", "mounted", "get", "pod", "web", "-o", "json")
                .assertSuccess().output()).path("spec");
        JsonNode volume = web.path("volumes").get(1);
        String name = volume.path("name").asText();
        assertThat(name).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(Json.mapper().writeValueAsString(volume.path("projected"))).isEqualTo("{\"defaultMode\":420,"
                + "\"sources\":[{\"serviceAccountToken\":{\"expirationSeconds\":3607,\"path\":\"token\"}},"
                + "{\"configMap\":{\"items\":[{\"key\":\"ca.crt\",\"path\":\"ca.crt\"}],\"name\":\"kube-root-ca.crt\"}},"
                + "{\"downwardAPI\":{\"items\":[{\"fieldRef\":{\"apiVersion\":\"v1\",\"fieldPath\":\"metadata.namespace\"},"
                + "\"path\":\"namespace\"}]}}]}");
        String mount = "{\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\",\"name\":\"" + name
                + "\",\"readOnly\":true}";
        assertThat(web.at("/initContainers/0/volumeMounts").toString()).isEqualTo("[" + mount + "]");
        assertThat(web.at("/containers/0/volumeMounts").toString())
                .isEqualTo("[{\"mountPath\":\"/data\",\"name\":\"data\"}," + mount + "]");
        assertThat(web.at("/containers/1/volumeMounts").toString()).as("a container mounting the path itself keeps it")
                .isEqualTo("[{\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\",\"name\":\"data\"}]");

        assertThat(cluster.kubectl("-n", "mounted", "describe", "pod", "web").assertSuccess().output())
                .containsPattern("kube-api-access-\\w{5}:\\s+Type:\\s+Projected")
                .containsPattern("TokenExpirationSeconds:\\s+3607")
                .containsPattern("ConfigMapName:\\s+kube-root-ca.crt")
                .containsPattern("/var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-\\w{5} \\(ro\\)");

        assertThat(cluster.kubectl("-n", "mounted", "get", "pod", "opted-out", "-o",
                "jsonpath={.spec.volumes}{.spec.containers[0].volumeMounts}").assertSuccess().output()).isEmpty();
        assertThat(cluster.kubectl("-n", "mounted", "get", "pod", "own-token", "-o", "jsonpath={.spec.volumes[0].projected}")
                .assertSuccess().output()).as("upstream's volume defaults")
                .isEqualTo("{\"defaultMode\":420,\"sources\":[{\"serviceAccountToken\":{\"audience\":\"vault\","
                        + "\"expirationSeconds\":3600,\"path\":\"token\"}}]}");
        assertThat(cluster.kubectl("-n", "mounted", "describe", "pod", "own-token").assertSuccess().output())
                .as("kubectl describe reads the defaulted expirationSeconds").containsPattern("TokenExpirationSeconds:\\s+3600");
        cluster.kubectl("-n", "mounted", "run", "quiet", "--image=busybox",
                "--overrides={\"spec\":{\"serviceAccountName\":\"quiet\"}}").assertSuccess();
        assertThat(cluster.kubectl("-n", "mounted", "get", "pod", "quiet", "-o", "jsonpath={.spec.volumes}")
                .assertSuccess().output()).as("the account turns automount off").isEmpty();
        cluster.kubectl("-n", "mounted", "run", "loud", "--image=busybox", "--overrides={\"spec\":{"
                + "\"serviceAccountName\":\"quiet\",\"automountServiceAccountToken\":true}}").assertSuccess();
        assertThat(cluster.kubectl("-n", "mounted", "get", "pod", "loud", "-o", "jsonpath={.spec.volumes[0].name}")
                .assertSuccess().output()).as("the pod's choice wins over its account's").startsWith("kube-api-access-");
    }
}
