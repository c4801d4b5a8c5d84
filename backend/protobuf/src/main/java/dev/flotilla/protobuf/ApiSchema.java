package dev.flotilla.protobuf;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kubernetes API schema as protoc compiled it at build time (the descriptor set
 * {@code k8s-api.pb}), plus which message each apiVersion/kind is ({@code api-kinds.tsv}, taken from
 * upstream's scheme registrations). Loaded once, on first use, and immutable after that.
 */
final class ApiSchema {

  private static final String RESOURCES = "/dev/flotilla/protobuf/";

  private final Map<String, Descriptor> messages;
  private final Map<String, Descriptor> kinds;
  private final GoJsonLayouts layouts;

  private ApiSchema(Map<String, Descriptor> messages, Map<String, Descriptor> kinds,
      GoJsonLayouts layouts) {
    this.messages = messages;
    this.kinds = kinds;
    this.layouts = layouts;
  }

  /** The schema, loaded on first call. */
  static ApiSchema get() {
    return Holder.SCHEMA;
  }

  /** The message type of an apiVersion/kind, as the envelope of a body names them. */
  Descriptor messageFor(String apiVersion, String kind) {
    Descriptor descriptor = kinds.get(apiVersion + "\t" + kind);
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

  /** Every message type of the schema, by full name. */
  Map<String, Descriptor> messages() {
    return messages;
  }

  GoJsonLayouts layouts() {
    return layouts;
  }

  private static ApiSchema load() {
    Map<String, Descriptor> messages = new HashMap<>();
    for (FileDescriptor file : files()) {
      for (Descriptor message : file.getMessageTypes()) {
        messages.put(message.getFullName(), message);
      }
    }
    Map<String, Descriptor> kinds = new HashMap<>();
    for (String[] row : table("api-kinds.tsv", 3)) {
      Descriptor message = messages.get(row[2]);
      if (message == null) {
        throw new IllegalStateException("api-kinds.tsv names unknown message " + row[2]);
      }
      kinds.put(row[0] + "\t" + row[1], message);
    }
    return new ApiSchema(Map.copyOf(messages), Map.copyOf(kinds),
        GoJsonLayouts.load(table("go-json-fields.tsv", 4)));
  }

  private static Iterable<FileDescriptor> files() {
    FileDescriptorSet set;
    try (InputStream in = resource("k8s-api.pb")) {
      set = FileDescriptorSet.parseFrom(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the protobuf schema", e);
    }
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    set.getFileList().forEach(file -> protos.put(file.getName(), file));
    Map<String, FileDescriptor> built = new HashMap<>();
    for (String name : protos.keySet()) {
      build(name, protos, built);
    }
    return built.values();
  }

  /** Builds a file after the files it imports (protobuf needs them to resolve type names). */
  private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
      Map<String, FileDescriptor> built) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw new IllegalStateException("protobuf schema lacks imported file " + name);
    }
    FileDescriptor[] dependencies = proto.getDependencyList().stream()
        .map(dependency -> build(dependency, protos, built))
        .toArray(FileDescriptor[]::new);
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("invalid protobuf schema file " + name, e);
    }
  }

  /** Rows of a tab-separated resource, comment lines skipped. */
  static Iterable<String[]> table(String name, int columns) {
    var rows = new ArrayList<String[]>();
    try (var reader = new BufferedReader(
        new InputStreamReader(resource(name), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] row = line.split("\t", -1);
        if (row.length != columns) {
          throw new IllegalStateException(name + ": bad line " + line);
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
    return rows;
  }

  private static InputStream resource(String name) {
    InputStream in = ApiSchema.class.getResourceAsStream(RESOURCES + name);
    if (in == null) {
      throw new IllegalStateException("missing resource " + RESOURCES + name);
    }
    return in;
  }

  private static final class Holder {
    static final ApiSchema SCHEMA = load();
  }
}
