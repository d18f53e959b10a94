package dev.eddy.report.bench;

import dev.eddy.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The benchmark report: reads benchmark JSON (files, or the {@code *.json} of folders), keeps the newest
 * number of each measurement, draws the figures and writes {@code report.html}, {@code report.md} and
 * the PNGs into one folder.
 */
public final class BenchReport {
    /** What was written: the folder, the figures, the figures not drawn (and why), and the warnings about skipped files and rows. */
    public record Result(Path dir, List<Figure> figures, List<NotDrawn> skipped, List<String> warnings) {
    }

    private BenchReport() {
    }

    /** {@code outputs/bench-<UTC stamp>} under {@code base}: where a report goes by default. */
    public static Path defaultDir(Path base, Instant now) {
        return base.resolve("outputs").resolve("bench-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now));
    }

    public static Result write(List<Path> inputs, Path dir, MemoryFloor floor) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("the report folder " + dir + " is a file");
        }
        BenchData data = BenchData.of(BenchFiles.load(inputs));
        FigureSet set = new FigureSet();
        LesFigures.add(data, floor, set);
        FftFigures.add(data, set);
        PipelineFigures.add(data, set);
        HorizonFigures.add(data, set);
        SweepFigures.add(data, set);
        EnsembleFigures.add(data, set);
        CodecFigures.add(data, set);
        Files.createDirectories(dir);
        BenchReportWriter.write(dir, inputs, data, set);
        return new Result(dir, List.copyOf(set.figures), List.copyOf(set.skipped), data.warnings());
    }
}
