package dev.flotilla.node.server;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;

/**
 * Reads a CRI log file ({@code <RFC3339Nano time> <stdout|stderr> <P|F> <text>} per line, P for a
 * partial line continued by the next) and writes what {@code kubectl logs} shows: the text, with
 * the time in front when asked, the last {@code tailLines} lines, at most {@code limitBytes}, and when
 * following, new lines as they are written until the container stops.
 */
final class CriLogReader {

    private static final long FOLLOW_POLL_MS = 200;

    record Options(boolean follow, boolean timestamps, Integer tailLines, Long limitBytes, Instant since) {
    }

    private final Options options;
    private long written;
    /** The last record shown was partial: the next continues its line (and gets no time stamp). */
    private boolean midLine;
    private final byte[] chunk = new byte[64 * 1024];
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Deque<String> lines = new ArrayDeque<>();

    CriLogReader(Options options) {
        this.options = options;
    }

    void copy(Path file, OutputStream out, BooleanSupplier containerRunning) throws IOException {
        long offset = 0;
        if (options.tailLines() != null) {
            offset = tailOffset(file, options.tailLines());
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(offset);
            while (true) {
                String line = readLine(raf);
                if (line != null) {
                    if (!emit(line, out)) {
                        return;
                    }
                    continue;
                }
                if (!options.follow() || !containerRunning.getAsBoolean()) {
                    out.flush();
                    if (!options.follow()) {
                        return;
                    }
                    // one more pass: the container may have written its last lines as it exited
                    String rest;
                    while ((rest = readLine(raf)) != null) {
                        if (!emit(rest, out)) {
                            return;
                        }
                    }
                    out.flush();
                    return;
                }
                out.flush();
                try {
                    Thread.sleep(FOLLOW_POLL_MS); // polling the file while following, as upstream's fallback
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Writes one log record; false once limitBytes is reached. */
    private boolean emit(String line, OutputStream out) throws IOException {
        String[] parts = line.split(" ", 4);
        if (parts.length < 3) {
            return true;
        }
        String text = parts.length == 4 ? parts[3] : "";
        if (options.since() != null && Instant.parse(parts[0]).isBefore(options.since())) {
            return true;
        }
        // A partial record (a line longer than the runtime's buffer, or output not ended by a newline) is
        // shown as it is, as upstream does: the record that completes it adds the newline.
        boolean partial = parts[2].equals("P");
        String full = partial ? text : text + "\n";
        String shown = options.timestamps() && !midLine ? parts[0] + " " + full : full;
        midLine = partial;
        byte[] bytes = shown.getBytes(StandardCharsets.UTF_8);
        if (options.limitBytes() != null && written + bytes.length > options.limitBytes()) {
            out.write(bytes, 0, (int) (options.limitBytes() - written));
            written = options.limitBytes();
            return false;
        }
        out.write(bytes);
        written += bytes.length;
        return true;
    }

    /**
     * The next complete line of the file, or null when none is complete yet; a line still being
     * written stays in {@link #pending} until its newline arrives.
     */
    private String readLine(RandomAccessFile raf) throws IOException {
        while (lines.isEmpty()) {
            int n = raf.read(chunk);
            if (n <= 0) {
                return null;
            }
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    lines.addLast(pending.toString(StandardCharsets.UTF_8));
                    pending.reset();
                } else {
                    pending.write(chunk[i]);
                }
            }
        }
        return lines.pollFirst();
    }

    /** The offset of the first of the last {@code lines} full records. */
    private static long tailOffset(Path file, int lines) throws IOException {
        if (lines <= 0) {
            return Files.size(file);
        }
        Deque<Long> starts = new ArrayDeque<>();
        long offset = 0;
        long recordStart = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] parts = line.split(" ", 4);
                boolean full = parts.length < 3 || !parts[2].equals("P");
                if (full) {
                    starts.addLast(recordStart);
                    if (starts.size() > lines) {
                        starts.removeFirst();
                    }
                }
                offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
                if (full) {
                    recordStart = offset;
                }
            }
        }
        if (recordStart < offset) {
            // output not ended by a newline (yet) is the last line
            starts.addLast(recordStart);
            if (starts.size() > lines) {
                starts.removeFirst();
            }
        }
        return starts.isEmpty() ? 0 : starts.getFirst();
    }
}
