package dev.flotilla.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How each field of a message shows in Kubernetes JSON, following {@link JsonRules}; computed once
 * per message type and cached.
 */
final class JsonLayouts {

  /** When a field is written, and where. */
  enum Mode {
    /**
     * A message (a Go struct, or a pointer to one) or an {@link JsonRules#EXPLICIT_ZERO} scalar:
     * written exactly when present on the wire, empty or zero included. Go clients put plain
     * structs on the wire always and pointers when set, which is when Go writes them in JSON.
     */
    PRESENT,
    /** Any other scalar: written when not zero ({@code 0}, {@code false}, {@code ""}, no bytes). */
    NON_ZERO,
    /** A list or map: written when not empty. */
    REPEATED,
    /** An embedded struct ({@link JsonRules#INLINED}): its fields go into the parent object. */
    INLINE
  }

  /** One field with its JSON name ({@code null} for an inlined struct) and mode. */
  record FieldRule(FieldDescriptor field, String jsonName, Mode mode) {}

  /** A message's fields in JSON terms; {@code arrayWrapper} for Go slice types (ExtraValue). */
  record MessageLayout(List<FieldRule> fields, Map<String, FieldRule> byJsonName,
      boolean arrayWrapper) {}

  private final Map<Descriptor, MessageLayout> cache = new ConcurrentHashMap<>();

  MessageLayout layout(Descriptor message) {
    return cache.computeIfAbsent(message, JsonLayouts::build);
  }

  private static MessageLayout build(Descriptor message) {
    List<FieldRule> fields = new ArrayList<>();
    Map<String, FieldRule> byJsonName = new LinkedHashMap<>();
    for (FieldDescriptor field : message.getFields()) {
      FieldRule rule = rule(field);
      fields.add(rule);
      if (rule.jsonName() != null) {
        byJsonName.put(rule.jsonName(), rule);
      }
    }
    return new MessageLayout(List.copyOf(fields), Map.copyOf(byJsonName),
        JsonRules.arrayWrapper(message));
  }

  static FieldRule rule(FieldDescriptor field) {
    if (field.isRepeated()) {
      return new FieldRule(field, JsonRules.jsonName(field), Mode.REPEATED);
    }
    boolean message = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
    if (JsonRules.inlined(field)) {
      if (!message) {
        throw new IllegalStateException("inlined field " + field.getFullName() + " is no message");
      }
      return new FieldRule(field, null, Mode.INLINE);
    }
    Mode mode = message || JsonRules.explicitZero(field) ? Mode.PRESENT : Mode.NON_ZERO;
    return new FieldRule(field, JsonRules.jsonName(field), mode);
  }
}
