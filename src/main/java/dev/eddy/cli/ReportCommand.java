package dev.eddy.cli;

import dev.eddy.report.ReportWriter;
import dev.eddy.report.RunPictures;
import dev.eddy.report.RunRecord;
import dev.eddy.run.StageTimes;
import dev.eddy.store.RunFiles;
import dev.eddy.viz.Video;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eddy report RUN_DIR}: (re)makes a run's pictures, video and report from its files. */
@Command(name = "report", header = "Make the pictures, the video and the report of a run directory.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make the pictures (pictures/*.png), the video (video.mp4, or video.gif without ffmpeg) and",
                "report.html + report.md of a run directory from its store, settings and metrics.json."})
public final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "a directory written by 'eddy run'")
    Path dir;
    @Option(names = "--metrics", paramLabel = "FILE", description = "the run's metrics JSON (default RUN_DIR/metrics.json)")
    Path metrics;
    @Option(names = "--no-video", description = "skip the video") boolean noVideo;
    @Option(names = "--quiet", description = "no progress lines") boolean quiet;

    @Override
    public Integer call() throws Exception {
        RunRecord run = RunRecord.load(dir, metrics != null ? metrics : dir.resolve(RunFiles.METRICS));
        java.util.function.Consumer<String> log = quiet ? s -> { } : System.err::println;
        StageTimes times = new StageTimes();
        List<RunPictures.Picture> pictures = times.time("plot", () -> RunPictures.plots(run));
        Video.Result video = noVideo ? null : times.time("video", () -> RunPictures.video(run, log));
        times.time("report", () -> {
            ReportWriter.write(run, pictures, video);
            return null;
        });
        log.accept(String.format(Locale.ROOT, "report: %s, %d pictures%s (plot %.2f s, video %.2f s, report %.2f s)",
                dir.resolve(RunFiles.REPORT_HTML), pictures.size(), video != null ? ", " + video.file() : "",
                times.seconds("plot"), times.seconds("video"), times.seconds("report")));
        return ExitCodes.OK;
    }
}
