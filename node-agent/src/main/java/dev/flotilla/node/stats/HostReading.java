package dev.flotilla.node.stats;

import dev.flotilla.node.kubelet.ProcFiles;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's own figures, read from /proc and the filesystem holding the agent's state: cumulative CPU
 * time, memory as the kubelet reports it (working set = usage less inactive file pages), the root
 * filesystem and the network interfaces. Read from /proc/meminfo rather than the root memory cgroup so
 * that a cgroup v1 host and a cgroup v2 host give the same numbers.
 */
public record HostReading(long timestampNanos, long cpuUsageCoreNanoSeconds, Memory memory, Filesystem fs,
                          List<Interface> interfaces) {

    /** USER_HZ, the unit of /proc/stat, is 100 on every Linux architecture the agent runs on. */
    static final long NANOS_PER_TICK = 10_000_000L;

    public record Memory(long availableBytes, long usageBytes, long workingSetBytes, long rssBytes,
                         long pageFaults, long majorPageFaults) {
    }

    public record Filesystem(long availableBytes, long capacityBytes, long usedBytes) {
    }

    public record Interface(String name, long rxBytes, long rxErrors, long txBytes, long txErrors) {
    }

    public static HostReading read(Path stateFilesystem) {
        return new HostReading(System.currentTimeMillis() * 1_000_000L, cpuNanos(ProcFiles.read("/proc/stat")),
                memory(ProcFiles.read("/proc/meminfo"), ProcFiles.read("/proc/vmstat")), filesystem(stateFilesystem),
                interfaces(ProcFiles.read("/proc/net/dev")));
    }

    /** The first line of /proc/stat: time in every state but idle and iowait is time the CPUs were used. */
    static long cpuNanos(String procStat) {
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] fields = line.trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < fields.length && i <= 8; i++) {
                    if (i != 4 && i != 5) {
                        busy += Long.parseLong(fields[i]);
                    }
                }
                return busy * NANOS_PER_TICK;
            }
        }
        return 0;
    }

    public static Memory memory(String meminfo, String vmstat) {
        Map<String, Long> kb = new HashMap<>();
        for (String line : meminfo.split("\n")) {
            String[] parts = line.split(":");
            if (parts.length == 2) {
                String[] value = parts[1].trim().split("\\s+");
                try {
                    kb.put(parts[0].trim(), Long.parseLong(value[0]) * 1024);
                } catch (NumberFormatException e) {
                    // a line without a number is not a figure we use
                }
            }
        }
        Map<String, Long> vm = counters(vmstat);
        long total = kb.getOrDefault("MemTotal", 0L);
        long usage = total - kb.getOrDefault("MemFree", 0L);
        long workingSet = Math.max(0, usage - kb.getOrDefault("Inactive(file)", 0L));
        return new Memory(kb.getOrDefault("MemAvailable", total - usage), usage, workingSet,
                kb.getOrDefault("AnonPages", 0L), vm.getOrDefault("pgfault", 0L), vm.getOrDefault("pgmajfault", 0L));
    }

    private static Map<String, Long> counters(String text) {
        Map<String, Long> values = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                try {
                    values.put(parts[0], Long.parseLong(parts[1]));
                } catch (NumberFormatException e) {
                    // not a counter
                }
            }
        }
        return values;
    }

    public static Filesystem filesystem(Path path) {
        try {
            FileStore store = Files.getFileStore(path);
            long capacity = store.getTotalSpace();
            long available = store.getUsableSpace();
            return new Filesystem(available, capacity, capacity - store.getUnallocatedSpace());
        } catch (IOException e) {
            return new Filesystem(0, 0, 0);
        }
    }

    /** /proc/net/dev without loopback; the first interface is reported as the node's, as upstream. */
    static List<Interface> interfaces(String netDev) {
        List<Interface> interfaces = new ArrayList<>();
        for (String line : netDev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (name.equals("lo") || f.length < 11) {
                continue;
            }
            interfaces.add(new Interface(name, Long.parseLong(f[0]), Long.parseLong(f[2]), Long.parseLong(f[8]),
                    Long.parseLong(f[10])));
        }
        return interfaces;
    }
}
