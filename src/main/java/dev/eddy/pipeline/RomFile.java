package dev.eddy.pipeline;

import dev.eddy.backend.Latents;
import dev.eddy.codec.CodecKernels_F64;
import dev.eddy.config.ConfigException;
import dev.eddy.io.Json;
import dev.eddy.io.Versions;
import dev.eddy.proxy.LinearProxy;
import dev.eddy.proxy.OperatorFactors;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.Complex_F64;

/**
 * The pipeline's reduced-order model, kept as {@code rom.h5} (HDF5, for h5py; docs/pipeline.md lists
 * every dataset): the training latents, the operator (A, or its factors), A's eigenvalues, the rolled-out
 * latents, the latent index map (which (kx, ky) and part each latent entry is), the residual's fading and
 * the settings; with {@code --save-fields} also the LES and predicted fields of every compared step.
 * Rows are snapshots: {@code latents/training[t]} is z_t. Written to a temporary file and moved into place.
 */
final class RomFile {
    private RomFile() {
    }

    /** The LES and predicted fields of the compared steps (--save-fields), float32, gathered as the horizon runs. */
    static final class Fields {
        private final int n;
        private final List<Integer> steps = new ArrayList<>();
        private final List<float[][]> truth = new ArrayList<>();
        private final List<float[][]> prediction = new ArrayList<>();

        Fields(PipelineSettings settings) {
            this.n = settings.les().n();
        }

        void add(int step, double[] les, double[] predicted) {
            steps.add(step);
            truth.add(square(les));
            prediction.add(square(predicted));
        }

        private float[][] square(double[] f) {
            float[][] out = new float[n][n];
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    out[y][x] = (float) f[y * n + x];
                }
            }
            return out;
        }
    }

    /** Refuses --save-fields up front when the fields of every compared step would not fit in a third of the heap. */
    static void checkFieldsFit(PipelineSettings settings) {
        long n = settings.les().n();
        long compared = (settings.horizon() + settings.compareEvery() - 1) / settings.compareEvery();
        long bytes = 2 * compared * n * n * Float.BYTES;
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap / 3) {
            throw new ConfigException(String.format(java.util.Locale.ROOT, "--save-fields keeps %d compared steps of two %d×%d float32"
                    + " fields (%.1f GB) in memory until rom.h5 is written, more than a third of the heap (%.1f GB): raise"
                    + " --compare-every, or the heap (JAVA_TOOL_OPTIONS=-Xmx…)", compared, n, n, bytes / 1e9, heap / 1e9));
        }
    }

    static void write(Path file, PipelineSettings settings, Pipeline.Result r, Latents latents, Latents trajectory, Fields fields)
            throws IOException {
        int d = latents.d();
        int train = settings.trainingSnapshots();
        int horizon = settings.horizon();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (WritableHdfFile h5 = HdfFile.write(tmp)) {
            h5.putAttribute("settings_json", Json.write(settings));
            h5.putAttribute("eddy_version", Versions.eddy());
            h5.putAttribute("n", settings.les().n());
            h5.putAttribute("k", settings.codec().k());
            h5.putAttribute("d", d);
            h5.putAttribute("stride", settings.stride());
            h5.putAttribute("frozen_dt", r.frozenDt());
            h5.putAttribute("precision", settings.les().precision().label());

            WritableGroup z = h5.putGroup("latents");
            z.putAttribute("layout", "rows are snapshots; entry q of a row is Re (part 0) or Im (part 1) of the normalised Fourier"
                    + " coefficient ω̂(kx, ky)/N² named by index[q]");
            z.putDataset("training", rows(latents.columns(0, train), d, train));
            z.putDataset("rollout", rows(trajectory.columns(0, horizon + 1), d, horizon + 1));
            z.putDataset("index", index(settings.codec().k(), d));

            WritableGroup a = h5.putGroup("operator");
            LinearProxy proxy = r.proxy();
            a.putAttribute("lambda", proxy.lambda());
            a.putAttribute("rank", proxy.rank());
            a.putAttribute("form", String.valueOf(proxy.fit().get("form")));
            a.putAttribute("spectral_radius", ((Number) proxy.fit().get("spectral_radius")).doubleValue());
            if (proxy.factors().isPresent()) {
                OperatorFactors f = proxy.factors().get();
                a.putAttribute("apply", "A = left @ right.T (right: the principal directions of the training latents, strongest"
                        + " first; orthonormal up to rounding, which grows as 1/sqrt(eigenvalue) for the weak ones)");
                a.putDataset("left", columnsAsMatrix(f.left(), d, f.m()));
                a.putDataset("right", columnsAsMatrix(f.right(), d, f.m()));
            } else {
                a.putAttribute("apply", "z_next = a @ z");
                a.putDataset("a", rows(proxy.a(), d, d));
            }
            if (!r.eigenvalues().isEmpty()) {
                double[][] e = new double[r.eigenvalues().size()][2];
                for (int i = 0; i < e.length; i++) {
                    Complex_F64 v = r.eigenvalues().get(i);
                    e[i][0] = v.real;
                    e[i][1] = v.imaginary;
                }
                a.putDataset("eigenvalues", e);
            }

            WritableGroup fade = h5.putGroup("residual_fade");
            fade.putAttribute("meaning", "coefficient[h]: the least-squares factor of the residual h snapshots later on the residual"
                    + " now, over the training window; pairs[h] the pairs it was estimated from");
            fade.putDataset("coefficient", r.fade().coefficients());
            fade.putDataset("pairs", r.fade().pairs());

            if (fields != null && !fields.steps.isEmpty()) {
                WritableGroup g = h5.putGroup("fields");
                g.putDataset("proxy_step", fields.steps.stream().mapToInt(Integer::intValue).toArray());
                g.putDataset("truth", fields.truth.toArray(new float[0][][]));
                g.putDataset("prediction", fields.prediction.toArray(new float[0][][]));
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A column-major d×count matrix as count rows of d. */
    private static double[][] rows(double[] columnMajor, int d, int count) {
        double[][] out = new double[count][d];
        for (int j = 0; j < count; j++) {
            System.arraycopy(columnMajor, j * d, out[j], 0, d);
        }
        return out;
    }

    /** A column-major d×m matrix as d rows of m (the matrix itself, row-major). */
    private static double[][] columnsAsMatrix(double[] columnMajor, int d, int m) {
        double[][] out = new double[d][m];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < d; i++) {
                out[i][j] = columnMajor[j * d + i];
            }
        }
        return out;
    }

    /** For each latent entry q: (kx, ky, part), part 0 the real and 1 the imaginary part. */
    static int[][] index(int k, int d) {
        int[][] out = new int[d][];
        for (int ky = -k; ky <= k; ky++) {
            for (int kx = 0; kx <= k; kx++) {
                int q = CodecKernels_F64.latentIndex(k, kx, ky);
                out[q] = new int[] {kx, ky, 0};
                out[q + 1] = new int[] {kx, ky, 1};
            }
        }
        return out;
    }
}
