package dev.flotilla.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the server binaries tests run; names the package to install when one is missing. */
final class Binaries {

    private Binaries() {
    }

    static Path etcd() {
        return fromEnvOrPath("FLOTILLA_ETCD_BIN", "etcd")
                .orElseThrow(() -> new IllegalStateException(
                        "etcd not found: install it with `apt-get install etcd-server etcd-client` "
                                + "(./flotilla test does this) or set FLOTILLA_ETCD_BIN"));
    }

    /** The bin directory of the newest installed PostgreSQL server. */
    static Path postgresBinDir() {
        String configured = System.getenv("FLOTILLA_POSTGRES_BIN_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Optional<Path> newest = versions
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(Binaries::majorVersion));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("PostgreSQL server binaries not found under /usr/lib/postgresql: install "
                + "them with `apt-get install postgresql` (./flotilla test does this) or set FLOTILLA_POSTGRES_BIN_DIR");
    }

    private static int majorVersion(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Optional<Path> fromEnvOrPath(String variable, String command) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
