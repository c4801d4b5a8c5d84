package dev.flotilla.node.eviction;

import dev.flotilla.node.kubelet.ProcFiles;
import dev.flotilla.node.runtime.CriClient;
import dev.flotilla.node.stats.HostReading;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signals as upstream computes them, from this host: memory.available = MemTotal less the
 * working set (usage less inactive file pages, /proc/meminfo); nodefs from statfs of the agent's
 * state directory (the kubelet's root dir); imagefs from statfs of the runtime's image filesystem
 * (CRI ImageFsInfo's mountpoint, the state directory when the runtime gives none); inodes by
 * {@code stat -f}; pid.available = pid_max less the tasks in /proc/loadavg.
 */
public final class NodeSignals implements SignalSource {

    private static final Logger LOG = LoggerFactory.getLogger(NodeSignals.class);

    private final Path nodeFs;
    private final Supplier<Path> imageFs;

    public NodeSignals(Path nodeFs, Supplier<Path> imageFs) {
        this.nodeFs = nodeFs;
        this.imageFs = imageFs;
    }

    /** The image filesystem the runtime reports (its first), or {@code fallback}. */
    public static Supplier<Path> imageFsOf(CriClient cri, Path fallback) {
        return () -> {
            try {
                return cri.imageFsMountpoint().map(Path::of).orElse(fallback);
            } catch (RuntimeException e) {
                return fallback;
            }
        };
    }

    @Override
    public Map<Signal, Observation> observe() {
        Map<Signal, Observation> observed = new EnumMap<>(Signal.class);
        String meminfo = ProcFiles.read("/proc/meminfo");
        long total = memTotal(meminfo);
        if (total > 0) {
            long workingSet = HostReading.memory(meminfo, "").workingSetBytes();
            observed.put(Signal.MEMORY_AVAILABLE, new Observation(Math.max(0, total - workingSet), total));
        }
        filesystem(nodeFs, Signal.NODEFS_AVAILABLE, Signal.NODEFS_INODES_FREE, observed);
        filesystem(imageFs.get(), Signal.IMAGEFS_AVAILABLE, Signal.IMAGEFS_INODES_FREE, observed);
        long pidMax = pidMax();
        long tasks = tasks(ProcFiles.read("/proc/loadavg"));
        if (pidMax > 0) {
            observed.put(Signal.PID_AVAILABLE, new Observation(Math.max(0, pidMax - tasks), pidMax));
        }
        return observed;
    }

    static long memTotal(String meminfo) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    /** /proc/loadavg's fourth field is "runnable/total" scheduling entities (threads). */
    static long tasks(String loadavg) {
        String[] fields = loadavg.split("\\s+");
        return fields.length > 3 && fields[3].contains("/") ? Long.parseLong(fields[3].split("/")[1]) : 0;
    }

    private static long pidMax() {
        String value = ProcFiles.read("/proc/sys/kernel/pid_max");
        try {
            return value.isEmpty() ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void filesystem(Path path, Signal bytes, Signal inodes, Map<Signal, Observation> observed) {
        HostReading.Filesystem fs = HostReading.filesystem(path);
        if (fs.capacityBytes() > 0) {
            observed.put(bytes, new Observation(fs.availableBytes(), fs.capacityBytes()));
        }
        long[] files = inodes(path);
        if (files != null && files[0] > 0) {
            observed.put(inodes, new Observation(files[1], files[0]));
        }
    }

    /** {total, free} inodes of the filesystem holding {@code path} (statfs f_files, f_ffree), null when unknown. */
    static long[] inodes(Path path) {
        try {
            Process stat = new ProcessBuilder("stat", "-f", "-c", "%c %d", path.toString()).redirectErrorStream(true).start();
            String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!stat.waitFor(10, TimeUnit.SECONDS) || stat.exitValue() != 0) {
                LOG.debug("stat -f {}: {}", path, out);
                return null;
            }
            String[] fields = out.split("\\s+");
            return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
