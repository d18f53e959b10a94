package dev.eddy.run;

import dev.eddy.config.ConfigException;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.sim.EnsembleSample;
import dev.eddy.sim.MemberStatus;
import dev.eddy.store.EnsembleCheckpoint;
import dev.eddy.store.EnsemblePart;
import dev.eddy.store.EnsembleStore;
import dev.eddy.store.RunFiles;
import dev.eddy.store.ZarrEnsembleStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Joins the parts of an ensemble run apart ({@code eddy ensemble --members-range}, one per Slurm array
 * task) into the directory of one ensemble, as if one process had run every member: {@code ensemble.json},
 * {@code ensemble-checkpoint.bin} (so {@code --restart} can continue it) and {@code ensemble.zarr}, members
 * in order. Members are independent, so each member's values are its part's bits; the merge only lays them
 * side by side, one snapshot at a time (each part's chunks read once, each merged chunk written once: the
 * cost grows with the number of snapshots, not with its square, and memory holds one snapshot).
 *
 * <p>It refuses, before writing anything, parts of different ensembles, a member in no part or in two,
 * a part that has not finished (a member still running in its checkpoint: resubmit its task), and parts
 * whose snapshots or diagnostics were taken at different ensemble steps.
 */
public final class EnsembleMerge {
    /** One part: where it is, which members, and its final checkpoint. */
    record Part(Path dir, EnsemblePart members, EnsembleCheckpoint checkpoint) {
    }

    private EnsembleMerge() {
    }

    /** The part directories under {@code dir} (its subdirectories and theirs, e.g. {@code dir/parts/part-000}). */
    public static List<Path> findParts(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("no such directory: " + dir);
        }
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(p -> !p.equals(dir) && Files.isDirectory(p) && EnsemblePart.isPart(p)).sorted().toList();
        }
    }

    /**
     * Merges the parts under {@code dir} into {@code out} (may be {@code dir}); returns the merged checkpoint.
     * A previous merge in {@code out} is replaced.
     */
    public static EnsembleCheckpoint merge(Path dir, Path out) throws IOException {
        List<Part> parts = new ArrayList<>();
        for (Path p : findParts(dir)) {
            EnsemblePart members = EnsemblePart.read(p);
            if (!Files.exists(p.resolve(RunFiles.ENSEMBLE_CHECKPOINT))) {
                throw new ConfigException("part " + p + " (members " + members.range() + ") has no checkpoint yet: its task has not run"
                        + " or was stopped before its first checkpoint; resubmit it");
            }
            parts.add(new Part(p, members, EnsembleCheckpoint.read(p)));
        }
        if (parts.isEmpty()) {
            throw new ConfigException(dir + " holds no ensemble parts (directories with " + RunFiles.ENSEMBLE_PART + ")");
        }
        EnsembleConfig whole = check(parts);
        parts.sort(Comparator.comparingInt(p -> p.members().from()));
        EnsembleCheckpoint merged = joinCheckpoints(whole, parts);

        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve(RunFiles.ENSEMBLE_CHECKPOINT)); // a previous merge's: not valid while its store is replaced
        ZarrEnsembleStore store = ZarrEnsembleStore.create(out, whole); // replaces a previous merge's
        List<EnsembleStore> partStores = new ArrayList<>();
        for (Part p : parts) {
            partStores.add(EnsembleStore.open(p.dir(), p.checkpoint().config()));
        }
        for (long step : committedSteps(parts.getFirst())) {
            store.write(joinFrames(whole, step, partStores));
        }
        long snapshots = store.commit(merged.diagnostics(), merged.status());
        AtomicFiles.writeString(out.resolve(RunFiles.ENSEMBLE_CONFIG), Json.write(whole));
        EnsembleCheckpoint committed = new EnsembleCheckpoint(merged.config(), merged.step(), merged.status(), merged.diagnostics(),
                merged.states(), snapshots);
        committed.write(out);
        return committed;
    }

    /** The whole ensemble, once every part is known to belong to it, to be finished, and to tile its members once each. */
    private static EnsembleConfig check(List<Part> parts) throws IOException {
        Part first = parts.getFirst();
        EnsembleConfig whole = first.members().ensemble();
        for (Part p : parts) {
            if (!p.members().ensemble().equals(whole)) {
                throw new ConfigException("part " + p.dir() + " belongs to another ensemble than " + first.dir() + " (their settings differ)");
            }
            if (!p.checkpoint().config().members().equals(p.members().config().members())) {
                throw new ConfigException("part " + p.dir() + ": its checkpoint holds other members than its " + RunFiles.ENSEMBLE_PART
                        + " names (" + p.members().range() + ")");
            }
            for (MemberStatus s : p.checkpoint().status()) {
                if (s.running()) {
                    throw new ConfigException("part " + p.dir() + " (members " + p.members().range() + ") is not finished: its checkpoint is of"
                            + " step " + p.checkpoint().step() + "; resubmit its task (it resumes from that checkpoint)");
                }
            }
        }
        List<Part> byFrom = parts.stream().sorted(Comparator.comparingInt(p -> p.members().from())).toList();
        int next = 0;
        Part previous = null;
        for (Part p : byFrom) {
            if (p.members().from() < next) {
                throw new ConfigException("members " + p.members().from() + ":" + Math.min(next, p.members().to()) + " are in two parts: "
                        + previous.dir() + " (" + previous.members().range() + ") and " + p.dir() + " (" + p.members().range() + ")");
            }
            if (p.members().from() > next) {
                throw new ConfigException("members " + next + ":" + p.members().from() + " are in no part: a part is missing");
            }
            next = p.members().to();
            previous = p;
        }
        if (next < whole.size()) {
            throw new ConfigException("members " + next + ":" + whole.size() + " are in no part: a part is missing");
        }
        List<Long> frames = committedSteps(first);
        for (Part p : parts) {
            if (p.checkpoint().step() != first.checkpoint().step()
                    || !sampleSteps(p).equals(sampleSteps(first))
                    || !committedSteps(p).equals(frames)) {
                throw new ConfigException("parts " + first.dir() + " and " + p.dir() + " ended at ensemble steps " + first.checkpoint().step()
                        + " and " + p.checkpoint().step() + " with outputs at different steps: only parts of a --steps run in which every"
                        + " part runs to the end can be merged");
            }
        }
        return whole;
    }

    /** The steps of the snapshots a part's checkpoint commits (its store may hold more, appended after it). */
    private static List<Long> committedSteps(Part p) throws IOException {
        List<Long> steps = EnsembleStore.open(p.dir(), p.checkpoint().config()).steps();
        if (steps.size() < p.checkpoint().snapshots()) {
            throw new dev.eddy.io.CorruptFileException(p.dir().resolve(RunFiles.ENSEMBLE), "holds " + steps.size()
                    + " snapshots, its checkpoint commits " + p.checkpoint().snapshots());
        }
        return steps.subList(0, Math.toIntExact(p.checkpoint().snapshots()));
    }

    private static List<Long> sampleSteps(Part p) {
        return p.checkpoint().diagnostics().stream().map(EnsembleSample::step).toList();
    }

    private static EnsembleCheckpoint joinCheckpoints(EnsembleConfig whole, List<Part> parts) {
        List<MemberStatus> status = new ArrayList<>();
        double[][] states = new double[whole.size()][];
        for (Part p : parts) {
            status.addAll(p.checkpoint().status());
            System.arraycopy(p.checkpoint().states(), 0, states, p.members().from(), p.checkpoint().states().length);
        }
        List<EnsembleSample> samples = new ArrayList<>();
        int count = parts.getFirst().checkpoint().diagnostics().size();
        for (int i = 0; i < count; i++) {
            List<DiagnosticSample> members = new ArrayList<>();
            for (Part p : parts) {
                members.addAll(p.checkpoint().diagnostics().get(i).members());
            }
            samples.add(new EnsembleSample(parts.getFirst().checkpoint().diagnostics().get(i).step(), members));
        }
        return new EnsembleCheckpoint(whole, parts.getFirst().checkpoint().step(), status, samples, states,
                parts.getFirst().checkpoint().snapshots());
    }

    private static EnsembleStore.Frame joinFrames(EnsembleConfig whole, long step, List<EnsembleStore> parts) throws IOException {
        int b = whole.size();
        long[] steps = new long[b];
        double[] times = new double[b];
        double[][] omega = new double[b][];
        double[][] spectra = new double[b][];
        int at = 0;
        for (EnsembleStore part : parts) {
            EnsembleStore.Frame f = part.read(step);
            int m = f.omega().length;
            System.arraycopy(f.steps(), 0, steps, at, m);
            System.arraycopy(f.times(), 0, times, at, m);
            System.arraycopy(f.omega(), 0, omega, at, m);
            System.arraycopy(f.spectra(), 0, spectra, at, m);
            at += m;
        }
        return new EnsembleStore.Frame(step, steps, times, omega, spectra);
    }
}
