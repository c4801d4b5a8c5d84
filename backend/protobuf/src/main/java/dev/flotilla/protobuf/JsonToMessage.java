package dev.flotilla.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.flotilla.protobuf.JsonLayouts.FieldRule;
import dev.flotilla.protobuf.JsonLayouts.Mode;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The reverse of {@link MessageToJson}: builds the protobuf message for a Kubernetes JSON object,
 * so tests and tools can produce the bodies kubectl sends. Strict: a key the schema does not know
 * or a value of the wrong JSON type is an error, naming the path. JSON nulls count as absent,
 * except for the types that decode to null when empty (Time, RawExtension, …), which are put on the
 * wire empty so that decoding gives the null back.
 */
final class JsonToMessage {

  /** Keys every object may carry (TypeMeta) that protobuf leaves to the envelope. */
  private static final Set<String> TYPE_META = Set.of("apiVersion", "kind");

  private final JsonLayouts layouts;

  JsonToMessage(JsonLayouts layouts) {
    this.layouts = layouts;
  }

  /** The message of type {@code type} for a JSON object; {@code path} names it in errors. */
  Message message(JsonNode json, Descriptor type, String path) {
    if (!json.isObject()) {
      throw new IllegalArgumentException(path + ": expected a JSON object for " + type.getName());
    }
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    Set<String> used = new HashSet<>();
    fill(builder, json, used, path);
    for (Iterator<String> keys = json.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!used.contains(key) && !TYPE_META.contains(key)) {
        throw new IllegalArgumentException(
            path + ": unknown field \"" + key + "\" for " + type.getName());
      }
    }
    return builder.build();
  }

  private void fill(DynamicMessage.Builder builder, JsonNode json, Set<String> used, String path) {
    for (FieldRule rule : layouts.layout(builder.getDescriptorForType()).fields()) {
      FieldDescriptor field = rule.field();
      if (rule.mode() == Mode.INLINE) {
        DynamicMessage.Builder inlined = DynamicMessage.newBuilder(field.getMessageType());
        fill(inlined, json, used, path);
        builder.setField(field, inlined.build());
        continue;
      }
      JsonNode node = json.get(rule.jsonName());
      if (node == null) {
        continue;
      }
      used.add(rule.jsonName());
      if (node.isNull()) {
        if (!field.isRepeated() && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
            && SpecialTypes.isNullWhenEmpty(field.getMessageType())) {
          // Go writes an empty Time (creationTimestamp) as null: put it back on the wire.
          builder.setField(field, DynamicMessage.getDefaultInstance(field.getMessageType()));
        }
        continue;
      }
      String fieldPath = path + "." + rule.jsonName();
      if (field.isMapField()) {
        putMap(builder, field, node, fieldPath);
      } else if (field.isRepeated()) {
        if (!node.isArray()) {
          throw new IllegalArgumentException(fieldPath + ": expected a JSON array");
        }
        for (int i = 0; i < node.size(); i++) {
          builder.addRepeatedField(field, value(field, node.get(i), fieldPath + "[" + i + "]"));
        }
      } else {
        builder.setField(field, value(field, node, fieldPath));
      }
    }
  }

  private void putMap(DynamicMessage.Builder builder, FieldDescriptor field, JsonNode node,
      String path) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(path + ": expected a JSON object");
    }
    Descriptor entry = field.getMessageType();
    FieldDescriptor key = entry.findFieldByName("key");
    FieldDescriptor value = entry.findFieldByName("value");
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> pair = it.next();
      String pairPath = path + "." + pair.getKey();
      // A null map value is Go's zero value (a nil Time, an empty string), kept under its key.
      Object converted = pair.getValue().isNull()
          ? (value.getJavaType() == FieldDescriptor.JavaType.MESSAGE
              ? DynamicMessage.getDefaultInstance(value.getMessageType()) : value.getDefaultValue())
          : value(value, pair.getValue(), pairPath);
      builder.addRepeatedField(field, DynamicMessage.newBuilder(entry)
          .setField(key, pair.getKey())
          .setField(value, converted)
          .build());
    }
  }

  private Object value(FieldDescriptor field, JsonNode node, String path) {
    return switch (field.getJavaType()) {
      case STRING -> {
        require(node.isTextual(), path, "a string");
        yield node.asText();
      }
      case BOOLEAN -> {
        require(node.isBoolean(), path, "a boolean");
        yield node.asBoolean();
      }
      case INT -> {
        require(node.isIntegralNumber() && node.canConvertToLong(), path, "an integer");
        long value = node.longValue();
        boolean unsigned = field.getType() == FieldDescriptor.Type.UINT32
            || field.getType() == FieldDescriptor.Type.FIXED32;
        require(unsigned ? value >= 0 && value <= 0xFFFF_FFFFL : value == (int) value,
            path, "a 32-bit integer");
        yield (int) value;
      }
      case LONG -> {
        require(node.isIntegralNumber() && node.canConvertToLong(), path, "a 64-bit integer");
        yield node.longValue();
      }
      case DOUBLE -> {
        require(node.isNumber(), path, "a number");
        yield node.doubleValue();
      }
      case FLOAT -> {
        require(node.isNumber(), path, "a number");
        yield node.floatValue();
      }
      case BYTE_STRING -> {
        require(node.isTextual(), path, "a base64 string");
        try {
          yield ByteString.copyFrom(Base64.getDecoder().decode(node.asText()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(path + ": invalid base64", e);
        }
      }
      case ENUM -> throw new IllegalArgumentException(path + ": enums do not occur in this schema");
      case MESSAGE -> message(field.getMessageType(), node, path);
    };
  }

  private Message message(Descriptor type, JsonNode node, String path) {
    if (SpecialTypes.isSpecial(type)) {
      try {
        return SpecialTypes.fromJson(node, type);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
      }
    }
    if (layouts.layout(type).arrayWrapper()) {
      require(node.isArray(), path, "a JSON array");
      FieldDescriptor items = type.getFields().get(0);
      DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
      for (int i = 0; i < node.size(); i++) {
        builder.addRepeatedField(items, value(items, node.get(i), path + "[" + i + "]"));
      }
      return builder.build();
    }
    return message(node, type, path);
  }

  private static void require(boolean condition, String path, String expected) {
    if (!condition) {
      throw new IllegalArgumentException(path + ": expected " + expected);
    }
  }
}
