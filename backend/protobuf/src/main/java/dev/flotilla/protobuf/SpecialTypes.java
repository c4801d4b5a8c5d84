package dev.flotilla.protobuf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Set;

/**
 * The apimachinery types whose JSON is not their protobuf structure: Go gives them custom
 * MarshalJSON methods. Time and MicroTime are timestamps, Duration a Go duration string, Quantity
 * a string, IntOrString a number or a string, and RawExtension and FieldsV1 carry raw JSON (a
 * RawExtension may also hold a nested protobuf object, which is decoded in turn).
 */
final class SpecialTypes {

  static final String TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.Time";
  static final String MICRO_TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime";
  static final String DURATION = "k8s.io.apimachinery.pkg.apis.meta.v1.Duration";
  static final String FIELDS_V1 = "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1";
  static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
  static final String QUANTITY_VALUE = "k8s.io.apimachinery.pkg.api.resource.QuantityValue";
  static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
  static final String RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension";

  private static final Set<String> NAMES = Set.of(
      TIME, MICRO_TIME, DURATION, FIELDS_V1, QUANTITY, QUANTITY_VALUE, INT_OR_STRING,
      RAW_EXTENSION);
  private static final Set<String> NULL_WHEN_EMPTY = Set.of(
      TIME, MICRO_TIME, FIELDS_V1, RAW_EXTENSION);
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SpecialTypes() {}

  static boolean isSpecial(Descriptor message) {
    return NAMES.contains(message.getFullName());
  }

  /** Whether an empty message of this type is written as JSON null (Time, RawExtension, …). */
  static boolean isNullWhenEmpty(Descriptor message) {
    return NULL_WHEN_EMPTY.contains(message.getFullName());
  }

  /** The JSON of a special message; {@code depth} bounds protobuf nested in RawExtensions. */
  static JsonNode toJson(Message message, int depth) {
    String type = message.getDescriptorForType().getFullName();
    try {
      return switch (type) {
        case TIME -> message.getAllFields().isEmpty()
            ? NullNode.instance : NODES.textNode(KubeTimes.time(longField(message, "seconds")));
        case MICRO_TIME -> message.getAllFields().isEmpty()
            ? NullNode.instance
            : NODES.textNode(KubeTimes.microTime(
                longField(message, "seconds"), (int) longField(message, "nanos")));
        case DURATION -> NODES.textNode(GoDuration.format(longField(message, "duration")));
        case QUANTITY, QUANTITY_VALUE -> NODES.textNode(quantity(message));
        case INT_OR_STRING -> intOrString(message);
        case RAW_EXTENSION -> rawJson(bytesField(message, "raw"), depth, type);
        case FIELDS_V1 -> rawJson(bytesField(message, "Raw"), depth, type);
        default -> throw new IllegalArgumentException("not a special type: " + type);
      };
    } catch (DateTimeException e) {
      throw new ProtobufDecodeException("out-of-range " + type + ": " + e.getMessage(), e);
    }
  }

  /** The message for a special type's JSON; the reverse of {@link #toJson}. */
  static Message fromJson(JsonNode json, Descriptor type) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    switch (type.getFullName()) {
      case TIME -> {
        Instant instant = KubeTimes.parse(text(json, type));
        builder.setField(type.findFieldByName("seconds"), instant.getEpochSecond());
      }
      case MICRO_TIME -> {
        Instant instant = KubeTimes.parse(text(json, type));
        builder.setField(type.findFieldByName("seconds"), instant.getEpochSecond());
        builder.setField(type.findFieldByName("nanos"), instant.getNano());
      }
      case DURATION -> builder.setField(type.findFieldByName("duration"),
          GoDuration.parse(text(json, type)));
      case QUANTITY, QUANTITY_VALUE -> builder.setField(type.findFieldByName("string"),
          json.isNumber() ? json.asText() : text(json, type));
      case INT_OR_STRING -> {
        if (json.isIntegralNumber() && json.canConvertToInt()) {
          builder.setField(type.findFieldByName("type"), 0L);
          builder.setField(type.findFieldByName("intVal"), json.intValue());
        } else {
          builder.setField(type.findFieldByName("type"), 1L);
          builder.setField(type.findFieldByName("strVal"), text(json, type));
        }
      }
      case RAW_EXTENSION -> builder.setField(type.findFieldByName("raw"), jsonBytes(json));
      case FIELDS_V1 -> builder.setField(type.findFieldByName("Raw"), jsonBytes(json));
      default -> throw new IllegalArgumentException("not a special type: " + type.getFullName());
    }
    return builder.build();
  }

  private static String quantity(Message message) {
    String text = (String) message.getField(message.getDescriptorForType().findFieldByName("string"));
    return text.isEmpty() ? "0" : text;
  }

  private static JsonNode intOrString(Message message) {
    long kind = longField(message, "type");
    if (kind == 0) {
      return NODES.numberNode((int) longField(message, "intVal"));
    }
    if (kind == 1) {
      Descriptor type = message.getDescriptorForType();
      return NODES.textNode((String) message.getField(type.findFieldByName("strVal")));
    }
    throw new ProtobufDecodeException("IntOrString of unknown type " + kind);
  }

  /** Raw JSON as Go writes it: nil is null, a nested protobuf object is decoded. */
  private static JsonNode rawJson(ByteString raw, int depth, String type) {
    if (raw == null || raw.isEmpty()) {
      return NullNode.instance;
    }
    byte[] bytes = raw.toByteArray();
    if (ProtobufEnvelope.hasMagic(bytes)) {
      return KubernetesProtobuf.decode(bytes, depth + 1);
    }
    JsonNode json;
    try {
      json = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new ProtobufDecodeException(type + " holds neither JSON nor protobuf", e);
    }
    if (json == null || json.isMissingNode()) {
      throw new ProtobufDecodeException(type + " holds neither JSON nor protobuf");
    }
    return json;
  }

  private static ByteString jsonBytes(JsonNode json) {
    try {
      return ByteString.copyFrom(JSON.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON", e);
    }
  }

  private static ByteString bytesField(Message message, String name) {
    var field = message.getDescriptorForType().findFieldByName(name);
    return message.hasField(field) ? (ByteString) message.getField(field) : null;
  }

  private static long longField(Message message, String name) {
    Object value = message.getField(message.getDescriptorForType().findFieldByName(name));
    return ((Number) value).longValue();
  }

  private static String text(JsonNode json, Descriptor type) {
    if (!json.isTextual()) {
      throw new IllegalArgumentException(
          type.getName() + " must be a JSON string, not " + json.getNodeType());
    }
    return json.asText();
  }
}
