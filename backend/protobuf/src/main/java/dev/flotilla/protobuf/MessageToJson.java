package dev.flotilla.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.flotilla.protobuf.JsonLayouts.FieldRule;
import dev.flotilla.protobuf.JsonLayouts.MessageLayout;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;

/**
 * Turns a decoded protobuf message into the JSON Kubernetes uses for the same object, following
 * each field's {@link JsonLayouts.Mode}: messages and explicit-zero scalars appear when present on
 * the wire, other scalars only when non-zero, inlined structs merged into their parent, empty lists
 * and maps never; bytes are base64 and the {@link SpecialTypes} have their own forms.
 */
final class MessageToJson {

  /** Bound on RawExtension-in-protobuf nesting; protobuf itself bounds message nesting. */
  static final int MAX_DEPTH = 20;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonLayouts layouts;
  private final int depth;

  MessageToJson(JsonLayouts layouts, int depth) {
    this.layouts = layouts;
    this.depth = depth;
  }

  /** The JSON object of a message that is not a special type. */
  ObjectNode object(Message message) {
    ObjectNode json = NODES.objectNode();
    writeFields(message, json);
    return json;
  }

  private void writeFields(Message message, ObjectNode json) {
    for (FieldRule rule : layouts.layout(message.getDescriptorForType()).fields()) {
      FieldDescriptor field = rule.field();
      boolean present = field.isRepeated()
          ? message.getRepeatedFieldCount(field) > 0 : message.hasField(field);
      switch (rule.mode()) {
        case REPEATED -> {
          if (present) {
            json.set(rule.jsonName(), field.isMapField()
                ? map(message, field) : list(message, field));
          }
        }
        case INLINE -> writeFields((Message) message.getField(field), json);
        case PRESENT -> {
          if (present) {
            json.set(rule.jsonName(), value(field, message.getField(field)));
          }
        }
        case NON_ZERO -> {
          Object value = message.getField(field);
          if (!isZero(value)) {
            json.set(rule.jsonName(), value(field, value));
          }
        }
        default -> throw new IllegalStateException("unhandled mode " + rule.mode());
      }
    }
  }

  private ArrayNode list(Message message, FieldDescriptor field) {
    ArrayNode array = NODES.arrayNode();
    for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
      array.add(value(field, message.getRepeatedField(field, i)));
    }
    return array;
  }

  /** A protobuf map (repeated key/value entries) as a JSON object; later keys win, as in Go. */
  private ObjectNode map(Message message, FieldDescriptor field) {
    ObjectNode object = NODES.objectNode();
    Descriptor entry = field.getMessageType();
    FieldDescriptor key = entry.findFieldByName("key");
    FieldDescriptor value = entry.findFieldByName("value");
    for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
      Message pair = (Message) message.getRepeatedField(field, i);
      object.set(String.valueOf(pair.getField(key)), value(value, pair.getField(value)));
    }
    return object;
  }

  /** One value of a field: a scalar, a special type, a wrapped Go slice or a nested object. */
  private JsonNode value(FieldDescriptor field, Object value) {
    return switch (field.getJavaType()) {
      case STRING -> NODES.textNode((String) value);
      case BOOLEAN -> NODES.booleanNode((Boolean) value);
      case INT -> field.getType() == FieldDescriptor.Type.UINT32
          || field.getType() == FieldDescriptor.Type.FIXED32
          ? integer(Integer.toUnsignedLong((Integer) value)) : NODES.numberNode((Integer) value);
      case LONG -> field.getType() == FieldDescriptor.Type.UINT64
          || field.getType() == FieldDescriptor.Type.FIXED64
          ? NODES.numberNode(new BigInteger(Long.toUnsignedString((Long) value)))
          : integer((Long) value);
      case DOUBLE -> floating((Double) value);
      case FLOAT -> floating((Float) value);
      case BYTE_STRING -> NODES.textNode(
          Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case ENUM -> NODES.textNode(value.toString());
      case MESSAGE -> message((Message) value);
    };
  }

  private JsonNode message(Message message) {
    Descriptor type = message.getDescriptorForType();
    if (SpecialTypes.isSpecial(type)) {
      return SpecialTypes.toJson(message, depth);
    }
    MessageLayout layout = layouts.layout(type);
    if (layout.arrayWrapper()) {
      return list(message, type.getFields().get(0));
    }
    return object(message);
  }

  private static boolean isZero(Object value) {
    if (value instanceof String text) {
      return text.isEmpty();
    }
    if (value instanceof Boolean flag) {
      return !flag;
    }
    if (value instanceof Number number) {
      return number.doubleValue() == 0;
    }
    if (value instanceof ByteString bytes) {
      return bytes.isEmpty();
    }
    if (value instanceof List<?> list) {
      return list.isEmpty();
    }
    return false;
  }

  /** Integers as Jackson reads them from text: int when it fits, long otherwise. */
  private static JsonNode integer(long value) {
    return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
  }

  /** Go writes integral floats without a fraction ("1"), which JSON readers take as integers. */
  private static JsonNode floating(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return integer((long) value);
    }
    return NODES.numberNode(value);
  }
}
