package dev.flotilla.protobuf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Locale;

/**
 * Entry point for Kubernetes protobuf bodies ({@code application/vnd.kubernetes.protobuf}).
 *
 * <p>kubectl's typed clients send protobuf with no JSON fallback, while the server works on JSON
 * trees; {@link #decode} turns such a body into the JSON Kubernetes uses for the object (empty
 * values left out except where an explicit zero matters, inlined structs, Time/Quantity/IntOrString
 * and friends: see {@link JsonRules}), so the rest of the request path never sees protobuf.
 * {@link #encode} does the reverse and exists for tests and tools.
 */
public final class KubernetesProtobuf {

  /** The media type kubectl and client-go send and accept for protobuf. */
  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

  private KubernetesProtobuf() {}

  /** Whether a Content-Type header names Kubernetes protobuf (parameters and case ignored). */
  public static boolean isProtobuf(String contentType) {
    if (contentType == null) {
      return false;
    }
    int parameters = contentType.indexOf(';');
    String mediaType = parameters < 0 ? contentType : contentType.substring(0, parameters);
    return mediaType.trim().toLowerCase(Locale.ROOT).equals(MEDIA_TYPE);
  }

  /**
   * Decodes a protobuf body: the {@code k8s\0} magic, then a runtime.Unknown envelope naming the
   * apiVersion and kind of the object it carries.
   *
   * @return the object as JSON, {@code apiVersion} and {@code kind} first
   * @throws ProtobufDecodeException when the body is not such an envelope or cannot be decoded
   */
  public static ObjectNode decode(byte[] body) {
    return decode(body, 0);
  }

  /** {@link #decode(byte[])} for objects nested in RawExtensions, with a bound on nesting. */
  static ObjectNode decode(byte[] body, int depth) {
    if (depth > MessageToJson.MAX_DEPTH) {
      throw new ProtobufDecodeException("protobuf objects nested too deeply");
    }
    ProtobufEnvelope envelope = ProtobufEnvelope.parse(body);
    ApiSchema schema = ApiSchema.get();
    var descriptor = schema.messageFor(envelope.apiVersion(), envelope.kind());
    DynamicMessage message;
    try {
      message = DynamicMessage.parseFrom(descriptor, envelope.raw());
    } catch (InvalidProtocolBufferException e) {
      throw new ProtobufDecodeException(
          "malformed protobuf for " + envelope.apiVersion() + " " + envelope.kind() + ": "
              + e.getMessage(), e);
    }
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("apiVersion", envelope.apiVersion());
    json.put("kind", envelope.kind());
    json.setAll(new MessageToJson(schema.layouts(), depth).object(message));
    return json;
  }

  /**
   * Encodes a JSON object (with {@code apiVersion} and {@code kind}) as a protobuf body, envelope
   * included: the reverse of {@link #decode}, for tests and tools.
   *
   * @throws IllegalArgumentException when the JSON does not fit the object's schema
   * @throws ProtobufDecodeException when there is no schema for its apiVersion and kind
   */
  public static byte[] encode(ObjectNode object) {
    String apiVersion = object.path("apiVersion").asText("");
    String kind = object.path("kind").asText("");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      throw new IllegalArgumentException("the object needs apiVersion and kind to be encoded");
    }
    ApiSchema schema = ApiSchema.get();
    var descriptor = schema.messageFor(apiVersion, kind);
    ObjectNode fields = object.deepCopy();
    fields.remove("apiVersion");
    fields.remove("kind");
    var message = new JsonToMessage(schema.layouts()).message(fields, descriptor, kind);
    return ProtobufEnvelope.build(apiVersion, kind, message.toByteString());
  }
}
