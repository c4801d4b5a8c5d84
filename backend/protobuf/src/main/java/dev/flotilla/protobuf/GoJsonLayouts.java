package dev.flotilla.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How each protobuf field shows in Kubernetes JSON, from {@code go-json-fields.tsv} (extracted
 * from the Go structs the .proto files were generated from). The .proto files cannot tell a Go
 * pointer from a plain value, nor see json tags: both decide whether a zero value is written, and
 * some fields are Go structs inlined into their parent's JSON object. A message missing from the
 * table falls back to plain protobuf presence: written exactly when present on the wire.
 */
final class GoJsonLayouts {

  /** How Go's encoding/json treats one field. */
  enum Mode {
    /** A Go pointer: in JSON exactly when present on the wire, zero values included. */
    POINTER,
    /** A plain value with omitempty: zero scalars are left out; structs are always written. */
    OMIT_ZERO,
    /** A plain value without omitempty: always written, zero included. */
    ALWAYS,
    /** A slice or map: left out when empty. */
    REPEATED,
    /** A struct whose fields are written into the parent's JSON object. */
    INLINE
  }

  /** One field with its JSON name ({@code null} for an inlined struct) and mode. */
  record FieldRule(FieldDescriptor field, String jsonName, Mode mode) {}

  /** A message's fields in JSON terms; {@code arrayWrapper} for Go slice types (ExtraValue). */
  record MessageLayout(List<FieldRule> fields, Map<String, FieldRule> byJsonName,
      boolean arrayWrapper) {}

  private record Row(String jsonName, char mode) {}

  private final Map<String, Map<Integer, Row>> rows;
  private final Set<String> arrayWrappers;
  private final Map<Descriptor, MessageLayout> cache = new ConcurrentHashMap<>();

  private GoJsonLayouts(Map<String, Map<Integer, Row>> rows, Set<String> arrayWrappers) {
    this.rows = rows;
    this.arrayWrappers = arrayWrappers;
  }

  static GoJsonLayouts load(Iterable<String[]> table) {
    Map<String, Map<Integer, Row>> rows = new HashMap<>();
    Set<String> arrayWrappers = new HashSet<>();
    for (String[] row : table) {
      if (row[3].equals("array")) {
        arrayWrappers.add(row[0]);
        continue;
      }
      rows.computeIfAbsent(row[0], message -> new HashMap<>())
          .put(Integer.parseInt(row[1]), new Row(row[2], row[3].charAt(0)));
    }
    return new GoJsonLayouts(rows, arrayWrappers);
  }

  /** Whether the table describes a message (tests use this to find gaps). */
  boolean describes(Descriptor message) {
    return rows.containsKey(message.getFullName()) || arrayWrappers.contains(message.getFullName());
  }

  /** Whether the table has a rule for a field (tests use this to find gaps). */
  boolean hasRow(Descriptor message, FieldDescriptor field) {
    return rows.getOrDefault(message.getFullName(), Map.of()).containsKey(field.getNumber());
  }

  MessageLayout layout(Descriptor message) {
    return cache.computeIfAbsent(message, this::build);
  }

  private MessageLayout build(Descriptor message) {
    Map<Integer, Row> known = rows.getOrDefault(message.getFullName(), Map.of());
    List<FieldRule> fields = new ArrayList<>();
    Map<String, FieldRule> byJsonName = new LinkedHashMap<>();
    for (FieldDescriptor field : message.getFields()) {
      Row row = known.get(field.getNumber());
      FieldRule rule = row == null ? fallback(field) : rule(field, row);
      fields.add(rule);
      if (rule.jsonName() != null) {
        byJsonName.put(rule.jsonName(), rule);
      }
    }
    return new MessageLayout(List.copyOf(fields), Map.copyOf(byJsonName),
        arrayWrappers.contains(message.getFullName()));
  }

  private static FieldRule fallback(FieldDescriptor field) {
    return new FieldRule(field, field.getName(), field.isRepeated() ? Mode.REPEATED : Mode.POINTER);
  }

  private static FieldRule rule(FieldDescriptor field, Row row) {
    Mode mode = switch (row.mode()) {
      case 'p' -> Mode.POINTER;
      case 'o' -> Mode.OMIT_ZERO;
      case 'v' -> Mode.ALWAYS;
      case 'r' -> Mode.REPEATED;
      case 'i' -> Mode.INLINE;
      default -> throw new IllegalStateException("go-json-fields.tsv: unknown mode " + row.mode());
    };
    if (field.isRepeated()) {
      mode = Mode.REPEATED;
    } else if (mode == Mode.REPEATED) {
      // A Go slice the proto wraps in a message (e.g. Verbs): present means written.
      mode = Mode.POINTER;
    }
    if (mode == Mode.INLINE && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      throw new IllegalStateException("inlined field " + field.getFullName() + " is no message");
    }
    return new FieldRule(field, mode == Mode.INLINE ? null : row.jsonName(), mode);
  }
}
