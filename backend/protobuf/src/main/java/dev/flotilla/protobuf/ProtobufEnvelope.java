package dev.flotilla.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

/**
 * The wrapper around every Kubernetes protobuf object: the bytes {@code k8s\0}, then a
 * runtime.Unknown message whose typeMeta names the object's apiVersion and kind and whose raw field
 * holds the object's own message. Kept apart so the object decoders only ever see the inner
 * message.
 */
record ProtobufEnvelope(String apiVersion, String kind, byte[] raw) {

  /** The prefix of every Kubernetes protobuf body: "k8s" and a zero byte. */
  static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

  private static final String UNKNOWN = "k8s.io.apimachinery.pkg.runtime.Unknown";

  /** Whether bytes begin with {@link #MAGIC}. */
  static boolean hasMagic(byte[] bytes) {
    if (bytes == null || bytes.length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  static ProtobufEnvelope parse(byte[] body) {
    if (!hasMagic(body)) {
      throw new ProtobufDecodeException(
          "not a Kubernetes protobuf body: it does not start with the k8s\\0 prefix");
    }
    Descriptor unknown = ApiSchema.get().message(UNKNOWN);
    DynamicMessage envelope;
    try {
      envelope = DynamicMessage.parseFrom(
          unknown, ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
    } catch (InvalidProtocolBufferException e) {
      throw new ProtobufDecodeException(
          "malformed Kubernetes protobuf envelope: " + e.getMessage(), e);
    }
    Message typeMeta = (Message) envelope.getField(unknown.findFieldByName("typeMeta"));
    String apiVersion = text(typeMeta, "apiVersion");
    String kind = text(typeMeta, "kind");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      throw new ProtobufDecodeException(
          "Kubernetes protobuf envelope names no apiVersion and kind");
    }
    String contentEncoding = text(envelope, "contentEncoding");
    if (!contentEncoding.isEmpty()) {
      throw new ProtobufDecodeException(
          "unsupported content encoding " + contentEncoding + " in protobuf envelope");
    }
    String contentType = text(envelope, "contentType");
    if (!contentType.isEmpty() && !KubernetesProtobuf.isProtobuf(contentType)) {
      throw new ProtobufDecodeException(
          "unsupported content type " + contentType + " in protobuf envelope");
    }
    ByteString raw = (ByteString) envelope.getField(unknown.findFieldByName("raw"));
    return new ProtobufEnvelope(apiVersion, kind, raw.toByteArray());
  }

  static byte[] build(String apiVersion, String kind, ByteString raw) {
    Descriptor unknown = ApiSchema.get().message(UNKNOWN);
    var typeMetaField = unknown.findFieldByName("typeMeta");
    Descriptor typeMeta = typeMetaField.getMessageType();
    DynamicMessage envelope = DynamicMessage.newBuilder(unknown)
        .setField(typeMetaField, DynamicMessage.newBuilder(typeMeta)
            .setField(typeMeta.findFieldByName("apiVersion"), apiVersion)
            .setField(typeMeta.findFieldByName("kind"), kind)
            .build())
        .setField(unknown.findFieldByName("raw"), raw)
        .build();
    byte[] message = envelope.toByteArray();
    byte[] body = new byte[MAGIC.length + message.length];
    System.arraycopy(MAGIC, 0, body, 0, MAGIC.length);
    System.arraycopy(message, 0, body, MAGIC.length, message.length);
    return body;
  }

  private static String text(Message message, String field) {
    return (String) message.getField(message.getDescriptorForType().findFieldByName(field));
  }
}
