package dev.eddy.report;

import dev.eddy.config.EnsembleConfig;
import dev.eddy.io.AtomicFiles;
import dev.eddy.numerics.Grid;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.sim.EnsembleSample;
import dev.eddy.sim.MemberStatus;
import dev.eddy.store.EnsembleStore;
import dev.eddy.store.RunFiles;
import dev.eddy.viz.ColorLimits;
import dev.eddy.viz.Colormap;
import dev.eddy.viz.FieldImage;
import dev.eddy.viz.Images;
import dev.eddy.viz.Plots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The report of an ensemble: the ensemble's mean and spread (one standard deviation over the members) of
 * the energy and the enstrophy against time, and of the energy spectrum at the last snapshot, a few
 * members' fields at the last snapshot, and a table of the members (settings, fate, final figures).
 * {@code report.html} (pictures embedded) and {@code report.md}. Statistics are over the members whose
 * values are finite (a dropped member's frozen state may not be); with a dt per member the members'
 * times differ, and the time axis is their mean.
 */
public final class EnsembleReport {
    /** Members whose fields are shown. */
    static final int FIELDS_SHOWN = 4;

    private EnsembleReport() {
    }

    /** Mean and standard deviation of the finite values; NaN where there are none. */
    static double[] meanAndSpread(double[] values) {
        double sum = 0;
        int count = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                sum += v;
                count++;
            }
        }
        if (count == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = sum / count;
        double var = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                var += (v - mean) * (v - mean);
            }
        }
        return new double[] {mean, Math.sqrt(var / Math.max(1, count - 1))};
    }

    /** One figure of the series: [0] mean and [1] spread over the members at each sample. */
    static double[][] series(List<EnsembleSample> samples, ToDoubleFunction<DiagnosticSample> f) {
        double[][] out = new double[2][samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            double[] ms = meanAndSpread(samples.get(i).members().stream().mapToDouble(f).toArray());
            out[0][i] = ms[0];
            out[1][i] = ms[1];
        }
        return out;
    }

    public static void write(Path dir, EnsembleConfig config, List<MemberStatus> status, List<EnsembleSample> samples,
                             EnsembleStore store) throws IOException {
        Grid g = new Grid(config.base().n());
        StringBuilder h = new StringBuilder();
        StringBuilder md = new StringBuilder();
        String title = String.format(Locale.ROOT, "Eddy ensemble: %d members, N = %d, %s", config.size(), g.n(),
                config.base().precision().label());
        long dropped = status.stream().filter(s -> s.phase() == MemberStatus.Phase.DROPPED).count();
        String meta = String.format(Locale.ROOT, "%s, %s dt, %s at C = %s; %d dropped; mean ± one standard deviation over the members",
                dir.getFileName(), config.sharedDt() ? "one shared" : "each member's own", config.base().time().stepper(),
                config.base().time().cfl(), dropped);
        ReportPage.open(h, title, meta);
        md.append("# ").append(title).append("\n\n").append(meta).append("\n\n");

        double[] time = series(samples, DiagnosticSample::time)[0];
        double[][] energy = series(samples, DiagnosticSample::energy);
        double[][] enstrophy = series(samples, DiagnosticSample::enstrophy);
        figure(h, md, "energy", Plots.meanAndSpread("Energy over the ensemble", "t (mean over the members)", "energy ½⟨u²+v²⟩", time,
                new String[] {"energy"}, new double[][] {energy[0]}, new double[][] {energy[1]}, false));
        figure(h, md, "enstrophy", Plots.meanAndSpread("Enstrophy over the ensemble", "t (mean over the members)", "enstrophy ½⟨ω²⟩",
                time, new String[] {"enstrophy"}, new double[][] {enstrophy[0]}, new double[][] {enstrophy[1]}, false));

        List<Long> frames = store.steps();
        if (!frames.isEmpty()) {
            EnsembleStore.Frame last = store.read(frames.getLast());
            int kmax = g.dealiasCutoff();
            double[] k = new double[kmax + 1];
            double[][] e = new double[2][kmax + 1];
            for (int i = 0; i <= kmax; i++) {
                k[i] = i;
                double[] atK = new double[config.size()];
                for (int m = 0; m < atK.length; m++) {
                    atK[m] = last.spectra()[m][i];
                }
                double[] ms = meanAndSpread(atK);
                e[0][i] = ms[0];
                e[1][i] = ms[1];
            }
            figure(h, md, "spectrum", Plots.meanAndSpread("Energy spectrum at ensemble step " + last.step(), "k", "E(k)", k,
                    new String[] {"E(k)"}, new double[][] {e[0]}, new double[][] {e[1]}, true));
            int shown = Math.min(FIELDS_SHOWN, config.size());
            double limit = 0;
            for (int m = 0; m < shown; m++) {
                limit = Math.max(limit, ColorLimits.maxAbs(last.omega()[m]));
            }
            h.append("<h2>Fields at ensemble step ").append(last.step()).append("</h2>\n");
            md.append("## Fields at ensemble step ").append(last.step()).append("\n\n");
            for (int m = 0; m < shown; m++) {
                String label = String.format(Locale.ROOT, "member %d, t = %.4g", m, last.times()[m]);
                byte[] png = Images.png(FieldImage.render(last.omega()[m], g.n(), new FieldImage.Style(limit > 0 ? limit : 1, label, true,
                        "ω"), Colormap.coolWarm()));
                ReportPage.image(h, label, png);
                md.append("- ").append(label).append(" (the picture is in report.html)\n");
            }
            md.append('\n');
        }

        Section members = members(config, status, samples);
        ReportPage.table(h, members);
        ReportPage.markdown(md, members);
        ReportPage.close(h);
        AtomicFiles.writeString(dir.resolve(RunFiles.REPORT_HTML), h.toString());
        AtomicFiles.writeString(dir.resolve(RunFiles.REPORT_MD), md.toString());
    }

    private static void figure(StringBuilder h, StringBuilder md, String name, java.awt.image.BufferedImage image) throws IOException {
        h.append("<h2>").append(ReportPage.esc(name)).append("</h2>\n");
        ReportPage.image(h, name, Images.png(image));
        h.append('\n');
        md.append("## ").append(name).append("\n\n(the picture is in report.html)\n\n");
    }

    private static Section members(EnsembleConfig config, List<MemberStatus> status, List<EnsembleSample> samples) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"member", "seed", "ν", "μ", "C_s", "A", "fate", "step", "t", "energy", "enstrophy", "why it stopped"});
        for (int m = 0; m < config.size(); m++) {
            EnsembleConfig.Member s = config.members().get(m);
            MemberStatus st = status.get(m);
            DiagnosticSample last = samples.isEmpty() ? null : samples.getLast().members().get(m);
            rows.add(new String[] {Integer.toString(m), Long.toString(s.seed()), g(s.nu()), g(s.mu()), g(s.cs()), g(s.forcingAmplitude()),
                    st.phase().name().toLowerCase(Locale.ROOT), Long.toString(st.step()), g(st.time()),
                    last == null ? "" : g(last.energy()), last == null ? "" : g(last.enstrophy()), st.reason() == null ? "" : st.reason()});
        }
        return new Section("Members", rows, "energy and enstrophy at the last diagnostics sample");
    }

    private static String g(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
