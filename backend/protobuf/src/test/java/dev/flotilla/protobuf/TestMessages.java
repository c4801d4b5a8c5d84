package dev.flotilla.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;

/**
 * Builds Kubernetes protobuf messages by hand for tests, the way a Go client would put them on the
 * wire: fields by proto name, nested builders, map entries, and the k8s envelope around the top.
 */
final class TestMessages {

  private final DynamicMessage.Builder builder;

  private TestMessages(Descriptor type) {
    this.builder = DynamicMessage.newBuilder(type);
  }

  /** A builder for a message type, by full protobuf name (k8s.io.api.core.v1.Pod). */
  static TestMessages of(String fullName) {
    return new TestMessages(ApiSchema.get().message(fullName));
  }

  TestMessages set(String field, Object value) {
    builder.setField(field(field), unwrap(value));
    return this;
  }

  TestMessages add(String field, Object value) {
    builder.addRepeatedField(field(field), unwrap(value));
    return this;
  }

  TestMessages put(String mapField, String key, Object value) {
    FieldDescriptor field = field(mapField);
    Descriptor entry = field.getMessageType();
    builder.addRepeatedField(field, DynamicMessage.newBuilder(entry)
        .setField(entry.findFieldByName("key"), key)
        .setField(entry.findFieldByName("value"), unwrap(value))
        .build());
    return this;
  }

  Message build() {
    return builder.build();
  }

  /** The whole request body: magic, runtime.Unknown envelope, this message as raw. */
  byte[] body(String apiVersion, String kind) {
    return ProtobufEnvelope.build(apiVersion, kind, build().toByteString());
  }

  private FieldDescriptor field(String name) {
    FieldDescriptor field = builder.getDescriptorForType().findFieldByName(name);
    if (field == null) {
      throw new IllegalArgumentException(
          builder.getDescriptorForType().getFullName() + " has no field " + name);
    }
    return field;
  }

  private static Object unwrap(Object value) {
    if (value instanceof TestMessages nested) {
      return nested.build();
    }
    if (value instanceof byte[] bytes) {
      return ByteString.copyFrom(bytes);
    }
    return value;
  }
}
