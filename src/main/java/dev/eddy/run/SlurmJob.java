package dev.eddy.run;

import dev.eddy.config.ConfigException;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.store.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An ensemble as a Slurm job: an array of {@code tasks} tasks, task i an ordinary
 * {@code eddy ensemble --members-range} of an equal share of consecutive members into
 * {@code DIR/parts/part-i}, then a merge job that waits for every task ({@code afterok}) and joins the
 * parts into {@code DIR} ({@link EnsembleMerge}). Written into {@code DIR/slurm/}:
 * <ul>
 *   <li>{@code ensemble.json}: the whole ensemble's settings, which every task reads ({@code --config});</li>
 *   <li>{@code array.sbatch}, {@code merge.sbatch}: the two batch scripts;</li>
 *   <li>{@code submit.sh}: submits the array, then the merge depending on it.</li>
 * </ul>
 * Every task runs with {@code --resume}: a task that failed or was preempted (Slurm's SIGTERM makes the run
 * checkpoint and stop; {@code --requeue} puts it back) continues from its own checkpoint, and one that had
 * finished returns at once, so resubmitting {@code submit.sh} after a failure redoes only what is missing.
 * A task whose members were dropped (exit 3) has still written every output, so it counts as done.
 *
 * @param dir     the ensemble's directory (parts, logs and, after the merge, the ensemble itself)
 * @param tasks   the array's tasks (each gets ⌊B/tasks⌋ or ⌈B/tasks⌉ consecutive members)
 * @param eddy    the eddy launcher the scripts call when {@code $EDDY} is not set
 * @param taskArgs more arguments for every task's {@code eddy ensemble} (the devices, the threads, …)
 * @param gres    {@code --gres} of each array task (e.g. {@code gpu:1}), or null
 * @param sbatch  more {@code #SBATCH} options for both jobs (e.g. {@code --partition=gpu}, {@code --time=02:00:00})
 */
public record SlurmJob(Path dir, EnsembleConfig config, int tasks, String eddy, List<String> taskArgs, String gres, List<String> sbatch) {
    public static final String FOLDER = "slurm";

    public SlurmJob {
        dir = dir.toAbsolutePath().normalize();
        taskArgs = List.copyOf(taskArgs);
        sbatch = List.copyOf(sbatch);
        if (tasks < 1 || tasks > config.size()) {
            throw new ConfigException("--slurm takes 1 to " + config.size() + " tasks (one member at least each), got " + tasks);
        }
        if (config.sharedDt() && tasks > 1) {
            throw new ConfigException("a shared dt needs every member in one process: --shared-dt cannot be split over Slurm tasks");
        }
        if (config.base().time().endTime() > 0) {
            // with an end time each part's ensemble steps follow its own members, so the parts' outputs would not line up
            throw new ConfigException("an ensemble split over Slurm tasks runs --steps, not --end-time: each part's outputs must fall on"
                    + " the same ensemble steps for the merge");
        }
        for (String o : sbatch) {
            if (!o.startsWith("--") || o.contains("\n")) {
                throw new ConfigException("--sbatch takes one sbatch option such as --partition=gpu, got '" + o + "'");
            }
        }
    }

    /** Task i's members "A:B". */
    public String range(int task) {
        long b = config.size();
        return b * task / tasks + ":" + b * (task + 1) / tasks;
    }

    public Path folder() {
        return dir.resolve(FOLDER);
    }

    /** Writes the settings and the three scripts; returns submit.sh. */
    public Path write() throws IOException {
        Path f = folder();
        Files.createDirectories(f.resolve("logs"));
        Files.createDirectories(dir.resolve("parts"));
        AtomicFiles.writeString(f.resolve(RunFiles.ENSEMBLE_CONFIG), Json.write(config));
        script(f.resolve("array.sbatch"), arrayScript());
        script(f.resolve("merge.sbatch"), mergeScript());
        Path submit = f.resolve("submit.sh");
        script(submit, submitScript());
        return submit;
    }

    private static void script(Path file, String text) throws IOException {
        AtomicFiles.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    String arrayScript() {
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/bash");
        lines.add("#SBATCH --job-name=eddy-ensemble");
        lines.add("#SBATCH --array=0-" + (tasks - 1));
        lines.add("#SBATCH --output=" + folder().resolve("logs") + "/part-%a.log");
        lines.add("#SBATCH --open-mode=append");
        lines.add("#SBATCH --requeue");
        if (gres != null) {
            lines.add("#SBATCH --gres=" + gres);
        }
        sbatch.forEach(o -> lines.add("#SBATCH " + o));
        lines.add(String.format(Locale.ROOT, "# Eddy: %d members of N = %d in %d parts (task i runs members ranges[i], A to B − 1).",
                config.size(), config.base().n(), tasks));
        lines.add("# A failed or preempted task resumes from its checkpoint when this script (or submit.sh) is submitted again.");
        lines.add("set -uo pipefail");
        StringBuilder ranges = new StringBuilder("ranges=(");
        for (int t = 0; t < tasks; t++) {
            ranges.append(t == 0 ? "" : " ").append(range(t));
        }
        lines.add(ranges.append(")").toString());
        lines.add("task=${SLURM_ARRAY_TASK_ID:?not a Slurm array task}");
        lines.add("part=$(printf '%s/part-%03d' " + quote(dir.resolve("parts").toString()) + " \"$task\")");
        lines.add("echo \"eddy: task $task: members ${ranges[$task]} into $part on $(hostname) at $(date -Is)\"");
        StringBuilder run = new StringBuilder("\"${EDDY:-" + eddy + "}\" ensemble --config " + quote(folder().resolve(RunFiles.ENSEMBLE_CONFIG)
                .toString()) + " --members-range \"${ranges[$task]}\" --out \"$part\" --resume --no-report");
        taskArgs.forEach(a -> run.append(' ').append(quote(a)));
        lines.add(run.toString());
        lines.add("code=$?");
        lines.add("# 3: some members were dropped (frozen); the part's outputs are complete, so the merge may go on");
        lines.add("if [[ $code == 3 ]]; then code=0; fi");
        lines.add("echo \"eddy: task $task: exit $code at $(date -Is)\"");
        lines.add("exit $code");
        return String.join("\n", lines) + "\n";
    }

    String mergeScript() {
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/bash");
        lines.add("#SBATCH --job-name=eddy-merge");
        lines.add("#SBATCH --output=" + folder().resolve("logs") + "/merge.log");
        lines.add("#SBATCH --open-mode=append");
        lines.add("#SBATCH --kill-on-invalid-dep=yes");
        sbatch.forEach(o -> lines.add("#SBATCH " + o));
        lines.add("# Joins the parts of array.sbatch into " + dir + " (submitted by submit.sh, after every task succeeded).");
        lines.add("exec \"${EDDY:-" + eddy + "}\" ensemble merge " + quote(dir.toString()));
        return String.join("\n", lines) + "\n";
    }

    String submitScript() {
        return String.join("\n",
                "#!/bin/bash",
                "# Submits the ensemble's array job and its merge job. Submit again after a failure or preemption: every task",
                "# resumes from its checkpoint (finished ones return at once), and a new merge job waits for the new array.",
                "set -euo pipefail",
                "here=" + quote(folder().toString()),
                "array=$(sbatch --parsable \"$@\" \"$here/array.sbatch\")",
                "array=${array%%;*}",
                "merge=$(sbatch --parsable --dependency=afterok:$array \"$here/merge.sbatch\")",
                "merge=${merge%%;*}",
                "echo \"array job $array, merge job $merge\"") + "\n";
    }

    /** {@code text} as one bash word. */
    static String quote(String text) {
        return text.matches("[A-Za-z0-9_@%+=:,./-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }
}
