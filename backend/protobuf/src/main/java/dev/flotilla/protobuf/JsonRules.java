package dev.flotilla.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Map;
import java.util.Set;

/**
 * Our rules for writing a Kubernetes protobuf message as the JSON Kubernetes uses, in one place.
 * The protobuf schema says nothing about JSON, so these are written down from what we know of the
 * Kubernetes Go types; see README.md ("How a message becomes JSON") for the reasoning.
 *
 * <p>Entries name a field either as {@code Message.field} (the message's simple name, in whatever
 * group and version it occurs) or as a bare {@code field} (every field of that name, in every
 * message). {@code JsonRulesTest} checks that every entry still matches a field of the schema.
 */
final class JsonRules {

  private JsonRules() {}

  /**
   * Go structs embedded with {@code json:",inline"}: their fields are written into the parent's
   * JSON object instead of under a key of their own.
   */
  static final Set<String> INLINED = Set.of(
      "Volume.volumeSource",
      "PersistentVolumeSpec.persistentVolumeSource",
      "Probe.handler",
      "EphemeralContainer.ephemeralContainerCommon",
      "ConfigMapEnvSource.localObjectReference",
      "ConfigMapKeySelector.localObjectReference",
      "ConfigMapProjection.localObjectReference",
      "ConfigMapVolumeSource.localObjectReference",
      "SecretEnvSource.localObjectReference",
      "SecretKeySelector.localObjectReference",
      "SecretProjection.localObjectReference",
      "IngressRule.ingressRuleValue",
      "RuleWithOperations.rule",
      "NamedRuleWithOperations.ruleWithOperations",
      "DeviceClaimConfiguration.deviceConfiguration",
      "DeviceClassConfiguration.deviceConfiguration",
      "DeviceAllocationConfiguration.deviceConfiguration");

  /**
   * Scalars written whenever they are on the wire, an explicit {@code 0}, {@code false} or
   * {@code ""} included. Every other scalar is written only when it is not zero, because Go's
   * protobuf encoder puts plain (non-pointer) fields on the wire even when they are empty, so the
   * wire cannot tell "explicitly zero" from "unset". These are the fields where the difference
   * matters and Kubernetes' Go type is a pointer (so a Go client sends them only when set), plus
   * the few plain fields without omitempty whose zero is the answer (marked).
   */
  static final Set<String> EXPLICIT_ZERO = Set.of(
      // Object metadata and delete options
      "deletionGracePeriodSeconds",
      "gracePeriodSeconds",
      "orphanDependents",
      "OwnerReference.controller",
      "blockOwnerDeletion",
      // ConfigMap, Secret, ServiceAccount
      "immutable",
      "automountServiceAccountToken",
      // Workloads (ScaleSpec.replicas is a plain int32 in Go, kept so "scale to 0" stays explicit)
      "DeploymentSpec.replicas",
      "ReplicaSetSpec.replicas",
      "StatefulSetSpec.replicas",
      "ReplicationControllerSpec.replicas",
      "ScaleSpec.replicas",
      "revisionHistoryLimit",
      "progressDeadlineSeconds",
      "RollingUpdateStatefulSetStrategy.partition",
      "minReplicas",
      "stabilizationWindowSeconds",
      // Jobs and CronJobs
      "suspend",
      "parallelism",
      "completions",
      "backoffLimit",
      "backoffLimitPerIndex",
      "maxFailedIndexes",
      "activeDeadlineSeconds",
      "ttlSecondsAfterFinished",
      "manualSelector",
      "successfulJobsHistoryLimit",
      "failedJobsHistoryLimit",
      "startingDeadlineSeconds",
      // Pods and containers
      "terminationGracePeriodSeconds",
      "enableServiceLinks",
      "shareProcessNamespace",
      "setHostnameAsFQDN",
      "hostUsers",
      "PodSpec.priority",
      "runAsUser",
      "runAsGroup",
      "runAsNonRoot",
      "fsGroup",
      "privileged",
      "allowPrivilegeEscalation",
      "readOnlyRootFilesystem",
      "hostProcess",
      // Volumes, env sources, projected tokens
      "optional",
      "defaultMode",
      "mode",
      "expirationSeconds",
      "PersistentVolumeClaimSpec.storageClassName",
      // Services, endpoints, leases, storage
      "allocateLoadBalancerNodePorts",
      "EndpointConditions.ready",
      "EndpointConditions.serving",
      "EndpointConditions.terminating",
      "leaseDurationSeconds",
      "leaseTransitions",
      "allowVolumeExpansion",
      "attachRequired",
      "podInfoOnMount",
      "storageCapacity",
      "requiresRepublish",
      "seLinuxMount",
      // Plain Go fields without omitempty, whose zero is the answer
      "SubjectAccessReviewStatus.allowed",
      "PriorityClass.value");

  /** Go slice types that protobuf wraps in a message with one repeated field: bare JSON arrays. */
  static final Set<String> ARRAY_WRAPPERS = Set.of("ExtraValue", "Verbs");

  /**
   * JSON names that are not the protobuf field name nor its {@link #camelCase} form: a Go field
   * whose json tag is an upper-case name.
   */
  static final Map<String, String> JSON_NAMES = Map.of("DaemonEndpoint.Port", "Port");

  static boolean inlined(FieldDescriptor field) {
    return matches(INLINED, field, false);
  }

  static boolean explicitZero(FieldDescriptor field) {
    return matches(EXPLICIT_ZERO, field, true);
  }

  static boolean arrayWrapper(Descriptor message) {
    return ARRAY_WRAPPERS.contains(message.getName());
  }

  /**
   * The JSON key of a field. Kubernetes' protobuf field names are their JSON names, except where
   * the .proto was generated from a Go field name rather than a json tag ({@code Webhooks},
   * {@code uID}, {@code aPIGroup}): those read as Go's lower camel case ({@code webhooks},
   * {@code uid}, {@code apiGroup}), bar the {@link #JSON_NAMES} exceptions.
   */
  static String jsonName(FieldDescriptor field) {
    String exception = JSON_NAMES.get(field.getContainingType().getName() + "." + field.getName());
    return exception != null ? exception : camelCase(field.getName());
  }

  /**
   * Lower camel case as Go spells it: the first letter in lower case, and so are the capitals right
   * after it, except the last of them when a lower-case letter follows (it starts the next word):
   * {@code Webhooks} → {@code webhooks}, {@code uID} → {@code uid}, {@code aPIGroup} →
   * {@code apiGroup}. Lower camel case names ({@code apiVersion}, {@code podIPs}) are unchanged.
   */
  static String camelCase(String name) {
    char[] chars = name.toCharArray();
    chars[0] = Character.toLowerCase(chars[0]);
    for (int i = 1; i < chars.length && Character.isUpperCase(chars[i]); i++) {
      if (i + 1 < chars.length && Character.isLowerCase(chars[i + 1])) {
        break;
      }
      chars[i] = Character.toLowerCase(chars[i]);
    }
    return new String(chars);
  }

  private static boolean matches(Set<String> rules, FieldDescriptor field, boolean byName) {
    return rules.contains(field.getContainingType().getName() + "." + field.getName())
        || (byName && rules.contains(field.getName()));
  }
}
