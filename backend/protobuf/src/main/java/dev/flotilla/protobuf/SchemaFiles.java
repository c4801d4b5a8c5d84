package dev.flotilla.protobuf;

import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.RuntimeSchema;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Admission;
import io.kubernetes.client.proto.V1Admissionregistration;
import io.kubernetes.client.proto.V1Apiextensions;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Certificates;
import io.kubernetes.client.proto.V1Coordination;
import io.kubernetes.client.proto.V1Discovery;
import io.kubernetes.client.proto.V1Events;
import io.kubernetes.client.proto.V1Flowcontrol;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Node;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Resource;
import io.kubernetes.client.proto.V1Scheduling;
import io.kubernetes.client.proto.V1Storage;
import io.kubernetes.client.proto.V1alpha1Apiserverinternal;
import io.kubernetes.client.proto.V1alpha1Imagepolicy;
import io.kubernetes.client.proto.V1alpha1Rbac;
import io.kubernetes.client.proto.V1alpha1Scheduling;
import io.kubernetes.client.proto.V1beta1Admission;
import io.kubernetes.client.proto.V1beta1Admissionregistration;
import io.kubernetes.client.proto.V1beta1Apiextensions;
import io.kubernetes.client.proto.V1beta1Apps;
import io.kubernetes.client.proto.V1beta1Authentication;
import io.kubernetes.client.proto.V1beta1Authorization;
import io.kubernetes.client.proto.V1beta1Batch;
import io.kubernetes.client.proto.V1beta1Certificates;
import io.kubernetes.client.proto.V1beta1Extensions;
import io.kubernetes.client.proto.V1beta1Policy;
import io.kubernetes.client.proto.V1beta1Rbac;
import io.kubernetes.client.proto.V1beta1Storage;
import io.kubernetes.client.proto.V1beta1Storagemigration;
import io.kubernetes.client.proto.V1beta2Apps;
import io.kubernetes.client.proto.V2Apidiscovery;
import io.kubernetes.client.proto.V2Autoscaling;
import io.kubernetes.client.proto.V2beta1Apidiscovery;
import io.kubernetes.client.proto.V2beta1Autoscaling;
import io.kubernetes.client.proto.V2beta2Autoscaling;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where the Kubernetes protobuf schema comes from: the protoc-generated outer classes of
 * {@code io.kubernetes:client-java-proto}, one per upstream {@code generated.proto}, each holding
 * that file's descriptor. Only the descriptors are used (with DynamicMessage); the generated message
 * classes are never loaded. {@code SchemaFilesTest} checks that this list names every outer class
 * of the jar, so a new version of the library cannot silently drop a group version.
 */
final class SchemaFiles {

  private SchemaFiles() {}

  /** Each outer class's descriptor, as a supplier so that nothing loads before first use. */
  static final List<Supplier<FileDescriptor>> ALL = List.of(
      IntStr::getDescriptor,
      Meta::getDescriptor,
      Resource::getDescriptor,
      Runtime::getDescriptor,
      RuntimeSchema::getDescriptor,
      V1::getDescriptor,
      V1Admission::getDescriptor,
      V1Admissionregistration::getDescriptor,
      V1Apiextensions::getDescriptor,
      V1Apps::getDescriptor,
      V1Authentication::getDescriptor,
      V1Authorization::getDescriptor,
      V1Autoscaling::getDescriptor,
      V1Batch::getDescriptor,
      V1Certificates::getDescriptor,
      V1Coordination::getDescriptor,
      V1Discovery::getDescriptor,
      V1Events::getDescriptor,
      V1Flowcontrol::getDescriptor,
      V1Networking::getDescriptor,
      V1Node::getDescriptor,
      V1Policy::getDescriptor,
      V1Rbac::getDescriptor,
      V1Resource::getDescriptor,
      V1Scheduling::getDescriptor,
      V1Storage::getDescriptor,
      V1alpha1Apiserverinternal::getDescriptor,
      V1alpha1Imagepolicy::getDescriptor,
      V1alpha1Rbac::getDescriptor,
      V1alpha1Scheduling::getDescriptor,
      V1beta1Admission::getDescriptor,
      V1beta1Admissionregistration::getDescriptor,
      V1beta1Apiextensions::getDescriptor,
      V1beta1Apps::getDescriptor,
      V1beta1Authentication::getDescriptor,
      V1beta1Authorization::getDescriptor,
      V1beta1Batch::getDescriptor,
      V1beta1Certificates::getDescriptor,
      V1beta1Extensions::getDescriptor,
      V1beta1Policy::getDescriptor,
      V1beta1Rbac::getDescriptor,
      V1beta1Storage::getDescriptor,
      V1beta1Storagemigration::getDescriptor,
      V1beta2Apps::getDescriptor,
      V2Apidiscovery::getDescriptor,
      V2Autoscaling::getDescriptor,
      V2beta1Apidiscovery::getDescriptor,
      V2beta1Autoscaling::getDescriptor,
      V2beta2Autoscaling::getDescriptor);
}
