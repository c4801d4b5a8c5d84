package dev.flotilla.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Kubernetes API schema: the file descriptors of {@link SchemaFiles} (and what they import),
 * every message by full name, and which message each apiVersion/kind is ({@link ApiKinds}).
 * Loaded once, on first use, and immutable after that.
 */
final class ApiSchema {

  private final Map<String, FileDescriptor> files;
  private final Map<String, Descriptor> messages;
  private final Map<String, Descriptor> kinds;
  private final JsonLayouts layouts = new JsonLayouts();

  private ApiSchema(Map<String, FileDescriptor> files, Map<String, Descriptor> messages,
      Map<String, Descriptor> kinds) {
    this.files = files;
    this.messages = messages;
    this.kinds = kinds;
  }

  /** The schema, loaded on first call. */
  static ApiSchema get() {
    return Holder.SCHEMA;
  }

  /** The message type of an apiVersion/kind, as the envelope of a body names them. */
  Descriptor messageFor(String apiVersion, String kind) {
    Descriptor descriptor = kinds.get(apiVersion + "\t" + kind);
    if (descriptor == null) {
      String meta = ApiKinds.metaMessage(apiVersion, kind);
      descriptor = meta == null ? null : messages.get(meta);
    }
    if (descriptor == null) {
      throw new ProtobufDecodeException("no protobuf schema for " + apiVersion + " " + kind);
    }
    return descriptor;
  }

  /** A message type by its full protobuf name; the schema is broken if it is missing. */
  Descriptor message(String fullName) {
    Descriptor descriptor = messages.get(fullName);
    if (descriptor == null) {
      throw new IllegalStateException("protobuf schema lacks " + fullName);
    }
    return descriptor;
  }

  /** Every top-level message type of the schema, by full name. */
  Map<String, Descriptor> messages() {
    return messages;
  }

  /** Every schema file, by its name ({@code k8s.io/api/core/v1/generated.proto}). */
  Map<String, FileDescriptor> files() {
    return files;
  }

  /** The group-version kinds ("apiVersion\tkind" → message), meta kinds not included. */
  Map<String, Descriptor> kinds() {
    return kinds;
  }

  JsonLayouts layouts() {
    return layouts;
  }

  private static ApiSchema load() {
    Map<String, FileDescriptor> files = new LinkedHashMap<>();
    Deque<FileDescriptor> pending = new ArrayDeque<>();
    for (Supplier<FileDescriptor> file : SchemaFiles.ALL) {
      pending.add(file.get());
    }
    while (!pending.isEmpty()) {
      FileDescriptor file = pending.removeFirst();
      if (files.putIfAbsent(file.getName(), file) == null) {
        pending.addAll(file.getDependencies());
      }
    }
    Map<String, Descriptor> messages = new HashMap<>();
    for (FileDescriptor file : files.values()) {
      for (Descriptor message : file.getMessageTypes()) {
        messages.put(message.getFullName(), message);
      }
    }
    return new ApiSchema(Map.copyOf(files), Map.copyOf(messages),
        Map.copyOf(ApiKinds.derive(files.values())));
  }

  private static final class Holder {
    static final ApiSchema SCHEMA = load();
  }
}
