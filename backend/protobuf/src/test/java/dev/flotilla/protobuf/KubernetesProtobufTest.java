package dev.flotilla.protobuf;

import static dev.flotilla.protobuf.JsonTrees.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Decoding hand-built messages, shaped the way Go clients put them on the wire (plain Go values are
 * always written, pointers only when set), into the JSON Kubernetes writes for them.
 */
class KubernetesProtobufTest {

  private static final String CORE = "k8s.io.api.core.v1.";
  private static final String APPS = "k8s.io.api.apps.v1.";
  private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
  private static final String INTSTR = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";

  @Test
  void recognisesTheProtobufMediaType() {
    assertThat(KubernetesProtobuf.isProtobuf("application/vnd.kubernetes.protobuf")).isTrue();
    assertThat(KubernetesProtobuf.isProtobuf("Application/Vnd.Kubernetes.Protobuf ; charset=x"))
        .isTrue();
    assertThat(KubernetesProtobuf.isProtobuf("application/vnd.kubernetes.protobuf;stream=watch"))
        .isTrue();
    assertThat(KubernetesProtobuf.isProtobuf("application/json")).isFalse();
    assertThat(KubernetesProtobuf.isProtobuf("application/vnd.kubernetes.protobuf.extra")).isFalse();
    assertThat(KubernetesProtobuf.isProtobuf("")).isFalse();
    assertThat(KubernetesProtobuf.isProtobuf(null)).isFalse();
  }

  @Test
  void decodesNamespaceWithGoZeroValues() {
    byte[] body = TestMessages.of(CORE + "Namespace")
        .set("metadata", objectMeta("demo", ""))
        .set("spec", TestMessages.of(CORE + "NamespaceSpec"))
        .set("status", TestMessages.of(CORE + "NamespaceStatus").set("phase", ""))
        .body("v1", "Namespace");

    assertThat(KubernetesProtobuf.decode(body)).isEqualTo(json("""
        {'apiVersion': 'v1', 'kind': 'Namespace',
         'metadata': {'name': 'demo', 'creationTimestamp': null},
         'spec': {}, 'status': {}}"""));
  }

  @Test
  void decodesConfigMapDataBinaryDataAndExplicitFalse() {
    byte[] body = TestMessages.of(CORE + "ConfigMap")
        .set("metadata", objectMeta("settings", "default"))
        .put("data", "mode", "fast")
        .put("data", "empty", "")
        .put("binaryData", "blob", new byte[] {0, 1, 2, (byte) 0xff})
        .set("immutable", false)
        .body("v1", "ConfigMap");

    assertThat(KubernetesProtobuf.decode(body)).isEqualTo(json("""
        {'apiVersion': 'v1', 'kind': 'ConfigMap',
         'metadata': {'name': 'settings', 'namespace': 'default', 'creationTimestamp': null},
         'data': {'mode': 'fast', 'empty': ''},
         'binaryData': {'blob': 'AAEC/w=='},
         'immutable': false}"""));
  }

  @Test
  void decodesSecretBytesAsBase64() {
    byte[] body = TestMessages.of(CORE + "Secret")
        .set("metadata", objectMeta("token", "default"))
        .put("data", "password", "s3cr3t".getBytes(StandardCharsets.UTF_8))
        .set("type", "Opaque")
        .body("v1", "Secret");

    assertThat(KubernetesProtobuf.decode(body)).isEqualTo(json("""
        {'apiVersion': 'v1', 'kind': 'Secret',
         'metadata': {'name': 'token', 'namespace': 'default', 'creationTimestamp': null},
         'data': {'password': 'czNjcjN0'},
         'type': 'Opaque'}"""));
  }

  @Test
  void decodesDeploymentWithZeroReplicasIntOrStringAndTime() {
    long created = Instant.parse("2024-01-02T03:04:05Z").getEpochSecond();
    TestMessages metadata = objectMeta("web", "default")
        .set("creationTimestamp", TestMessages.of(META + "Time").set("seconds", created))
        .put("labels", "app", "web");
    TestMessages rollingUpdate = TestMessages.of(APPS + "RollingUpdateDeployment")
        .set("maxUnavailable", TestMessages.of(INTSTR).set("type", 0L).set("intVal", 1))
        .set("maxSurge", TestMessages.of(INTSTR).set("type", 1L).set("strVal", "25%"));
    TestMessages spec = TestMessages.of(APPS + "DeploymentSpec")
        .set("replicas", 0)
        .set("selector", TestMessages.of(META + "LabelSelector").put("matchLabels", "app", "web"))
        .set("template", TestMessages.of(CORE + "PodTemplateSpec")
            .set("metadata", objectMeta("", "").put("labels", "app", "web"))
            .set("spec", TestMessages.of(CORE + "PodSpec").add("containers",
                TestMessages.of(CORE + "Container").set("name", "web").set("image", "nginx")
                    .set("resources", TestMessages.of(CORE + "ResourceRequirements")))))
        .set("strategy", TestMessages.of(APPS + "DeploymentStrategy")
            .set("type", "RollingUpdate").set("rollingUpdate", rollingUpdate))
        .set("minReadySeconds", 0)
        .set("paused", false);
    byte[] body = TestMessages.of(APPS + "Deployment")
        .set("metadata", metadata)
        .set("spec", spec)
        .set("status", TestMessages.of(APPS + "DeploymentStatus"))
        .body("apps/v1", "Deployment");

    assertThat(KubernetesProtobuf.decode(body)).isEqualTo(json("""
        {'apiVersion': 'apps/v1', 'kind': 'Deployment',
         'metadata': {'name': 'web', 'namespace': 'default',
                      'creationTimestamp': '2024-01-02T03:04:05Z', 'labels': {'app': 'web'}},
         'spec': {'replicas': 0,
                  'selector': {'matchLabels': {'app': 'web'}},
                  'template': {'metadata': {'creationTimestamp': null, 'labels': {'app': 'web'}},
                               'spec': {'containers': [
                                   {'name': 'web', 'image': 'nginx', 'resources': {}}]}},
                  'strategy': {'type': 'RollingUpdate',
                               'rollingUpdate': {'maxUnavailable': 1, 'maxSurge': '25%'}}},
         'status': {}}"""));
  }

  @Test
  void leavesUnsetPointersOut() {
    byte[] body = TestMessages.of(APPS + "Deployment")
        .set("spec", TestMessages.of(APPS + "DeploymentSpec"))
        .body("apps/v1", "Deployment");

    assertThat(KubernetesProtobuf.decode(body).path("spec").has("replicas")).isFalse();
  }

  @Test
  void decodesServicePortsWithIntegerTargetPort() {
    TestMessages port = TestMessages.of(CORE + "ServicePort")
        .set("name", "http").set("protocol", "TCP").set("port", 80)
        .set("targetPort", TestMessages.of(INTSTR).set("type", 0L).set("intVal", 8080))
        .set("nodePort", 0);
    byte[] body = TestMessages.of(CORE + "Service")
        .set("metadata", objectMeta("web", "default"))
        .set("spec", TestMessages.of(CORE + "ServiceSpec")
            .add("ports", port).put("selector", "app", "web").set("type", "ClusterIP")
            .set("clusterIP", ""))
        .set("status", TestMessages.of(CORE + "ServiceStatus")
            .set("loadBalancer", TestMessages.of(CORE + "LoadBalancerStatus")))
        .body("v1", "Service");

    assertThat(KubernetesProtobuf.decode(body)).isEqualTo(json("""
        {'apiVersion': 'v1', 'kind': 'Service',
         'metadata': {'name': 'web', 'namespace': 'default', 'creationTimestamp': null},
         'spec': {'ports': [{'name': 'http', 'protocol': 'TCP', 'port': 80, 'targetPort': 8080}],
                  'selector': {'app': 'web'}, 'type': 'ClusterIP'},
         'status': {'loadBalancer': {}}}"""));
  }

  @Test
  void decodesSelfSubjectAccessReview() {
    byte[] body = TestMessages.of("k8s.io.api.authorization.v1.SelfSubjectAccessReview")
        .set("metadata", objectMeta("", ""))
        .set("status", TestMessages.of("k8s.io.api.authorization.v1.SubjectAccessReviewStatus")
            .set("allowed", false).set("denied", false).set("reason", ""))
        .set("spec", TestMessages.of("k8s.io.api.authorization.v1.SelfSubjectAccessReviewSpec")
            .set("resourceAttributes", TestMessages.of("k8s.io.api.authorization.v1.ResourceAttributes")
                .set("namespace", "default").set("verb", "get").set("resource", "pods")
                .set("group", "").set("name", "")))
        .body("authorization.k8s.io/v1", "SelfSubjectAccessReview");

    assertThat(KubernetesProtobuf.decode(body)).isEqualTo(json("""
        {'apiVersion': 'authorization.k8s.io/v1', 'kind': 'SelfSubjectAccessReview',
         'metadata': {'creationTimestamp': null},
         'spec': {'resourceAttributes': {'namespace': 'default', 'verb': 'get', 'resource': 'pods'}},
         'status': {'allowed': false}}"""));
  }

  @Test
  void inlinesGoEmbeddedStructs() {
    TestMessages volume = TestMessages.of(CORE + "Volume")
        .set("name", "config")
        .set("volumeSource", TestMessages.of(CORE + "VolumeSource")
            .set("configMap", TestMessages.of(CORE + "ConfigMapVolumeSource")
                .set("localObjectReference",
                    TestMessages.of(CORE + "LocalObjectReference").set("name", "settings"))));
    byte[] body = TestMessages.of(CORE + "Pod")
        .set("spec", TestMessages.of(CORE + "PodSpec").add("volumes", volume))
        .body("v1", "Pod");

    assertThat(KubernetesProtobuf.decode(body).path("spec")).isEqualTo(json("""
        {'volumes': [{'name': 'config', 'configMap': {'name': 'settings'}}]}"""));
  }

  @Test
  void decodesMicroTimeWithSixDigits() {
    long renewed = Instant.parse("2024-01-02T03:04:05Z").getEpochSecond();
    byte[] body = TestMessages.of("k8s.io.api.coordination.v1.Lease")
        .set("spec", TestMessages.of("k8s.io.api.coordination.v1.LeaseSpec")
            .set("holderIdentity", "node-1")
            .set("acquireTime", TestMessages.of(META + "MicroTime").set("seconds", renewed))
            .set("renewTime", TestMessages.of(META + "MicroTime")
                .set("seconds", renewed).set("nanos", 123_456_789)))
        .body("coordination.k8s.io/v1", "Lease");

    assertThat(KubernetesProtobuf.decode(body).path("spec")).isEqualTo(json("""
        {'holderIdentity': 'node-1', 'acquireTime': '2024-01-02T03:04:05.000000Z',
         'renewTime': '2024-01-02T03:04:05.123456Z'}"""));
  }

  @Test
  void embedsRawExtensionAndFieldsV1Json() {
    TestMessages managed = TestMessages.of(META + "ManagedFieldsEntry")
        .set("manager", "kubectl").set("operation", "Update")
        .set("fieldsType", "FieldsV1")
        .set("fieldsV1", TestMessages.of(META + "FieldsV1")
            .set("Raw", "{\"f:data\":{}}".getBytes(StandardCharsets.UTF_8)));
    byte[] body = TestMessages.of(APPS + "ControllerRevision")
        .set("metadata", objectMeta("rev", "default").add("managedFields", managed))
        .set("data", TestMessages.of("k8s.io.apimachinery.pkg.runtime.RawExtension")
            .set("raw", "{\"spec\":{\"replicas\":3}}".getBytes(StandardCharsets.UTF_8)))
        .set("revision", 2L)
        .body("apps/v1", "ControllerRevision");

    assertThat(KubernetesProtobuf.decode(body)).isEqualTo(json("""
        {'apiVersion': 'apps/v1', 'kind': 'ControllerRevision',
         'metadata': {'name': 'rev', 'namespace': 'default', 'creationTimestamp': null,
                      'managedFields': [{'manager': 'kubectl', 'operation': 'Update',
                                         'fieldsType': 'FieldsV1',
                                         'fieldsV1': {'f:data': {}}}]},
         'data': {'spec': {'replicas': 3}},
         'revision': 2}"""));
  }

  @Test
  void decodesProtobufNestedInRawExtension() {
    byte[] pod = TestMessages.of(CORE + "Pod").set("metadata", objectMeta("p", ""))
        .set("spec", TestMessages.of(CORE + "PodSpec"))
        .set("status", TestMessages.of(CORE + "PodStatus"))
        .body("v1", "Pod");
    byte[] body = TestMessages.of(CORE + "List")
        .add("items", TestMessages.of("k8s.io.apimachinery.pkg.runtime.RawExtension").set("raw", pod))
        .body("v1", "List");

    assertThat(KubernetesProtobuf.decode(body).path("items").get(0)).isEqualTo(json("""
        {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p', 'creationTimestamp': null},
         'spec': {}, 'status': {}}"""));
  }

  @Test
  void writesExtraValueAsBareArray() {
    byte[] body = TestMessages.of("k8s.io.api.authorization.v1.SubjectAccessReview")
        .set("spec", TestMessages.of("k8s.io.api.authorization.v1.SubjectAccessReviewSpec")
            .set("user", "alice")
            .put("extra", "scopes", TestMessages.of("k8s.io.api.authorization.v1.ExtraValue")
                .add("items", "read").add("items", "write")))
        .body("authorization.k8s.io/v1", "SubjectAccessReview");

    assertThat(KubernetesProtobuf.decode(body).path("spec")).isEqualTo(json("""
        {'user': 'alice', 'extra': {'scopes': ['read', 'write']}}"""));
  }

  @Test
  void decodesDeleteOptionsUnderAnyGroupVersion() {
    byte[] body = TestMessages.of(META + "DeleteOptions")
        .set("gracePeriodSeconds", 0L)
        .set("propagationPolicy", "Foreground")
        .body("apps/v1", "DeleteOptions");

    assertThat(KubernetesProtobuf.decode(body)).isEqualTo(json("""
        {'apiVersion': 'apps/v1', 'kind': 'DeleteOptions',
         'gracePeriodSeconds': 0, 'propagationPolicy': 'Foreground'}"""));
  }

  @Test
  void keepsExplicitZeroOnlyWhereKubernetesHasAPointer() {
    TestMessages container = TestMessages.of(CORE + "Container")
        .set("name", "app").set("image", "busybox").set("stdin", false).set("tty", false)
        .set("resources", TestMessages.of(CORE + "ResourceRequirements"))
        .set("securityContext", TestMessages.of(CORE + "SecurityContext")
            .set("runAsUser", 0L).set("runAsNonRoot", false).set("privileged", false))
        .add("env", TestMessages.of(CORE + "EnvVar").set("name", "K").set("value", "")
            .set("valueFrom", TestMessages.of(CORE + "EnvVarSource")
                .set("configMapKeyRef", TestMessages.of(CORE + "ConfigMapKeySelector")
                    .set("localObjectReference",
                        TestMessages.of(CORE + "LocalObjectReference").set("name", "cm"))
                    .set("key", "k").set("optional", false))));
    byte[] body = TestMessages.of(CORE + "Pod")
        .set("spec", TestMessages.of(CORE + "PodSpec")
            .add("containers", container)
            .set("hostNetwork", false)
            .set("terminationGracePeriodSeconds", 0L)
            .set("automountServiceAccountToken", false)
            .set("enableServiceLinks", false)
            .set("priority", 0)
            .set("restartPolicy", "")
            .set("securityContext", TestMessages.of(CORE + "PodSecurityContext")
                .set("fsGroup", 0L)))
        .body("v1", "Pod");

    assertThat(KubernetesProtobuf.decode(body).path("spec")).isEqualTo(json("""
        {'containers': [{'name': 'app', 'image': 'busybox', 'resources': {},
                         'env': [{'name': 'K', 'valueFrom': {'configMapKeyRef':
                             {'name': 'cm', 'key': 'k', 'optional': false}}}],
                         'securityContext': {'runAsUser': 0, 'runAsNonRoot': false,
                                             'privileged': false}}],
         'terminationGracePeriodSeconds': 0, 'automountServiceAccountToken': false,
         'enableServiceLinks': false, 'priority': 0,
         'securityContext': {'fsGroup': 0}}"""));
  }

  @Test
  void inlinesProbeHandlersAndIngressRuleValues() {
    TestMessages probe = TestMessages.of(CORE + "Probe")
        .set("handler", TestMessages.of(CORE + "ProbeHandler")
            .set("httpGet", TestMessages.of(CORE + "HTTPGetAction").set("path", "/healthz")
                .set("port", TestMessages.of(INTSTR).set("type", 1L).set("strVal", "http"))))
        .set("periodSeconds", 10);
    byte[] pod = TestMessages.of(CORE + "Pod")
        .set("spec", TestMessages.of(CORE + "PodSpec").add("containers",
            TestMessages.of(CORE + "Container").set("name", "web").set("livenessProbe", probe)))
        .body("v1", "Pod");
    assertThat(KubernetesProtobuf.decode(pod).path("spec").path("containers").get(0))
        .isEqualTo(json("""
            {'name': 'web', 'livenessProbe': {'httpGet': {'path': '/healthz', 'port': 'http'},
                                              'periodSeconds': 10}}"""));

    String networking = "k8s.io.api.networking.v1.";
    byte[] ingress = TestMessages.of(networking + "Ingress")
        .set("spec", TestMessages.of(networking + "IngressSpec").add("rules",
            TestMessages.of(networking + "IngressRule").set("host", "example.com")
                .set("ingressRuleValue", TestMessages.of(networking + "IngressRuleValue")
                    .set("http", TestMessages.of(networking + "HTTPIngressRuleValue")
                        .add("paths", TestMessages.of(networking + "HTTPIngressPath")
                            .set("path", "/").set("pathType", "Prefix"))))))
        .body("networking.k8s.io/v1", "Ingress");
    assertThat(KubernetesProtobuf.decode(ingress).path("spec")).isEqualTo(json("""
        {'rules': [{'host': 'example.com',
                    'http': {'paths': [{'path': '/', 'pathType': 'Prefix'}]}}]}"""));
  }

  @Test
  void mapsGoFieldNamesToJsonNames() {
    byte[] ingressClass = TestMessages.of("k8s.io.api.networking.v1.IngressClass")
        .set("spec", TestMessages.of("k8s.io.api.networking.v1.IngressClassSpec")
            .set("controller", "example.com/ingress")
            .set("parameters", TestMessages.of(
                    "k8s.io.api.networking.v1.IngressClassParametersReference")
                .set("aPIGroup", "example.com").set("kind", "Params").set("name", "p")))
        .body("networking.k8s.io/v1", "IngressClass");
    assertThat(KubernetesProtobuf.decode(ingressClass).path("spec")).isEqualTo(json("""
        {'controller': 'example.com/ingress',
         'parameters': {'apiGroup': 'example.com', 'kind': 'Params', 'name': 'p'}}"""));

    byte[] node = TestMessages.of(CORE + "Node")
        .set("status", TestMessages.of(CORE + "NodeStatus")
            .set("daemonEndpoints", TestMessages.of(CORE + "NodeDaemonEndpoints")
                .set("kubeletEndpoint", TestMessages.of(CORE + "DaemonEndpoint").set("Port", 10250))))
        .body("v1", "Node");
    assertThat(KubernetesProtobuf.decode(node).path("status")).isEqualTo(json("""
        {'daemonEndpoints': {'kubeletEndpoint': {'Port': 10250}}}"""));

    // And back: encode uses the same names.
    assertThat(KubernetesProtobuf.decode(KubernetesProtobuf.encode(
        KubernetesProtobuf.decode(ingressClass)))).isEqualTo(KubernetesProtobuf.decode(ingressClass));
  }

  /** ObjectMeta as Go writes it: its plain string fields always, empty or not. */
  private static TestMessages objectMeta(String name, String namespace) {
    return TestMessages.of(META + "ObjectMeta")
        .set("name", name).set("generateName", "").set("namespace", namespace)
        .set("uid", "").set("resourceVersion", "").set("generation", 0L)
        .set("creationTimestamp", TestMessages.of(META + "Time"));
  }
}
