package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Command;
import dev.flotilla.testsupport.TempDirs;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The installed kubectl against a running control plane: each step asserts what a user would see. */
class KubectlScenariosIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ControlPlane cluster;

    @BeforeAll
    static void start() {
        cluster = ControlPlane.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void systemNamespacesExistAndApiResourcesListsTheBuiltInKinds() {
        String namespaces = ok("get", "namespaces").output();
        assertThat(namespaces).startsWith("NAME").contains("default", "kube-system", "kube-public", "kube-node-lease");

        String resources = ok("api-resources").output();
        assertThat(resources).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment")
                .containsPattern("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace")
                .containsPattern("customresourcedefinitions\\s+crd,crds\\s+apiextensions.k8s.io/v1\\s+false");
        assertThat(ok("api-versions").output()).contains("apps/v1\n", "autoscaling/v2\n", "v1\n");
    }

    @Test
    void kubectlLearnsTheWholeApiFromTwoAggregatedDiscoveryRequests() throws Exception {
        Path cache = Files.createTempDirectory("kubectl-cache");
        try {
            Command.Result verbose = ok("--cache-dir", cache.toString(), "-v=6", "api-resources");
            assertThat(verbose.output()).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment");
            List<String> discoveryGets = verbose.output().lines()
                    .filter(line -> line.contains("GET https://"))
                    .toList();
            assertThat(discoveryGets).as("discovery requests (only /api and /apis)").hasSize(2);
        } finally {
            TempDirs.deleteRecursively(cache);
        }

        String aggregated = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
        HttpResponse<String> apis = cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url() + "/apis"))
                .header("Accept", aggregated).build());
        assertThat(apis.statusCode()).isEqualTo(200);
        assertThat(apis.headers().firstValue("Content-Type")).hasValue(
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        assertThat(apis.body()).contains("\"kind\":\"APIGroupDiscoveryList\"", "\"resource\":\"deployments\"",
                "\"subresource\":\"scale\"");
        String etag = apis.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> unchanged = cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url() + "/apis"))
                .header("Accept", aggregated).header("If-None-Match", etag).build());
        assertThat(unchanged.statusCode()).isEqualTo(304);
        HttpResponse<String> core = cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url() + "/api"))
                .header("Accept", aggregated).build());
        assertThat(core.body()).contains("\"version\":\"v1\"", "\"resource\":\"pods\"")
                .doesNotContain("\"deployments\"");
        HttpResponse<String> legacy = cluster.admin().get("/apis");
        assertThat(legacy.body()).contains("\"kind\":\"APIGroupList\"");
    }

    @Test
    void applyOfAMultiDocumentManifestCreatesThenConfiguresThenLeavesUnchanged() throws Exception {
        Path manifest = cluster.file("app.yaml", manifest(2, "b"));
        assertThat(ok("apply", "-f", manifest.toString()).output())
                .contains("namespace/shop created", "configmap/settings created", "deployment.apps/web created");
        assertThat(ok("apply", "-f", manifest.toString()).output())
                .contains("namespace/shop unchanged", "configmap/settings unchanged", "deployment.apps/web unchanged");

        Path changed = cluster.file("app.yaml", manifest(3, "c"));
        assertThat(ok("apply", "-f", changed.toString()).output())
                .contains("configmap/settings configured", "deployment.apps/web configured");
        JsonNode deployment = JSON.readTree(ok("-n", "shop", "get", "deployment", "web", "-o", "json").output());
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(deployment.at("/metadata/generation").asInt()).isEqualTo(2);
        assertThat(ok("-n", "shop", "get", "configmap", "settings", "-o", "jsonpath={.data.mode}").output()).isEqualTo("c");

        assertThat(ok("delete", "-f", changed.toString()).output())
                .contains("configmap \"settings\" deleted", "deployment.apps \"web\" deleted");
    }

    @Test
    void getFormatsSelectorsAndMissingObjects() throws Exception {
        ok("apply", "-f", cluster.file("cms.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: red, namespace: default, labels: {color: red, tier: front}}
                data: {k: v}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: blue, namespace: default, labels: {color: blue}}
                """).toString());

        assertThat(ok("get", "configmaps", "-l", "color=red", "-o", "name").output().trim()).isEqualTo("configmap/red");
        assertThat(ok("get", "configmaps", "-l", "color in (red,blue)", "-o", "name").output())
                .contains("configmap/red", "configmap/blue");
        assertThat(ok("get", "configmaps", "-l", "color,!tier", "-o", "name").output().trim()).isEqualTo("configmap/blue");
        assertThat(ok("get", "configmaps", "--field-selector", "metadata.name=blue", "-o", "name").output().trim())
                .isEqualTo("configmap/blue");
        assertThat(ok("get", "configmaps", "-A", "-l", "color").output()).containsPattern("NAMESPACE\\s+NAME\\s+DATA\\s+AGE")
                .containsPattern("default\\s+blue");
        assertThat(ok("get", "configmap", "red", "-o", "custom-columns=NAME:.metadata.name,COLOR:.metadata.labels.color")
                .output()).containsPattern("NAME\\s+COLOR\\s+red\\s+red");
        JsonNode yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(ok("get", "configmap", "red", "-o", "yaml").output());
        assertThat(yaml.at("/metadata/uid").asText()).matches("[0-9a-f-]{36}");
        assertThat(yaml.at("/metadata/resourceVersion").asText()).matches("\\d+");
        assertThat(yaml.at("/metadata/creationTimestamp").asText()).endsWith("Z");

        Command.Result missing = cluster.kubectl("get", "configmap", "nope");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.output()).contains("Error from server (NotFound): configmaps \"nope\" not found");

        Command.Result badSelector = cluster.kubectl("get", "configmaps", "-l", "a b");
        assertThat(badSelector.exitCode()).isEqualTo(1);
        assertThat(badSelector.output()).contains("BadRequest");

        Command.Result chunked = ok("get", "configmaps", "--chunk-size=1", "-o", "name");
        assertThat(chunked.output()).contains("configmap/red", "configmap/blue");
    }

    @Test
    void labelAnnotatePatchAndInvalidNames() throws Exception {
        ok("apply", "-f", cluster.file("lp.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: patched, namespace: default}
                data: {a: "1"}
                """).toString());
        assertThat(ok("label", "configmap", "patched", "env=dev").output()).contains("configmap/patched labeled");
        Command.Result again = cluster.kubectl("label", "configmap", "patched", "env=prod");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.output()).contains("already has a value (dev)");
        ok("label", "configmap", "patched", "env=prod", "--overwrite");
        ok("annotate", "configmap", "patched", "note=hello");
        ok("patch", "configmap", "patched", "--type=merge", "-p", "{\"data\":{\"b\":\"2\"}}");
        ok("patch", "configmap", "patched", "--type=json", "-p", "[{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"9\"}]");
        ok("patch", "configmap", "patched", "-p", "{\"data\":{\"c\":\"3\"}}");
        JsonNode cm = JSON.readTree(ok("get", "configmap", "patched", "-o", "json").output());
        assertThat(cm.at("/metadata/labels/env").asText()).isEqualTo("prod");
        assertThat(cm.at("/metadata/annotations/note").asText()).isEqualTo("hello");
        assertThat(cm.get("data").toString()).isEqualTo("{\"a\":\"9\",\"b\":\"2\",\"c\":\"3\"}");

        Command.Result badPath = cluster.kubectl("patch", "configmap", "patched", "--type=json", "-p",
                "[{\"op\":\"remove\",\"path\":\"/data/zzz\"}]");
        assertThat(badPath.exitCode()).isEqualTo(1);
        assertThat(badPath.output()).contains("/data/zzz");

        Command.Result invalid = cluster.kubectl("apply", "-f", cluster.file("bad.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: Not_Valid, namespace: default}
                """).toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.output()).contains("ConfigMap \"Not_Valid\" is invalid: metadata.name: Invalid value: "
                + "\"Not_Valid\": a lowercase RFC 1123 subdomain must consist of");

        Command.Result noNamespace = cluster.kubectl("apply", "-f", cluster.file("nons.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: orphan, namespace: does-not-exist}
                """).toString());
        assertThat(noNamespace.exitCode()).isEqualTo(1);
        assertThat(noNamespace.output()).contains("namespaces \"does-not-exist\" not found");
    }

    @Test
    void scaleAndKindSpecificColumns() throws Exception {
        ok("apply", "-f", cluster.file("scale.yaml", manifest(2, "s").replace("shop", "scaling"))
                .toString());
        assertThat(ok("-n", "scaling", "get", "deployments").output())
                .containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE")
                .containsPattern("web\\s+0/2\\s+[02]\\s+0\\s+\\d+s");
        assertThat(ok("-n", "scaling", "get", "deployments", "-o", "wide").output())
                .containsPattern("CONTAINERS\\s+IMAGES\\s+SELECTOR").containsPattern("web\\s+busybox\\s+app=web");
        assertThat(ok("-n", "scaling", "get", "configmaps", "settings").output())
                .containsPattern("NAME\\s+DATA\\s+AGE").containsPattern("settings\\s+1\\s+");
        assertThat(ok("get", "namespaces", "scaling").output()).containsPattern("scaling\\s+Active");

        assertThat(ok("-n", "scaling", "scale", "deployment", "web", "--replicas=5").output())
                .contains("deployment.apps/web scaled");
        JsonNode scaled = JSON.readTree(ok("-n", "scaling", "get", "deployment", "web", "-o", "json").output());
        assertThat(scaled.at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(scaled.at("/metadata/generation").asInt()).isEqualTo(2);
        JsonNode scale = JSON.readTree(ok("get", "--raw",
                "/apis/apps/v1/namespaces/scaling/deployments/web/scale").output());
        assertThat(scale.get("kind").asText()).isEqualTo("Scale");
        assertThat(scale.at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(scale.at("/status/selector").asText()).isEqualTo("app=web");

        Command.Result stale = cluster.kubectl("-n", "scaling", "scale", "deployment", "web", "--replicas=1",
                "--resource-version=1");
        assertThat(stale.exitCode()).isEqualTo(1);
        assertThat(stale.output()).contains("Expected resource version to be 1");
        var conflict = cluster.admin().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.url()
                        + "/apis/apps/v1/namespaces/scaling/deployments/web/scale"))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"autoscaling/v1\",\"kind\":"
                        + "\"Scale\",\"metadata\":{\"name\":\"web\",\"namespace\":\"scaling\",\"resourceVersion\":\"1\"},"
                        + "\"spec\":{\"replicas\":1}}"))
                .build());
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.body()).contains("the object has been modified; please apply your changes to the latest "
                + "version and try again");
        JsonNode configMap = JSON.readTree(ok("-n", "scaling", "get", "configmap", "settings", "-o", "json").output());
        assertThat(configMap.at("/metadata/generation").isMissingNode()).as("configmaps carry no generation").isTrue();
    }

    @Test
    void watchSeesChangesAsTheyHappen() throws Exception {
        ok("apply", "-f", cluster.file("w.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: watched, namespace: default}
                """).toString());
        Process watch = new ProcessBuilder("kubectl", "--kubeconfig", cluster.kubeconfig().toString(), "get",
                "configmaps", "--field-selector", "metadata.name=watched", "-w", "--output-watch-events").redirectErrorStream(true).start();
        try {
            dev.flotilla.testsupport.Await.until(Duration.ofSeconds(20), "the initial ADDED row", () -> available(watch).matches("(?s).*ADDED\\s+watched.*"));
            ok("label", "configmap", "watched", "seen=yes");
            ok("delete", "configmap", "watched");
            dev.flotilla.testsupport.Await.until(Duration.ofSeconds(20), "MODIFIED and DELETED events", () -> {
                String seen = available(watch);
                return seen.matches("(?s).*MODIFIED\\s+watched.*DELETED\\s+watched.*");
            });
        } finally {
            watch.destroyForcibly();
        }
    }

    @Test
    void watchStreamsInitialEventsBookmarksAndExpiresCompactedVersions() throws Exception {
        ok("apply", "-f", cluster.file("wb.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: bookmarks}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: one, namespace: bookmarks}
                """).toString());
        // Only "one": the namespace also holds the root CA publisher's kube-root-ca.crt.
        var stream = cluster.admin().get("/api/v1/namespaces/bookmarks/configmaps?watch=true&allowWatchBookmarks=true"
                + "&fieldSelector=metadata.name%3Done&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1");
        assertThat(stream.statusCode()).isEqualTo(200);
        String[] events = stream.body().split("\n");
        assertThat(JSON.readTree(events[0]).get("type").asText()).isEqualTo("ADDED");
        JsonNode bookmark = JSON.readTree(events[1]);
        assertThat(bookmark.get("type").asText()).isEqualTo("BOOKMARK");
        assertThat(bookmark.at("/object/kind").asText()).isEqualTo("ConfigMap");
        assertThat(bookmark.at("/object/metadata/annotations/k8s.io~1initial-events-end").asText()).isEqualTo("true");
        assertThat(bookmark.at("/object/metadata/resourceVersion").asText()).matches("\\d+");

        var missingMatch = cluster.admin().get("/api/v1/namespaces/bookmarks/configmaps?watch=true&sendInitialEvents=true");
        assertThat(missingMatch.statusCode()).isEqualTo(422);

        long oldRevision = Long.parseLong(JSON.readTree(ok("-n", "bookmarks", "get", "configmap", "one", "-o", "json")
                .output()).at("/metadata/resourceVersion").asText());
        ok("-n", "bookmarks", "label", "configmap", "one", "step=1");
        ok("-n", "bookmarks", "label", "configmap", "one", "step=2", "--overwrite");
        long now = Long.parseLong(JSON.readTree(ok("-n", "bookmarks", "get", "configmap", "one", "-o", "json")
                .output()).at("/metadata/resourceVersion").asText());
        Command.run(Duration.ofSeconds(20), List.of("etcdctl", "--endpoints", cluster.etcdEndpoint(), "compact",
                Long.toString(now))).assertSuccess();
        // As upstream, the watch cache still serves a compacted revision its ring of recent events holds...
        var fromRing = cluster.admin().get("/api/v1/namespaces/bookmarks/configmaps?watch=true&fieldSelector=metadata.name%3Done&resourceVersion="
                + oldRevision + "&timeoutSeconds=1");
        assertThat(JSON.readTree(fromRing.body().split("\n")[0]).get("type").asText()).isEqualTo("MODIFIED");
        // ...and one from before the cache started is neither there nor in etcd any more.
        var expired = cluster.admin().get("/api/v1/namespaces/bookmarks/configmaps?watch=true&resourceVersion=1"
                + "&timeoutSeconds=5");
        JsonNode error = JSON.readTree(expired.body().split("\n")[0]);
        assertThat(error.get("type").asText()).isEqualTo("ERROR");
        assertThat(error.at("/object/code").asInt()).isEqualTo(410);
        assertThat(error.at("/object/reason").asText()).isEqualTo("Expired");
        assertThat(error.at("/object/message").asText()).startsWith("too old resource version: 1 (");
    }

    @Test
    void typedCommandsSendingProtobufWork() throws Exception {
        assertThat(ok("create", "namespace", "typed").output()).contains("namespace/typed created");
        assertThat(ok("-n", "typed", "create", "configmap", "cfg", "--from-literal=a=b").output())
                .contains("configmap/cfg created");
        assertThat(ok("-n", "typed", "create", "secret", "generic", "sec", "--from-literal=password=s3cr3t").output())
                .contains("secret/sec created");
        assertThat(ok("-n", "typed", "get", "secret", "sec", "-o", "jsonpath={.data.password}").output())
                .isEqualTo(java.util.Base64.getEncoder().encodeToString("s3cr3t".getBytes()));
        ok("-n", "typed", "create", "deployment", "zero", "--image=busybox", "--replicas=0");
        assertThat(ok("-n", "typed", "get", "deployment", "zero", "-o", "jsonpath={.spec.replicas}").output())
                .as("an explicit 0 survives the protobuf body").isEqualTo("0");
        ok("-n", "typed", "create", "service", "nodeport", "np", "--tcp=80:8080");
        assertThat(ok("-n", "typed", "get", "service", "np").output()).containsPattern("np\\s+NodePort\\s+10\\.");
        Command.Result duplicate = cluster.kubectl("create", "namespace", "typed");
        assertThat(duplicate.exitCode()).isEqualTo(1);
        assertThat(duplicate.output()).contains("Error from server (AlreadyExists): namespaces \"typed\" already exists");
    }

    @Test
    void authAndExplainAndApplyWithValidation() {
        assertThat(ok("auth", "can-i", "create", "deployments").output().trim()).isEqualTo("yes");
        assertThat(ok("auth", "whoami").output()).containsPattern("Username\\s+admin")
                .contains("system:masters");
        assertThat(ok("explain", "deployment.spec.replicas").output()).contains("FIELD: replicas <integer>");
        assertThat(ok("explain", "pods.spec.containers").output()).contains("image\t<string>");
        Path manifest = cluster.file("validated.yaml", manifest(1, "v").replace("shop", "validated"));
        assertThat(ok("apply", "-f", manifest.toString()).output()).contains("deployment.apps/web created");
        assertThat(ok("apply", "-f", manifest.toString()).output()).contains("deployment.apps/web unchanged");
        Path sidecar = cluster.file("validated-sidecar.yaml", manifest(1, "v").replace("shop", "validated")
                .replace("        image: busybox\n", "        image: busybox:2\n      - name: side\n        image: side:1\n"));
        ok("apply", "-f", sidecar.toString());
        assertThat(ok("-n", "validated", "get", "deployment", "web", "-o",
                "jsonpath={.spec.template.spec.containers[*].name}").output()).isEqualTo("web side");
        ok("apply", "-f", manifest.toString());
        assertThat(ok("-n", "validated", "get", "deployment", "web", "-o",
                "jsonpath={.spec.template.spec.containers[*].image}").output())
                .as("the sidecar removed from the manifest is removed from the object").isEqualTo("busybox");

        Path typo = cluster.file("typo.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: typo, namespace: validated}
                spec:
                  replcas: 2
                  selector: {matchLabels: {app: t}}
                  template:
                    metadata: {labels: {app: t}}
                    spec:
                      containers: [{name: c, image: x, imagePolicy: Always}]
                """);
        Command.Result strict = cluster.kubectl("apply", "-f", typo.toString());
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.output()).contains("Deployment in version \"v1\" cannot be handled as a Deployment: strict "
                + "decoding error: unknown field \"spec.replcas\", unknown field "
                + "\"spec.template.spec.containers[0].imagePolicy\"");
        Command.Result warned = ok("apply", "--validate=warn", "-f", typo.toString());
        assertThat(warned.output()).contains("Warning: unknown field \"spec.replcas\"")
                .contains("deployment.apps/typo created");
        assertThat(ok("-n", "validated", "get", "deployment", "typo", "-o", "jsonpath={.spec}").output())
                .as("unknown fields are dropped, as upstream").doesNotContain("replcas", "imagePolicy")
                .contains("\"replicas\":1");
    }

    private final StringBuilder watchOutput = new StringBuilder();

    private String available(Process process) {
        try {
            var in = process.getInputStream();
            while (in.available() > 0) {
                watchOutput.append((char) in.read());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return watchOutput.toString();
    }

    private static String manifest(int replicas, String mode) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: shop
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: shop
                data:
                  mode: %s
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: web
                        image: busybox
                """.formatted(mode, replicas);
    }

    private static Command.Result ok(String... args) {
        return cluster.kubectl(args).assertSuccess();
    }


}
