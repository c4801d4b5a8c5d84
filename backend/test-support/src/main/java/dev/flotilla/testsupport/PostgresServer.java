package dev.flotilla.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL server in a temporary directory on a free loopback port, with trust
 * authentication for user {@code postgres}. PostgreSQL refuses to run as root, so when the tests run
 * as root the server runs as the {@code postgres} system user. It keeps its port across
 * {@link #stop()} and {@link #startAgain()}.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";

    private final Path dir;
    private final int port;
    private final Path binDir;
    private final ExternalProcess process;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.binDir = Binaries.postgresBinDir();
        this.process = new ExternalProcess("postgres", asServerUser(List.of(
                binDir.resolve("postgres").toString(),
                "-D", dataDir().toString(),
                "-p", Integer.toString(port),
                "-k", dir.resolve("socket").toString(),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off",
                "-c", "max_connections=200")),
                dir.resolve("postgres.log"), Map.of());
    }

    /** Creates a cluster, starts it, and waits until it accepts connections. */
    public static PostgresServer start() {
        PostgresServer server = new PostgresServer(TempDirs.create("flotilla-pg-"), FreePorts.next());
        server.initialize();
        server.startAgain();
        return server;
    }

    private void initialize() {
        try {
            Files.createDirectories(dataDir());
            Files.createDirectories(dir.resolve("socket"));
            if (runningAsRoot()) {
                UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
                for (Path p : List.of(dir, dataDir(), dir.resolve("socket"))) {
                    Files.setOwner(p, owner);
                }
                Files.createFile(dir.resolve("postgres.log"));
                Files.setOwner(dir.resolve("postgres.log"), owner);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir
                    + (runningAsRoot() ? " (does the postgres system user exist?)" : ""), e);
        }
        ExternalProcess.run(Duration.ofMinutes(2), asServerUser(List.of(
                binDir.resolve("initdb").toString(), "-D", dataDir().toString(), "-U", USER,
                "--auth=trust", "-E", "UTF8", "--no-sync")));
    }

    /** Starts this server again (same data and port) after {@link #stop()}. */
    public void startAgain() {
        process.start();
        Await.until(Duration.ofSeconds(30), "PostgreSQL to accept connections; log:\n" + process.logTail(20),
                this::accepting);
    }

    /** Fast shutdown: disconnects clients and stops, as {@code pg_ctl stop -m fast}. */
    public void stop() {
        process.stopWithSignal("INT", Duration.ofSeconds(20));
    }

    public boolean accepting() {
        if (!process.isAlive()) {
            return false;
        }
        try {
            ExternalProcess.run(Duration.ofSeconds(5), List.of(binDir.resolve("pg_isready").toString(),
                    "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", "postgres"));
            return true;
        } catch (IllegalStateException notReady) {
            return false;
        }
    }

    /** Creates a database (idempotent) and returns its JDBC URL. */
    public String createDatabase(String name) {
        String exists = psql("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
        if (!exists.trim().equals("1")) {
            psql("postgres", "CREATE DATABASE \"" + name + "\"");
        }
        return jdbcUrl(name);
    }

    public String psql(String database, String sql) {
        return ExternalProcess.run(Duration.ofSeconds(30), List.of(binDir.resolve("psql").toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", database,
                "-tAc", sql));
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    private Path dataDir() {
        return dir.resolve("data");
    }

    private static List<String> asServerUser(List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid", USER, "--regid", USER,
                "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Override
    public void close() {
        process.kill();
        TempDirs.deleteRecursively(dir);
    }
}
