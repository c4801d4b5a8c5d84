package dev.flotilla.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which message an apiVersion/kind names, derived from the schema itself: a file of package
 * {@code k8s.io.api.<segment>.<version>} holds the kinds of one group version, the group being
 * {@link #GROUPS}{@code .get(segment)}. A kind is a top-level message with object or list metadata
 * that no other message embeds as a single field (which rules out PodTemplateSpec and the like).
 * The meta.k8s.io option types and Status are accepted under every apiVersion, as every API group
 * version registers them.
 */
final class ApiKinds {

  private ApiKinds() {}

  static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

  private static final String API_PACKAGE = "k8s.io.api.";

  /** The API group of each package segment under {@code k8s.io.api}. */
  static final Map<String, String> GROUPS = Map.ofEntries(
      Map.entry("core", ""),
      Map.entry("admission", "admission.k8s.io"),
      Map.entry("admissionregistration", "admissionregistration.k8s.io"),
      Map.entry("apidiscovery", "apidiscovery.k8s.io"),
      Map.entry("apiserverinternal", "internal.apiserver.k8s.io"),
      Map.entry("apps", "apps"),
      Map.entry("authentication", "authentication.k8s.io"),
      Map.entry("authorization", "authorization.k8s.io"),
      Map.entry("autoscaling", "autoscaling"),
      Map.entry("batch", "batch"),
      Map.entry("certificates", "certificates.k8s.io"),
      Map.entry("coordination", "coordination.k8s.io"),
      Map.entry("discovery", "discovery.k8s.io"),
      Map.entry("events", "events.k8s.io"),
      Map.entry("extensions", "extensions"),
      Map.entry("flowcontrol", "flowcontrol.apiserver.k8s.io"),
      Map.entry("imagepolicy", "imagepolicy.k8s.io"),
      Map.entry("networking", "networking.k8s.io"),
      Map.entry("node", "node.k8s.io"),
      Map.entry("policy", "policy"),
      Map.entry("rbac", "rbac.authorization.k8s.io"),
      Map.entry("resource", "resource.k8s.io"),
      Map.entry("scheduling", "scheduling.k8s.io"),
      Map.entry("storage", "storage.k8s.io"),
      Map.entry("storagemigration", "storagemigration.k8s.io"));

  /** Kinds without object metadata that are still request bodies of their group. */
  private static final Set<String> KINDS_WITHOUT_METADATA = Set.of("AdmissionReview");

  /** meta.k8s.io/v1 messages every group version accepts. */
  static final Set<String> META_KINDS_EVERYWHERE = Set.of(
      "CreateOptions", "DeleteOptions", "GetOptions", "ListOptions", "PatchOptions",
      "UpdateOptions", "Status", "WatchEvent");

  /** meta.k8s.io/v1 messages of their own group (meta.k8s.io/v1, v1beta1). */
  private static final Set<String> META_GROUP_KINDS = Set.of(
      "PartialObjectMetadata", "PartialObjectMetadataList");

  /** meta.k8s.io/v1 discovery documents, served as the legacy "v1" group version. */
  private static final Set<String> META_V1_KINDS = Set.of(
      "APIVersions", "APIGroupList", "APIGroup", "APIResourceList");

  /** "apiVersion\tkind" → message, for the k8s.io.api kinds of the given files. */
  static Map<String, Descriptor> derive(Collection<FileDescriptor> files) {
    Set<Descriptor> embedded = new HashSet<>();
    for (FileDescriptor file : files) {
      for (Descriptor message : file.getMessageTypes()) {
        for (FieldDescriptor field : message.getFields()) {
          if (!field.isRepeated() && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            embedded.add(field.getMessageType());
          }
        }
      }
    }
    Map<String, Descriptor> kinds = new HashMap<>();
    for (FileDescriptor file : files) {
      String apiVersion = apiVersion(file.getPackage());
      if (apiVersion == null) {
        continue;
      }
      for (Descriptor message : file.getMessageTypes()) {
        if ((hasObjectMetadata(message) && !embedded.contains(message))
            || KINDS_WITHOUT_METADATA.contains(message.getName())) {
          kinds.put(apiVersion + "\t" + message.getName(), message);
        }
      }
    }
    return kinds;
  }

  /**
   * The full name of the meta.k8s.io message an apiVersion/kind names, or {@code null}: used when
   * the kind is none of the group's own.
   */
  static String metaMessage(String apiVersion, String kind) {
    if (META_KINDS_EVERYWHERE.contains(kind)
        || (META_GROUP_KINDS.contains(kind)
            && (apiVersion.equals("meta.k8s.io/v1") || apiVersion.equals("meta.k8s.io/v1beta1")))
        || (META_V1_KINDS.contains(kind) && apiVersion.equals("v1"))) {
      return META + kind;
    }
    return null;
  }

  /** "apps/v1" for package k8s.io.api.apps.v1, "v1" for core; null outside k8s.io.api. */
  static String apiVersion(String protoPackage) {
    if (!protoPackage.startsWith(API_PACKAGE)) {
      return null;
    }
    String[] segments = protoPackage.substring(API_PACKAGE.length()).split("\\.");
    String group = segments.length == 2 ? GROUPS.get(segments[0]) : null;
    if (group == null) {
      return null;
    }
    return group.isEmpty() ? segments[1] : group + "/" + segments[1];
  }

  private static boolean hasObjectMetadata(Descriptor message) {
    FieldDescriptor metadata = message.findFieldByName("metadata");
    if (metadata == null || metadata.isRepeated()
        || metadata.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return false;
    }
    String type = metadata.getMessageType().getFullName();
    return type.equals(META + "ObjectMeta") || type.equals(META + "ListMeta");
  }
}
