package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.testsupport.Command;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kind-specific rules seen through kubectl and the raw API: services, pods, workloads. */
class KindRulesIT {

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
    void servicesGetUniqueClusterIpsAndNodePortsThatComeBackOnDelete() throws Exception {
        apply("svc.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: edge, namespace: default}
                spec:
                  type: NodePort
                  selector: {app: edge}
                  ports: [{port: 443, nodePort: 30443}]
                """);
        JsonNode web = get("service", "web");
        assertThat(web.at("/spec/clusterIP").asText()).startsWith("10.");
        assertThat(web.at("/spec/clusterIPs/0").asText()).isEqualTo(web.at("/spec/clusterIP").asText());
        assertThat(web.at("/spec/type").asText()).isEqualTo("ClusterIP");
        assertThat(web.at("/spec/ports/0/targetPort").asInt()).isEqualTo(80);
        assertThat(web.at("/spec/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(web.at("/spec/sessionAffinity").asText()).isEqualTo("None");
        JsonNode edge = get("service", "edge");
        assertThat(edge.at("/spec/ports/0/nodePort").asInt()).isEqualTo(30443);
        assertThat(edge.at("/spec/clusterIP").asText()).isNotEqualTo(web.at("/spec/clusterIP").asText());
        assertThat(ok("get", "services").output()).containsPattern("NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE")
                .containsPattern("edge\\s+NodePort\\s+10\\.[\\d.]+\\s+<none>\\s+443:30443/TCP");

        Command.Result taken = cluster.kubectl("apply", "--validate=false", "-f", cluster.file("taken.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: squatter, namespace: default}
                spec: {type: NodePort, ports: [{port: 8443, nodePort: 30443}]}
                """).toString());
        assertThat(taken.exitCode()).isEqualTo(1);
        assertThat(taken.output()).contains("spec.ports[0].nodePort: Invalid value: 30443: provided port is already allocated");

        Command.Result sameIp = cluster.kubectl("apply", "--validate=false", "-f", cluster.file("sameip.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: copycat, namespace: default}
                spec: {clusterIP: %s, ports: [{port: 80}]}
                """.formatted(web.at("/spec/clusterIP").asText())).toString());
        assertThat(sameIp.exitCode()).isEqualTo(1);
        assertThat(sameIp.output()).contains("provided IP is already allocated");

        Command.Result outside = cluster.kubectl("apply", "--validate=false", "-f", cluster.file("outside.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: outside, namespace: default}
                spec: {clusterIP: 192.168.1.1, ports: [{port: 80}]}
                """).toString());
        assertThat(outside.exitCode()).isEqualTo(1);
        assertThat(outside.output()).contains("is not in the valid range");

        Command.Result changeIp = cluster.kubectl("patch", "service", "web", "--type=merge", "-p",
                "{\"spec\":{\"clusterIP\":\"10.96.0.77\",\"clusterIPs\":[\"10.96.0.77\"]}}");
        assertThat(changeIp.exitCode()).isEqualTo(1);
        assertThat(changeIp.output()).contains("may not change once set");

        ok("delete", "service", "edge");
        apply("reuse.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: edge2, namespace: default}
                spec: {type: NodePort, ports: [{port: 443, nodePort: 30443}]}
                """);
        assertThat(get("service", "edge2").at("/spec/ports/0/nodePort").asInt()).as("released on delete").isEqualTo(30443);

        Command.Result noPorts = cluster.kubectl("apply", "--validate=false", "-f", cluster.file("noports.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: empty, namespace: default}
                spec: {selector: {a: b}}
                """).toString());
        assertThat(noPorts.exitCode()).isEqualTo(1);
        assertThat(noPorts.output()).contains("spec.ports: Required value");
    }

    @Test
    void aNodePortClaimedByAnUpdateThatLosesItsConflictIsGivenBack() throws Exception {
        apply("stale.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: stale, namespace: default}
                spec: {selector: {app: stale}, ports: [{port: 80}]}
                """);
        String staleVersion = get("service", "stale").at("/metadata/resourceVersion").asText();
        ok("label", "service", "stale", "moved=on");

        Command.Result conflict = cluster.kubectl("replace", "-f", cluster.file("stale-nodeport.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: stale, namespace: default, resourceVersion: "%s"}
                spec: {type: NodePort, selector: {app: stale}, ports: [{port: 80, nodePort: 30555}]}
                """.formatted(staleVersion)).toString());
        assertThat(conflict.exitCode()).isEqualTo(1);
        assertThat(conflict.output()).contains("the object has been modified; please apply your changes to the latest "
                + "version and try again");

        apply("next.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: next, namespace: default}
                spec: {type: NodePort, ports: [{port: 80, nodePort: 30555}]}
                """);
        assertThat(get("service", "next").at("/spec/ports/0/nodePort").asInt())
                .as("the refused update's port is free again").isEqualTo(30555);
        assertThat(get("service", "stale").at("/spec/type").asText()).isEqualTo("ClusterIP");
    }

    @Test
    void concurrentServiceCreatesNeverShareAnAddress() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<HttpResponse<String>>> creates = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String body = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"many-" + i
                    + "\"},\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80}]}}";
            creates.add(pool.submit(() -> cluster.admin().send(HttpRequest.newBuilder(
                            URI.create(cluster.url() + "/api/v1/namespaces/default/services"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build())));
        }
        Set<String> ips = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (Future<HttpResponse<String>> create : creates) {
            HttpResponse<String> response = create.get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            JsonNode service = JSON.readTree(response.body());
            assertThat(ips.add(service.at("/spec/clusterIP").asText())).isTrue();
            assertThat(ports.add(service.at("/spec/ports/0/nodePort").asInt())).isTrue();
        }
        pool.shutdown();
        assertThat(ips).hasSize(40);
        assertThat(ports).hasSize(40);
        ok("delete", "services", "-l", "!nothing", "--field-selector", "metadata.name!=web,metadata.name!=edge2");
    }

    @Test
    void podsAreDefaultedValidatedBoundAndDeletedGracefully() throws Exception {
        apply("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: p1, namespace: default}
                spec:
                  containers:
                  - {name: app, image: busybox:1.36, resources: {requests: {cpu: 100m}, limits: {cpu: 100m}}}
                """);
        JsonNode pod = get("pod", "p1");
        assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Always");
        assertThat(pod.at("/spec/dnsPolicy").asText()).isEqualTo("ClusterFirst");
        assertThat(pod.at("/spec/terminationGracePeriodSeconds").asInt()).isEqualTo(30);
        assertThat(pod.at("/spec/containers/0/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(pod.at("/status/phase").asText()).isEqualTo("Pending");
        assertThat(pod.at("/status/qosClass").asText()).isEqualTo("Burstable");
        assertThat(ok("get", "pods").output()).containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE")
                .containsPattern("p1\\s+0/1\\s+Pending\\s+0\\s+");

        Command.Result noImage = cluster.kubectl("apply", "--validate=false", "-f", cluster.file("noimage.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: p2, namespace: default}
                spec: {containers: [{name: app}, {name: app, image: x}]}
                """).toString());
        assertThat(noImage.exitCode()).isEqualTo(1);
        assertThat(noImage.output()).contains("The Pod \"p2\" is invalid: \n* spec.containers[0].image: Required value\n"
                + "* spec.containers[1].name: Duplicate value: \"app\"");

        Command.Result specChange = cluster.kubectl("patch", "pod", "p1", "--type=merge", "-p",
                "{\"spec\":{\"restartPolicy\":\"Never\"}}");
        assertThat(specChange.exitCode()).isEqualTo(1);
        assertThat(specChange.output()).contains("spec: Forbidden: pod updates may not change fields other than");
        ok("patch", "pod", "p1", "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/containers/0/image\",\"value\":\"busybox:1.37\"}]");
        assertThat(get("pod", "p1").at("/spec/containers/0/image").asText()).isEqualTo("busybox:1.37");

        // node-a must exist, or pod GC deletes the bound pod as an orphan of a deleted node.
        post("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-a\"}}");
        HttpResponse<String> bound = post("/api/v1/namespaces/default/pods/p1/binding",
                "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p1\"},\"target\":{\"kind\":\"Node\",\"name\":\"node-a\"}}");
        assertThat(bound.statusCode()).isEqualTo(201);
        assertThat(get("pod", "p1").at("/spec/nodeName").asText()).isEqualTo("node-a");
        HttpResponse<String> again = post("/api/v1/namespaces/default/pods/p1/binding",
                "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p1\"},\"target\":{\"kind\":\"Node\",\"name\":\"node-b\"}}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("pod p1 is already assigned to node \\\"node-a\\\"");

        ok("delete", "pod", "p1", "--wait=false");
        JsonNode terminating = get("pod", "p1");
        assertThat(terminating.at("/metadata/deletionTimestamp").asText()).endsWith("Z");
        assertThat(terminating.at("/metadata/deletionGracePeriodSeconds").asInt()).isEqualTo(30);
        assertThat(ok("get", "pod", "p1").output()).containsPattern("p1\\s+0/1\\s+Terminating");
        ok("delete", "pod", "p1", "--grace-period=0", "--force");
        assertThat(cluster.kubectl("get", "pod", "p1").output()).contains("NotFound");

        apply("unbound.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: p3, namespace: default}
                spec: {containers: [{name: app, image: busybox}]}
                """);
        assertThat(get("pod", "p3").at("/spec/containers/0/imagePullPolicy").asText()).isEqualTo("Always");
        ok("delete", "pod", "p3");
        assertThat(cluster.kubectl("get", "pod", "p3").output()).as("an unbound pod goes at once").contains("NotFound");
    }

    @Test
    void eventsPrintWithUpstreamsColumns() {
        apply("event.yaml", """
                apiVersion: v1
                kind: Event
                metadata: {name: web.1, namespace: default}
                involvedObject: {kind: Pod, name: web, namespace: default, fieldPath: "spec.containers{app}"}
                type: Warning
                reason: BackOff
                message: "Back-off restarting failed container app"
                source: {component: kubelet, host: node-a}
                count: 3
                firstTimestamp: "2026-01-01T00:00:00Z"
                lastTimestamp: "2026-01-01T00:00:00Z"
                """);
        assertThat(ok("get", "events").output())
                .containsPattern("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE")
                .containsPattern("\\d+d\\s+Warning\\s+BackOff\\s+pod/web\\s+Back-off restarting failed container app");
        assertThat(ok("get", "events", "-o", "wide").output())
                .containsPattern("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+SUBOBJECT\\s+SOURCE\\s+MESSAGE\\s+FIRST SEEN"
                        + "\\s+COUNT\\s+NAME")
                .containsPattern("pod/web\\s+spec.containers\\{app}\\s+kubelet, node-a\\s+Back-off restarting failed "
                        + "container app\\s+\\d+d\\s+3\\s+web.1");
    }

    @Test
    void deploymentsAreDefaultedAndTheirSelectorMustMatchAndStay() throws Exception {
        apply("deploy.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: default}
                spec:
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec: {containers: [{name: api, image: echo:1}]}
                """);
        JsonNode deployment = get("deployment", "api");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(deployment.at("/spec/strategy/rollingUpdate/maxSurge").asText()).isEqualTo("25%");
        assertThat(deployment.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(deployment.at("/spec/progressDeadlineSeconds").asInt()).isEqualTo(600);
        assertThat(deployment.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Always");

        Command.Result mismatch = cluster.kubectl("apply", "--validate=false", "-f", cluster.file("mismatch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: broken, namespace: default}
                spec:
                  selector: {matchLabels: {app: one}}
                  template:
                    metadata: {labels: {app: two}}
                    spec: {containers: [{name: c, image: x}]}
                """).toString());
        assertThat(mismatch.exitCode()).isEqualTo(1);
        assertThat(mismatch.output()).contains("The Deployment \"broken\" is invalid: spec.template.metadata.labels: "
                + "Invalid value: map[string]string{\"app\":\"two\"}: `selector` does not match template `labels`");

        Command.Result newSelector = cluster.kubectl("patch", "deployment", "api", "--type=merge", "-p",
                "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"api\",\"v\":\"2\"}},\"template\":{\"metadata\":"
                        + "{\"labels\":{\"app\":\"api\",\"v\":\"2\"}}}}}");
        assertThat(newSelector.exitCode()).isEqualTo(1);
        assertThat(newSelector.output()).contains("spec.selector: Invalid value").contains("field is immutable");
    }

    @Test
    void configMapsAndSecretsCheckKeysTypesAndImmutability() throws Exception {
        Command.Result badKey = cluster.kubectl("apply", "-f", cluster.file("badkey.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: badkey, namespace: default}
                data: {"a b": "1"}
                """).toString());
        assertThat(badKey.exitCode()).isEqualTo(1);
        assertThat(badKey.output()).contains("ConfigMap \"badkey\" is invalid: data[a b]: Invalid value: \"a b\": "
                + "a valid config key must consist of alphanumeric characters");

        apply("frozen.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: frozen, namespace: default}
                immutable: true
                data: {mode: a}
                """);
        Command.Result change = cluster.kubectl("patch", "configmap", "frozen", "-p", "{\"data\":{\"mode\":\"b\"}}");
        assertThat(change.exitCode()).isEqualTo(1);
        assertThat(change.output()).contains("data: Forbidden: field is immutable when `immutable` is set");
        Command.Result thaw = cluster.kubectl("patch", "configmap", "frozen", "-p", "{\"immutable\":false}");
        assertThat(thaw.output()).contains("immutable: Forbidden: field is immutable when `immutable` is set");
        ok("label", "configmap", "frozen", "still=editable");

        apply("string-data.yaml", """
                apiVersion: v1
                kind: Secret
                metadata: {name: creds, namespace: default}
                stringData: {password: s3cr3t}
                """);
        JsonNode creds = get("secret", "creds");
        assertThat(creds.at("/type").asText()).isEqualTo("Opaque");
        assertThat(creds.at("/data/password").asText()).isEqualTo("czNjcjN0");
        assertThat(creds.has("stringData")).as("stringData is write-only").isFalse();
        Command.Result retype = cluster.kubectl("patch", "secret", "creds", "-p", "{\"type\":\"kubernetes.io/tls\"}");
        assertThat(retype.output()).contains("type: Invalid value: \"kubernetes.io/tls\": field is immutable");

        Command.Result tls = cluster.kubectl("create", "secret", "generic", "half-tls", "--type=kubernetes.io/tls",
                "--from-literal=tls.crt=x");
        assertThat(tls.exitCode()).isEqualTo(1);
        assertThat(tls.output()).contains("data[tls.key]: Required value");

        String big = "x".repeat(1024 * 1024 + 1);
        HttpResponse<String> tooBig = post("/api/v1/namespaces/default/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\""
                        + big + "\"}}");
        assertThat(tooBig.statusCode()).isEqualTo(422);
        assertThat(tooBig.body()).contains("Too long: may not be more than 1048576 bytes");

        String twice = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"twice\","
                + "\"name\":\"twice\"},\"data\":{\"k\":\"1\",\"k\":\"2\"},\"dta\":{}}";
        HttpResponse<String> strict = post("/api/v1/namespaces/default/configmaps?fieldValidation=Strict", twice);
        assertThat(strict.statusCode()).isEqualTo(400);
        assertThat(strict.body()).contains("ConfigMap in version \\\"v1\\\" cannot be handled as a ConfigMap: strict "
                + "decoding error: duplicate field \\\"metadata.name\\\", duplicate field \\\"data.k\\\", "
                + "unknown field \\\"dta\\\"");
        HttpResponse<String> warned = post("/api/v1/namespaces/default/configmaps", twice);
        assertThat(warned.statusCode()).isEqualTo(201);
        assertThat(warned.headers().allValues("Warning")).singleElement().asString()
                .contains("299 - \"duplicate field \\\"metadata.name\\\"\"", "299 - \"unknown field \\\"dta\\\"\"");
        assertThat(get("configmap", "twice").at("/data/k").asText()).as("the last value wins, as upstream").isEqualTo("2");
    }

    @Test
    void jobsGetASelectorFromTheirUidAndCronJobsAParsedSchedule() throws Exception {
        ok("create", "job", "once", "--image=busybox", "--", "true");
        JsonNode job = get("job", "once");
        String uid = job.at("/metadata/uid").asText();
        assertThat(job.at("/spec/selector/matchLabels/batch.kubernetes.io~1controller-uid").asText()).isEqualTo(uid);
        assertThat(job.at("/spec/template/metadata/labels/batch.kubernetes.io~1job-name").asText()).isEqualTo("once");
        assertThat(job.at("/spec/completions").asInt()).isEqualTo(1);
        assertThat(job.at("/spec/parallelism").asInt()).isEqualTo(1);
        assertThat(job.at("/spec/backoffLimit").asInt()).isEqualTo(6);
        assertThat(job.at("/spec/completionMode").asText()).isEqualTo("NonIndexed");
        Command.Result newImage = cluster.kubectl("set", "image", "job/once", "once=busybox:2");
        assertThat(newImage.exitCode()).isEqualTo(1);
        assertThat(newImage.output()).contains("spec.template: Invalid value").contains("field is immutable");

        Command.Result always = cluster.kubectl("apply", "-f", cluster.file("always.yaml", """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: always, namespace: default}
                spec:
                  template:
                    spec:
                      restartPolicy: Always
                      containers: [{name: c, image: busybox}]
                """).toString());
        assertThat(always.output()).contains("spec.template.spec.restartPolicy: Unsupported value: \"Always\": "
                + "supported values: \"OnFailure\", \"Never\"");

        ok("create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *");
        JsonNode cron = get("cronjob", "tick");
        assertThat(cron.at("/spec/concurrencyPolicy").asText()).isEqualTo("Allow");
        assertThat(cron.at("/spec/successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(cron.at("/spec/failedJobsHistoryLimit").asInt()).isEqualTo(1);
        Command.Result badSchedule = cluster.kubectl("apply", "-f", cluster.file("badcron.yaml", """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: badcron, namespace: default}
                spec:
                  schedule: "61 * * * *"
                  timeZone: Mars/Olympus_Mons
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: Never
                          containers: [{name: c, image: busybox}]
                """).toString());
        assertThat(badSchedule.exitCode()).isEqualTo(1);
        assertThat(badSchedule.output()).contains(
                "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61",
                "spec.timeZone: Invalid value: \"Mars/Olympus_Mons\": unknown time zone Mars/Olympus_Mons");
    }

    @Test
    void podsGetTheirPriorityFromTheirPriorityClass() throws Exception {
        ok("create", "priorityclass", "urgent", "--value=1000", "--preemption-policy=Never");
        ok("run", "urgent-pod", "--image=busybox", "--restart=Never",
                "--overrides={\"spec\":{\"priorityClassName\":\"urgent\"}}");
        JsonNode pod = get("pod", "urgent-pod");
        assertThat(pod.at("/spec/priority").asInt()).isEqualTo(1000);
        assertThat(pod.at("/spec/preemptionPolicy").asText()).isEqualTo("Never");
        assertThat(get("pod", "urgent-pod").at("/spec/priorityClassName").asText()).isEqualTo("urgent");

        Command.Result unknown = cluster.kubectl("run", "lost-pod", "--image=busybox", "--restart=Never",
                "--overrides={\"spec\":{\"priorityClassName\":\"nope\"}}");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.output()).contains("pods \"lost-pod\" is forbidden: no PriorityClass with name nope was found");
        ok("run", "plain-pod", "--image=busybox", "--restart=Never");
        assertThat(get("pod", "plain-pod").at("/spec/priority").asInt()).isZero();
    }

    private static void apply(String name, String manifest) {
        ok("apply", "--validate=false", "-f", cluster.file(name, manifest).toString());
    }

    private static JsonNode get(String kind, String name) throws Exception {
        return JSON.readTree(ok("get", kind, name, "-o", "json").output());
    }

    private static HttpResponse<String> post(String path, String body) {
        return cluster.admin().send(HttpRequest.newBuilder(URI.create(cluster.url() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Command.Result ok(String... args) {
        return cluster.kubectl(args).assertSuccess();
    }
}
