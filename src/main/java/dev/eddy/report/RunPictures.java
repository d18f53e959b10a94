package dev.eddy.report;

import dev.eddy.sim.DiagnosticSample;
import dev.eddy.store.RunFiles;
import dev.eddy.store.SnapshotStore;
import dev.eddy.viz.ColorLimits;
import dev.eddy.viz.Colormap;
import dev.eddy.viz.FieldImage;
import dev.eddy.viz.Images;
import dev.eddy.viz.Plots;
import dev.eddy.viz.Video;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The pictures of a run, under {@code RunFiles.PICTURES/pictures/}: a PNG per snapshot (at most {@link #MAX_SNAPSHOT_PNGS},
 * evenly spread, first and last always), the energy spectra and the energy/enstrophy history; and the
 * video {@code RunFiles.PICTURES/video.mp4} (or {@code video.gif} without ffmpeg) of every snapshot.
 *
 * <p>Colour limits are robust: each snapshot PNG and each video frame is drawn at ±L with L the
 * {@value #PERCENTILE}th percentile of |ω| of that snapshot, so a few grid-scale extremes do not wash out
 * the field (they are clipped to the end colours); the colour bar and the caption say so. Each frame of
 * the video has its own scale, so a decaying run's late frames keep their contrast (the frame's caption
 * gives L).
 */
public final class RunPictures {
    public static final String VIDEO = "video";
    public static final int MAX_SNAPSHOT_PNGS = 12;
    public static final int MAX_SPECTRA = 8;
    public static final int FPS = 8;
    /** The percentile of |ω| that sets the colour limits. */
    public static final double PERCENTILE = 99.5;

    /** One picture: its path relative to the run directory, a caption, and what it shows. */
    public record Picture(String path, String caption, String kind) {
    }

    private RunPictures() {
    }

    /** Snapshot PNGs, the spectrum plot and the energy/enstrophy plot. */
    public static List<Picture> plots(RunRecord run) throws IOException {
        List<Picture> out = new ArrayList<>();
        Path pics = run.dir().resolve(RunFiles.PICTURES);
        Files.createDirectories(pics);
        List<Long> steps = run.frameSteps();
        SnapshotStore.Reader store = steps.isEmpty() ? null : SnapshotStore.open(run.dir());
        List<Long> spectraSteps = spread(steps, MAX_SPECTRA);
        List<double[]> spectra = new ArrayList<>();
        List<String> spectraLabels = new ArrayList<>();
        for (long step : spread(steps, Math.max(MAX_SNAPSHOT_PNGS, MAX_SPECTRA))) {
            boolean png = spread(steps, MAX_SNAPSHOT_PNGS).contains(step);
            boolean spec = spectraSteps.contains(step);
            if (!png && !spec) {
                continue;
            }
            SnapshotStore.Frame f = store.frame(steps.indexOf(step));
            if (png) {
                String name = String.format(Locale.ROOT, "omega_%012d.png", step);
                double limit = ColorLimits.percentileAbs(f.omega(), PERCENTILE);
                BufferedImage img = FieldImage.render(f.omega(), f.n(), new FieldImage.Style(limit, label(f), true,
                        "ω (p" + PERCENTILE + ")"), Colormap.coolWarm());
                Images.writePng(pics.resolve(name), img);
                out.add(new Picture(RunFiles.PICTURES + "/" + name, String.format(Locale.ROOT, "vorticity ω at %s; colours ±%.3g,"
                        + " the %sth percentile of |ω| (max|ω| = %.3g is clipped)", label(f), limit, PERCENTILE,
                        ColorLimits.maxAbs(f.omega())), "snapshot"));
            }
            if (spec) {
                spectra.add(f.spectrum());
                spectraLabels.add(String.format(Locale.ROOT, "t = %.3g", f.time()));
            }
        }
        if (!spectra.isEmpty()) {
            Images.writePng(pics.resolve("spectrum.png"), Plots.spectrum(spectra.toArray(double[][]::new),
                    spectraLabels.toArray(String[]::new), dev.eddy.numerics.Grid.dealiasCutoff(run.config().n())));
            out.add(0, new Picture(RunFiles.PICTURES + "/spectrum.png", "energy spectrum E(k) at snapshot times, with k⁻³ and k⁻⁵ᐟ³ guides",
                    "plot"));
        }
        if (store != null && steps.size() >= 2) {
            out.addAll(Math.min(out.size(), 1), averagedSpectra(run, store, pics));
        }
        if (run.diagnostics().size() >= 2) {
            Images.writePng(pics.resolve("energy.png"), Plots.energyEnstrophy(run.series(DiagnosticSample::time),
                    run.series(DiagnosticSample::energy), run.series(DiagnosticSample::enstrophy)));
            out.add(spectra.isEmpty() ? 0 : 1, new Picture(RunFiles.PICTURES + "/energy.png", "energy and enstrophy against time", "plot"));
            double[] band = run.series(d -> d.flow().bandFraction());
            if (java.util.Arrays.stream(band).anyMatch(Double::isFinite)) { // runs from before the health check have none
                var bounds = run.config().health();
                Images.writePng(pics.resolve("health.png"), Plots.health(run.series(DiagnosticSample::time), band,
                        run.series(d -> d.flow().cutoffRatio()), bounds.maxBandFraction(), bounds.maxCutoffRatio()));
                out.add(Math.min(out.size(), 2), new Picture(RunFiles.PICTURES + "/health.png", "health check against time: enstrophy near the"
                        + " dealiasing cutoff and E(k_c)/E(k_c/2), with their bounds (dashed)", "plot"));
                Images.writePng(pics.resolve("budget.png"), enstrophyBudget(run));
                out.add(Math.min(out.size(), 3), new Picture(RunFiles.PICTURES + "/budget.png", "enstrophy budget: input by the forcing,"
                        + " dissipation by viscosity, the SGS term and drag, and dZ/dt measured between samples (dashed)", "plot"));
            }
        }
        return out;
    }

    /**
     * Time averages over the later half of the snapshots (t ≥ the middle of the stored times, read one
     * snapshot at a time): E(k) with its guides, E(k) compensated by k³ and k⁵ᐟ³, and the fluxes Π(k), Z(k).
     */
    private static List<Picture> averagedSpectra(RunRecord run, SnapshotStore.Reader store, Path pics) throws IOException {
        int count = store.size();
        double mid = 0.5 * (store.time(0) + store.time(count - 1));
        double[] e = null;
        double[] pe = null;
        double[] pz = null;
        int used = 0;
        int first = -1;
        for (int i = 0; i < count; i++) {
            if (store.time(i) < mid) {
                continue;
            }
            first = first < 0 ? i : first;
            e = add(e, store.frame(i).spectrum());
            pe = add(pe, store.spectral("energy_flux", i));
            pz = add(pz, store.spectral("enstrophy_flux", i));
            used++;
        }
        List<Picture> out = new ArrayList<>();
        if (used == 0 || e == null) {
            return out;
        }
        scale(e, 1.0 / used);
        String window = String.format(Locale.ROOT, "mean of %d snapshots, t = %.3g … %.3g", used, store.time(first),
                store.time(count - 1));
        int cutoff = dev.eddy.numerics.Grid.dealiasCutoff(run.config().n());
        Images.writePng(pics.resolve("spectrum-mean.png"), Plots.spectrum(new double[][] {e}, new String[] {window}, cutoff));
        out.add(new Picture(RunFiles.PICTURES + "/spectrum-mean.png", "time-averaged energy spectrum E(k), " + window, "plot"));
        Images.writePng(pics.resolve("spectrum-compensated.png"), Plots.compensatedSpectrum(e, cutoff, window));
        out.add(new Picture(RunFiles.PICTURES + "/spectrum-compensated.png", "time-averaged E(k) compensated by k³ and k⁵ᐟ³ (a"
                + " plateau marks a cascade range), " + window, "plot"));
        if (pe != null && pz != null) {
            scale(pe, 1.0 / used);
            scale(pz, 1.0 / used);
            Images.writePng(pics.resolve("flux.png"), Plots.fluxes(pe, pz, cutoff, window));
            out.add(new Picture(RunFiles.PICTURES + "/flux.png", "time-averaged spectral fluxes of the resolved advection: energy"
                    + " Π(k) and enstrophy Z(k), positive towards larger k (docs/store-format.md), " + window, "plot"));
        }
        return out;
    }

    private static double[] add(double[] sum, double[] v) {
        if (v == null) {
            return sum;
        }
        if (sum == null) {
            return v.clone();
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] += v[i];
        }
        return sum;
    }

    private static void scale(double[] v, double s) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
    }

    /** The enstrophy budget's terms and the measured dZ/dt (central differences of the samples). */
    private static java.awt.image.BufferedImage enstrophyBudget(RunRecord run) {
        double[] t = run.series(DiagnosticSample::time);
        double[] z = run.series(DiagnosticSample::enstrophy);
        double[] rate = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            int a = Math.max(0, i - 1);
            int b = Math.min(t.length - 1, i + 1);
            rate[i] = t[b] > t[a] ? (z[b] - z[a]) / (t[b] - t[a]) : Double.NaN;
        }
        return Plots.budget("Enstrophy budget", t, new String[] {"forcing input", "viscous dissipation", "SGS dissipation",
                "drag dissipation", "dZ/dt measured"}, new double[][] {run.series(d -> d.flow().enstrophyBudget().forcing()),
                run.series(d -> d.flow().enstrophyBudget().viscous()), run.series(d -> d.flow().enstrophyBudget().sgs()),
                run.series(d -> d.flow().enstrophyBudget().drag()), rate}, "rate of change of ½⟨ω²⟩");
    }

    /** The video of every snapshot, or null when the run has no snapshots. */
    public static Video.Result video(RunRecord run, Consumer<String> log) throws IOException {
        List<Long> steps = run.frameSteps();
        if (steps.isEmpty()) {
            return null;
        }
        SnapshotStore.Reader store = SnapshotStore.open(run.dir());
        Video.Frames frames = new Video.Frames() {
            @Override
            public int count() {
                return steps.size();
            }

            @Override
            public BufferedImage frame(int i) throws IOException {
                SnapshotStore.Frame f = store.frame(i);
                double limit = ColorLimits.percentileAbs(f.omega(), PERCENTILE);
                return FieldImage.render(f.omega(), f.n(), new FieldImage.Style(limit, label(f), true,
                        "ω (p" + PERCENTILE + ")"), Colormap.coolWarm());
            }
        };
        return Video.write(run.dir().resolve(VIDEO), frames, FPS, log);
    }

    static String label(SnapshotStore.Frame f) {
        return String.format(Locale.ROOT, "t = %.4g   (step %d)", f.time(), f.step());
    }

    /** At most {@code max} of the items, evenly spread, keeping the first and the last. */
    static List<Long> spread(List<Long> items, int max) {
        if (items.size() <= max) {
            return items;
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            long pick = items.get((int) Math.round((double) i * (items.size() - 1) / (max - 1)));
            if (out.isEmpty() || out.getLast() != pick) {
                out.add(pick);
            }
        }
        return out;
    }
}
