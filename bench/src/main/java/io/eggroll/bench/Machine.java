package io.eggroll.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** What a result was measured on, and how busy the machine was. */
public record Machine(String date, String cpu, int processors, String os, String java, long maxHeapMiB,
                      double loadAverage) {

    public static Machine here() {
        return new Machine(OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                cpuModel(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20, currentLoad());
    }

    /** The 1-minute load average, or NaN where the OS does not report one. */
    public static double currentLoad() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? Double.NaN : l;
    }

    private static String cpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try {
                for (String line : Files.readAllLines(info)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            } catch (IOException e) {
                return "unknown (" + e.getMessage() + ")";
            }
        }
        return System.getProperty("os.arch");
    }

    public String line() {
        return String.format(Locale.ROOT, "%s | %s, %d hardware threads | %s | %s | max heap %d MiB | load average %s",
                date, cpu, processors, os, java, maxHeapMiB, Summary.num(loadAverage, 3));
    }

    public void toJson(ObjectNode o) {
        o.put("date", date);
        o.put("cpu", cpu);
        o.put("processors", processors);
        o.put("os", os);
        o.put("java", java);
        o.put("max_heap_mib", maxHeapMiB);
        if (Double.isFinite(loadAverage)) {
            o.put("load_average_1min", loadAverage);
        }
    }
}
