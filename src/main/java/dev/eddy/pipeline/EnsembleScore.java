package dev.eddy.pipeline;

import dev.eddy.backend.Backend;
import dev.eddy.backend.Latents;
import dev.eddy.codec.CodecSettings;
import dev.eddy.codec.Codecs;
import dev.eddy.codec.FieldErrors;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.config.ConfigException;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.numerics.Reductions;
import dev.eddy.proxy.Gram;
import dev.eddy.proxy.GramAccumulator;
import dev.eddy.proxy.LinearProxy;
import dev.eddy.proxy.Proxies;
import dev.eddy.proxy.ProxySettings;
import dev.eddy.proxy.RidgeLearner;
import dev.eddy.proxy.Rollout;
import dev.eddy.store.EnsembleStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proxy judged on many trajectories (design §4 on an ensemble): the linear proxy is learnt on the
 * training members' snapshot sequences (each member's pairs z_t → z_{t+1}, never a pair across two
 * members; each member's last pairs held out to choose λ), then rolled out from every held-out member's
 * snapshot {@code origin} at once (one batched rollout) and compared with that member's own snapshots over
 * the horizon. Its accuracy is then a mean over the held-out members with a spread, not one origin.
 *
 * <p>The snapshots come from an ensemble's store ({@link EnsembleStore}), one proxy step per snapshot
 * interval; the last {@code heldOut} members are held out. The codec's latent matrix holds every
 * member's latents time-major (column t·B + m), so the held-out members' starts are consecutive columns,
 * the batch a rollout starts from. Errors per held-out member and proxy step: the relative L2 of the
 * latent, and of the decoded field L(ẑ) against the member's ω beside the codec floor L(z) (both
 * without the residual).
 */
public final class EnsembleScore {

    /**
     * @param heldOut the last members, held out of the fit and scored
     * @param origin  the snapshot (index) the fit and the rollouts start from: earlier ones are the transient
     */
    public record Settings(CodecSettings codec, ProxySettings proxy, int heldOut, int origin) {
        public Settings {
            if (heldOut < 1) {
                throw new ConfigException("--held-out must be ≥ 1, got " + heldOut);
            }
            if (origin < 0) {
                throw new ConfigException("--origin must be ≥ 0, got " + origin);
            }
        }
    }

    /**
     * What the score found: per held-out member (rows) and proxy step 0 … H (columns) the errors, and their
     * mean and standard deviation over the held-out members at each step.
     *
     * @param heldOut     the members scored
     * @param steps       the ensemble steps of the compared snapshots (origin … last)
     * @param latentError ‖ẑ − z‖/‖z‖
     * @param fieldError  ‖L(ẑ) − ω‖/‖ω‖
     * @param codecFloor  ‖L(z) − ω‖/‖ω‖, what the codec alone loses
     */
    public record Result(List<Integer> heldOut, long[] steps, double[][] latentError, double[][] fieldError, double[][] codecFloor,
                         Map<String, Object> fit) {
        /** Mean and standard deviation over the held-out members at each step: [0] mean, [1] spread. */
        public static double[][] meanAndSpread(double[][] perMember) {
            int steps = perMember[0].length;
            double[][] out = new double[2][steps];
            for (int t = 0; t < steps; t++) {
                double sum = 0;
                for (double[] row : perMember) {
                    sum += row[t];
                }
                double mean = sum / perMember.length;
                double var = 0;
                for (double[] row : perMember) {
                    var += (row[t] - mean) * (row[t] - mean);
                }
                out[0][t] = mean;
                out[1][t] = Math.sqrt(var / Math.max(1, perMember.length - 1));
            }
            return out;
        }

        /** The result as JSON-ready data: every member's rows and the mean ± spread per step. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("held_out_members", heldOut);
            m.put("steps", steps);
            m.put("field_error_mean", meanAndSpread(fieldError)[0]);
            m.put("field_error_spread", meanAndSpread(fieldError)[1]);
            m.put("latent_error_mean", meanAndSpread(latentError)[0]);
            m.put("latent_error_spread", meanAndSpread(latentError)[1]);
            m.put("codec_floor_mean", meanAndSpread(codecFloor)[0]);
            m.put("field_error", fieldError);
            m.put("latent_error", latentError);
            m.put("codec_floor", codecFloor);
            m.put("fit", fit);
            return m;
        }
    }

    private EnsembleScore() {
    }

    /** Scores the proxy on the ensemble in {@code dir}, with the codec, fit and rollout on {@code backend}. */
    public static Result score(Path dir, Settings s, Backend backend) throws IOException {
        EnsembleConfig config = EnsembleStore.settings(dir);
        EnsembleStore store = EnsembleStore.open(dir, config);
        int b = config.size();
        List<Long> all = store.steps();
        if (s.codec().n() != config.base().n()) {
            throw new ConfigException("the codec is set for N = " + s.codec().n() + ", the ensemble's N is " + config.base().n());
        }
        if (s.heldOut() >= b) {
            throw new ConfigException("--held-out " + s.heldOut() + " leaves no member of " + b + " to learn from");
        }
        int snapshots = all.size() - s.origin();
        if (snapshots < 3) {
            throw new ConfigException("the ensemble has " + all.size() + " snapshots; from --origin " + s.origin()
                    + " at least 3 are needed (a fit, a held-out pair and a step to score)");
        }
        List<Long> steps = all.subList(s.origin(), all.size());
        int train = b - s.heldOut();
        List<EnsembleStore.Frame> frames = new ArrayList<>();
        for (long step : steps) {
            frames.add(store.read(step));
        }
        try (SnapshotCodec codec = Codecs.create(s.codec(), backend, snapshots * b)) {
            for (int t = 0; t < snapshots; t++) {
                for (int m = 0; m < b; m++) {
                    codec.encode(frames.get(t).omega()[m], t * b + m); // time-major: column t·B + m
                }
            }
            Latents z = codec.latents();
            LinearProxy proxy = learn(z, b, train, snapshots, s.proxy(), backend, s.codec());
            int horizon = snapshots - 1;
            double[][] latentError = new double[s.heldOut()][horizon + 1];
            double[][] fieldError = new double[s.heldOut()][horizon + 1];
            double[][] floor = new double[s.heldOut()][horizon + 1];
            try (Rollout rollout = Proxies.rollout(backend, codec.settings().latentDimension(), s.heldOut(), horizon,
                    s.codec().precision())) {
                rollout.setOperator(proxy);
                rollout.start(z, train); // the held-out members' first snapshots: columns train … B − 1 of time 0
                rollout.run(horizon);
                Latents predicted = rollout.trajectory();
                int perTrajectory = predicted.columns() / s.heldOut();
                for (int h = 0; h < s.heldOut(); h++) {
                    int m = train + h;
                    for (int t = 0; t <= horizon; t++) {
                        int own = t * b + m;
                        int mine = h * perTrajectory + t;
                        latentError[h][t] = Reductions.relL2(predicted.column(mine), z.column(own));
                        var truth = FieldErrors.reference(s.codec().n(), frames.get(t).omega()[m]);
                        fieldError[h][t] = truth.compare(codec.decode(predicted, mine, null)).relL2();
                        floor[h][t] = truth.compare(codec.decode(z, own, null)).relL2();
                    }
                }
            }
            List<Integer> scored = new ArrayList<>();
            for (int m = train; m < b; m++) {
                scored.add(m);
            }
            Map<String, Object> fit = new LinkedHashMap<>(proxy.fit());
            fit.put("training_members", train);
            fit.put("pairs_per_member", snapshots - 1);
            return new Result(scored, steps.stream().mapToLong(Long::longValue).toArray(), latentError, fieldError, floor, fit);
        }
    }

    /**
     * The ridge fit over the training members' own pairs: one Gram accumulator per member (a pair never
     * spans two members), each member's last pairs held out for λ as a single run's are, the members' blocks summed.
     */
    private static LinearProxy learn(Latents z, int members, int train, int snapshots, ProxySettings settings, Backend backend,
                                     CodecSettings codec) {
        int d = codec.latentDimension();
        settings.checkDimension(d);
        long split = settings.splitBeforeLatent(snapshots);
        Gram training = null;
        Gram validation = null;
        for (int m = 0; m < train; m++) {
            try (GramAccumulator g = Proxies.gram(backend, d, codec.precision())) {
                for (int t = 0; t < snapshots; t++) {
                    if (t == split) {
                        g.split();
                    }
                    g.add(z, t * members + m);
                }
                List<Gram> blocks = g.blocks();
                training = training == null ? blocks.getFirst() : training.plus(blocks.getFirst());
                for (Gram v : blocks.subList(1, blocks.size())) {
                    validation = validation == null ? v : validation.plus(v);
                }
            }
        }
        return RidgeLearner.learn(training, validation, settings);
    }

    /** Writes the result as {@code file} (JSON), atomically. */
    public static void write(Result r, Path file) throws IOException {
        AtomicFiles.writeString(file, Json.write(r.toMap()));
    }
}
