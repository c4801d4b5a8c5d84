package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testsupport.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kubectl workflows of issue 3's scenario list that edit, compare and wait: edit with an
 * EDITOR script, replace, describe, diff, wait, apply --prune, create from files, -A and -o wide.
 */
class KubectlWorkflowsIT {

    private static ControlPlane cluster;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
        ok("create", "namespace", "flows");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void editWithAnEditorScriptChangesTheObject() throws Exception {
        ok("-n", "flows", "create", "configmap", "edited", "--from-literal=color=blue");
        Path editor = cluster.file("editor.sh", "#!/bin/sh\nsed -i 's/color: blue/color: green/' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwxr-xr-x"));

        Command.Result edit = cluster.kubectlWithEnv(Map.of("EDITOR", editor.toString()),
                "-n", "flows", "edit", "configmap", "edited").assertSuccess();

        assertThat(edit.output()).contains("configmap/edited edited");
        assertThat(ok("-n", "flows", "get", "configmap", "edited", "-o", "jsonpath={.data.color}").output())
                .isEqualTo("green");
        Path noop = cluster.file("noop.sh", "#!/bin/sh\ntrue\n");
        Files.setPosixFilePermissions(noop, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(cluster.kubectlWithEnv(Map.of("EDITOR", noop.toString()), "-n", "flows", "edit", "configmap",
                "edited").assertSuccess().output()).contains("Edit cancelled, no changes made.");
    }

    @Test
    void replaceSwapsTheWholeObjectAndRefusesMissingOnes() {
        ok("-n", "flows", "create", "configmap", "replaced", "--from-literal=a=1", "--from-literal=b=2");
        Path manifest = cluster.file("replaced.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: replaced
                  namespace: flows
                data:
                  c: "3"
                """);

        assertThat(ok("replace", "-f", manifest.toString()).output()).contains("configmap/replaced replaced");
        assertThat(ok("-n", "flows", "get", "configmap", "replaced", "-o", "jsonpath={.data}").output())
                .isEqualTo("{\"c\":\"3\"}");

        Command.Result missing = cluster.kubectl("replace", "-f", cluster.file("absent.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: absent, namespace: flows}
                """).toString());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.output()).contains("Error from server (NotFound)", "configmaps \"absent\" not found");
        assertThat(ok("replace", "--force", "-f", manifest.toString().replace("replaced.yaml", "absent.yaml"))
                .output()).contains("configmap/absent replaced");
    }

    @Test
    void describeShowsTheObjectInKubectlsLayout() {
        ok("-n", "flows", "create", "configmap", "described", "--from-literal=key=value");
        ok("-n", "flows", "label", "configmap", "described", "tier=web");

        String described = ok("-n", "flows", "describe", "configmap", "described").output();

        assertThat(described).containsPattern("Name:\\s+described").containsPattern("Namespace:\\s+flows")
                .containsPattern("Labels:\\s+tier=web").contains("key:\n----\nvalue");
        ok("-n", "flows", "create", "deployment", "shown", "--image=busybox", "--replicas=2");
        assertThat(ok("-n", "flows", "describe", "deployment", "shown").output())
                .containsPattern("Replicas:\\s+2 desired").containsPattern("StrategyType:\\s+RollingUpdate")
                .containsPattern("Image:\\s+busybox");
    }

    @Test
    void diffReportsChangesWithExitCodeOneAndNothingWhenEqual() {
        Path manifest = cluster.file("diffed.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: diffed, namespace: flows}
                data: {mode: a}
                """);
        ok("apply", "-f", manifest.toString());
        assertThat(ok("diff", "-f", manifest.toString()).output()).isEmpty();

        Path changed = cluster.file("diffed2.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: diffed, namespace: flows}
                data: {mode: b}
                """);
        Command.Result diff = cluster.kubectlWithEnv(Map.of("KUBECTL_EXTERNAL_DIFF", "diff -u"), "diff", "-f",
                changed.toString());

        assertThat(diff.exitCode()).as(diff.output()).isEqualTo(1);
        assertThat(diff.output()).contains("-  mode: a", "+  mode: b");
        assertThat(ok("-n", "flows", "get", "configmap", "diffed", "-o", "jsonpath={.data.mode}").output())
                .as("diff changes nothing").isEqualTo("a");
    }

    @Test
    void waitForAJsonpathAConditionAndADeletion() {
        ok("-n", "flows", "create", "configmap", "waited", "--from-literal=ready=no");
        ok("-n", "flows", "patch", "configmap", "waited", "-p", "{\"data\":{\"ready\":\"yes\"}}");
        assertThat(ok("-n", "flows", "wait", "configmap/waited", "--for=jsonpath={.data.ready}=yes",
                "--timeout=20s").output()).contains("configmap/waited condition met");

        // The canonical use: wait until a just-applied CRD is Established (a condition the server sets).
        ok("apply", "-f", cluster.file("crd.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.flows.example.com}
                spec:
                  group: flows.example.com
                  scope: Namespaced
                  names: {plural: widgets, singular: widget, kind: Widget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """).toString());
        assertThat(ok("wait", "crd/widgets.flows.example.com", "--for=condition=Established", "--timeout=20s")
                .output()).contains("customresourcedefinition.apiextensions.k8s.io/widgets.flows.example.com "
                        + "condition met");

        Command.Result timedOut = cluster.kubectl("-n", "flows", "wait", "configmap/waited",
                "--for=jsonpath={.data.ready}=never", "--timeout=2s");
        assertThat(timedOut.exitCode()).isNotZero();
        assertThat(timedOut.output()).contains("timed out waiting for the condition");

        ok("-n", "flows", "patch", "configmap", "waited", "-p", "{\"metadata\":{\"finalizers\":[\"test.flotilla.dev/hold\"]}}");
        ok("-n", "flows", "delete", "configmap", "waited", "--wait=false");
        Command.Result held = cluster.kubectl("-n", "flows", "wait", "configmap/waited", "--for=delete",
                "--timeout=2s");
        assertThat(held.exitCode()).as("a finalizer holds the deletion").isNotZero();
        assertThat(held.output()).contains("timed out waiting for the condition on configmaps/waited");
        ok("-n", "flows", "patch", "configmap", "waited", "--type=json", "-p",
                "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
        ok("-n", "flows", "wait", "configmap/waited", "--for=delete", "--timeout=20s");
        assertThat(cluster.kubectl("-n", "flows", "get", "configmap", "waited").output()).contains("NotFound");
    }

    @Test
    void applyPruneDeletesLabelledObjectsMissingFromTheManifest() {
        Path both = cluster.file("prune-both.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: keep, namespace: flows, labels: {set: pruned}}
                data: {a: "1"}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: drop, namespace: flows, labels: {set: pruned}}
                data: {a: "1"}
                """);
        ok("apply", "-f", both.toString());
        ok("-n", "flows", "create", "configmap", "unrelated", "--from-literal=a=1");
        Path one = cluster.file("prune-one.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: keep, namespace: flows, labels: {set: pruned}}
                data: {a: "1"}
                """);

        String pruned = ok("apply", "--prune", "-l", "set=pruned", "-f", one.toString()).output();

        assertThat(pruned).contains("configmap/keep unchanged", "configmap/drop pruned");
        assertThat(ok("-n", "flows", "get", "configmaps", "-o", "name").output())
                .contains("configmap/keep", "configmap/unrelated").doesNotContain("configmap/drop");
    }

    @Test
    void createFromFilesAllNamespacesAndWideOutput() throws Exception {
        Path dir = Files.createDirectories(cluster.file("marker", "").resolveSibling("settings"));
        Files.writeString(dir.resolve("app.properties"), "level=debug\n");
        Files.writeString(dir.resolve("extra.txt"), "hello\n");
        ok("-n", "flows", "create", "configmap", "fromdir", "--from-file=" + dir);
        ok("-n", "flows", "create", "configmap", "fromfile", "--from-file=conf=" + dir.resolve("extra.txt"));
        ok("-n", "flows", "create", "secret", "generic", "fromfile", "--from-file=" + dir.resolve("extra.txt"));

        assertThat(ok("-n", "flows", "get", "configmap", "fromdir", "-o", "jsonpath={.data.app\\.properties}")
                .output()).isEqualTo("level=debug\n");
        assertThat(ok("-n", "flows", "get", "configmap", "fromfile", "-o", "jsonpath={.data.conf}").output())
                .isEqualTo("hello\n");
        assertThat(ok("-n", "flows", "get", "secret", "fromfile", "-o", "jsonpath={.data.extra\\.txt}").output())
                .isEqualTo("aGVsbG8K");

        ok("create", "namespace", "flows-other");
        ok("-n", "flows-other", "create", "configmap", "elsewhere", "--from-literal=a=1");
        assertThat(ok("get", "configmaps", "-A").output()).startsWith("NAMESPACE").containsPattern(
                "flows-other\\s+elsewhere\\s+1\\s+").containsPattern("flows\\s+fromdir\\s+2\\s+");

        ok("-n", "flows", "run", "wide", "--image=busybox", "--restart=Never");
        assertThat(ok("-n", "flows", "get", "pod", "wide", "-o", "wide").output().lines().findFirst().orElseThrow())
                .containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE\\s+NOMINATED NODE\\s+"
                        + "READINESS GATES");
    }

    private static Command.Result ok(String... args) {
        return cluster.kubectl(args).assertSuccess();
    }
}
