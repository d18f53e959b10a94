package dev.eddy.report.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where a number in the benchmark report comes from: the file, its kind and date, the note it was
 * written with, and the machine, device, software and settings it records. Every figure lists the
 * sources of what it shows.
 *
 * @param dateFrom where the date comes from when the file records none: "" (recorded), "file name" or "file time"
 * @param device   the GPU (or Vulkan device) the file names; null where it names none
 * @param settings the settings the file records for all its rows, in a few words
 */
public record BenchSource(Path file, BenchKind kind, Instant date, String dateFrom, String label, String host, String device, String software,
                          String settings) {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    public String name() {
        return file.getFileName().toString();
    }

    public String dateText() {
        return SHOWN.format(date) + (dateFrom.isEmpty() ? "" : " (from the " + dateFrom + ")");
    }

    /** The device where the file names one, else the host: what "machine" means in the report. */
    public String machine() {
        return device != null ? device : host;
    }

    /** Newer first; on equal dates the file name decides, so the order never depends on the order of the inputs. */
    public static int newestFirst(BenchSource a, BenchSource b) {
        int c = b.date.compareTo(a.date);
        return c != 0 ? c : b.name().compareTo(a.name());
    }
}
