package dev.flotilla.node.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code flotilla image …} against the platform registry: {@code list} (one reference per line),
 * {@code push FILE.tar [--name REF]} (an OCI or docker archive), {@code build DIR --name REF} (a root
 * filesystem, optionally {@code DIR/rootfs} plus {@code DIR/image.json}), and {@code push-base} (the
 * platform's own images, at {@code flotilla up}). Every command takes {@code --registry HOST:PORT}.
 */
public final class ImageCommand {

    static final String USAGE = """
            usage: image list --registry HOST:PORT
                   image push FILE.tar [--name REF] --registry HOST:PORT
                   image build DIR --name REF --registry HOST:PORT [--work-dir DIR]
                   image push-base --registry HOST:PORT --work-dir DIR""";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final Map<String, String> options;
    private final List<String> arguments;

    private ImageCommand(PrintStream out, Map<String, String> options, List<String> arguments) {
        this.out = out;
        this.options = options;
        this.arguments = arguments;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; the exit code (0 done, 1 failed, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        Map<String, String> options = new LinkedHashMap<>();
        List<String> arguments = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else if (args[i].startsWith("--")) {
                err.println("image " + args[0] + ": " + args[i] + " needs a value\n" + USAGE);
                return 2;
            } else {
                arguments.add(args[i]);
            }
        }
        ImageCommand command = new ImageCommand(out, options, arguments);
        try {
            switch (args[0]) {
                case "list" -> command.list();
                case "push" -> command.push();
                case "build" -> command.build();
                case "push-base" -> command.pushBase();
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            }
            return 0;
        } catch (UsageException e) {
            err.println("image " + args[0] + ": " + e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (RuntimeException e) {
            err.println("image " + args[0] + ": " + e.getMessage());
            return 1;
        }
    }

    private RegistryClient registry() {
        String address = options.get("registry");
        if (address == null) {
            throw new UsageException("--registry HOST:PORT is needed");
        }
        return new RegistryClient(address);
    }

    private void list() {
        RegistryClient registry = registry();
        List<String> lines = new ArrayList<>();
        for (String repository : registry.repositories()) {
            for (String tag : registry.tags(repository)) {
                lines.add(ImageReference.fromRepository(registry.address(), repository, tag).toString());
            }
        }
        lines.stream().sorted().forEach(out::println);
    }

    private void push() {
        RegistryClient registry = registry();
        if (arguments.size() != 1) {
            throw new UsageException("push takes one archive file");
        }
        Path file = Path.of(arguments.get(0));
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is not a file; save an image with `docker save IMAGE -o FILE.tar`, "
                    + "`skopeo copy … oci-archive:FILE.tar` or `ctr images export FILE.tar IMAGE`");
        }
        ImageArchive archive = ImageArchive.inspect(file);
        String name = options.containsKey("name") ? options.get("name") : archive.name()
                .orElseThrow(() -> new IllegalStateException(file + " names no image; give one with --name REF "
                        + "(e.g. --name myapp:1.0)"));
        ImageReference reference = reference(name);
        ImageTools.push(archive.source(), reference.inRegistry(registry.address()));
        pushed(reference, registry);
    }

    private void build() {
        RegistryClient registry = registry();
        if (arguments.size() != 1 || !options.containsKey("name")) {
            throw new UsageException("build takes one directory and --name REF");
        }
        Path dir = Path.of(arguments.get(0)).toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir + " is not a directory; give the image's root filesystem "
                    + "(or a directory holding rootfs/ and image.json)");
        }
        ImageReference reference = reference(options.get("name"));
        Path rootfs = Files.isDirectory(dir.resolve("rootfs")) ? dir.resolve("rootfs") : dir;
        List<String> config = rootfs.equals(dir) ? List.of() : ImageConfigFile.umociArguments(dir.resolve("image.json"));
        Path work;
        try {
            work = options.containsKey("work-dir") ? Path.of(options.get("work-dir")) : Files.createTempDirectory("flotilla-image-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a scratch directory: " + e.getMessage(), e);
        }
        Path layout = ImageTools.buildLayout(work.resolve("build"), "image",
                target -> ImageTools.run(List.of("cp", "-a", rootfs + "/.", target.toString())), config);
        try {
            ImageTools.push("oci:" + layout + ":image", reference.inRegistry(registry.address()));
        } finally {
            try {
                ImageTools.deleteTree(work.resolve("build"));
                if (!options.containsKey("work-dir")) {
                    Files.deleteIfExists(work);
                }
            } catch (IOException e) {
                // scratch space only
            }
        }
        pushed(reference, registry);
    }

    private void pushBase() {
        RegistryClient registry = registry();
        String work = options.get("work-dir");
        if (work == null) {
            throw new UsageException("--work-dir DIR is needed");
        }
        try {
            Files.createDirectories(Path.of(work));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + work + ": " + e.getMessage(), e);
        }
        List<String> pushed = new BaseImages(Path.of(work)).pushTo(registry, out::println);
        out.println(pushed.isEmpty() ? "base images already in the registry" : "pushed " + String.join(", ", pushed));
    }

    private static ImageReference reference(String name) {
        try {
            return ImageReference.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + ": use lower-case NAME[:TAG], e.g. myapp:1.0, "
                    + "team/myapp:1.0 or quay.io/org/app:2");
        }
    }

    private void pushed(ImageReference reference, RegistryClient registry) {
        out.println("pushed " + reference + " (" + reference.inRegistry(registry.address()) + ")");
    }

    /** A mistake in the command line (exit code 2, usage shown). */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** The optional image.json of {@code image build}: OCI config fields in lower camel case. */
    static final class ImageConfigFile {

        private ImageConfigFile() {
        }

        static List<String> umociArguments(Path file) {
            if (!Files.exists(file)) {
                return List.of();
            }
            JsonNode config;
            try {
                config = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new IllegalStateException(file + " is not valid JSON (" + e.getMessage() + "); see docs/node-agent.md, "
                        + "section Images, for its fields", e);
            }
            List<String> args = new ArrayList<>();
            List<String> known = List.of("entrypoint", "cmd", "env", "workingDir", "user", "exposedPorts", "labels");
            config.fieldNames().forEachRemaining(f -> {
                if (!known.contains(f)) {
                    throw new IllegalStateException(file + ": unknown field \"" + f + "\"; the fields are " + known);
                }
            });
            strings(config, "entrypoint", file).forEach(v -> args.addAll(List.of("--config.entrypoint", v)));
            strings(config, "cmd", file).forEach(v -> args.addAll(List.of("--config.cmd", v)));
            strings(config, "env", file).forEach(v -> args.addAll(List.of("--config.env", v)));
            strings(config, "exposedPorts", file).forEach(v ->
                    args.addAll(List.of("--config.exposedports", v.contains("/") ? v : v + "/tcp")));
            if (config.hasNonNull("workingDir")) {
                args.addAll(List.of("--config.workingdir", config.get("workingDir").asText()));
            }
            if (config.hasNonNull("user")) {
                args.addAll(List.of("--config.user", config.get("user").asText()));
            }
            config.path("labels").fields().forEachRemaining(e ->
                    args.addAll(List.of("--config.label", e.getKey() + "=" + e.getValue().asText())));
            return args;
        }

        private static List<String> strings(JsonNode config, String field, Path file) {
            JsonNode node = config.path(field);
            if (node.isMissingNode() || node.isNull()) {
                return List.of();
            }
            if (!node.isArray()) {
                throw new IllegalStateException(file + ": \"" + field + "\" must be an array of strings, e.g. [\"/app\", \"--port\", \"80\"]");
            }
            List<String> values = new ArrayList<>();
            node.forEach(v -> values.add(v.asText()));
            return values;
        }
    }
}
