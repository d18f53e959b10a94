package dev.eddy.io;

import java.util.LinkedHashMap;
import java.util.Map;

/** Versions of Eddy and what it runs on, for every output's metadata. */
public final class Versions {
    private Versions() {
    }

    public static String eddy() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    public static Map<String, Object> software() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eddy", eddy());
        m.put("java", System.getProperty("java.runtime.version"));
        m.put("java_vendor", System.getProperty("java.vendor"));
        m.put("jtransforms", implementationVersion(org.jtransforms.fft.DoubleFFT_1D.class, "3.1"));
        m.put("jhdf", implementationVersion(io.jhdf.HdfFile.class, "0.13.0"));
        return m;
    }

    public static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("arch", System.getProperty("os.arch"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        m.put("cpu", cpuModel());
        try {
            m.put("host", java.net.InetAddress.getLocalHost().getHostName());
        } catch (java.io.IOException e) {
            m.put("host", "unknown (" + e.getMessage() + ")");
        }
        return m;
    }

    private static String implementationVersion(Class<?> c, String declared) {
        String v = c.getPackage().getImplementationVersion();
        return v != null ? v : declared;
    }

    private static String cpuModel() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
