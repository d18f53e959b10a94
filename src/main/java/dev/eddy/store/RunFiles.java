package dev.eddy.store;

/**
 * The names of the files in a run directory ({@code eddy run} and {@code eddy pipeline}), in one place:
 * the writers, the readers (restart, {@code eddy report}) and the tests resolve them from here.
 */
public final class RunFiles {
    /** The settings of an LES run, enough to re-run it ({@code eddy run --config}). */
    public static final String CONFIG = "config.json";
    /** The commit point: the exact state, step and time, and how much of each output belongs to it. */
    public static final String CHECKPOINT = "checkpoint.bin";
    /** The snapshots, spectra and diagnostics: a Zarr store for xarray ({@code xr.open_zarr}). */
    public static final String SNAPSHOTS = "snapshots.zarr";
    /** The settings of {@code eddy run --encode} (so that a restart keeps encoding). */
    public static final String ENCODE = "encode.json";
    /** Present while a run has not reached its first checkpoint: says how to start it again in place. */
    public static final String INCOMPLETE = "INCOMPLETE";
    /** The lock a run or pipeline holds on its directory (holder's PID inside). */
    public static final String LOCK = ".eddy.lock";
    /** Outputs of an older Eddy (frames/, snapshots.h5): a directory holding them is not continued by this one. */
    public static final String LEGACY_FRAMES = "frames";
    public static final String LEGACY_SNAPSHOTS = "snapshots.h5";
    /** The metrics JSON of {@code --log-metrics}. */
    public static final String METRICS = "metrics.json";
    /** The latent + ternary codes of {@code eddy run --encode}. */
    public static final String CODES = "codes.eddyc";
    /** The settings of a pipeline. */
    public static final String PIPELINE_SETTINGS = "pipeline.json";
    /** The pipeline's proxy against the LES, one row per compared proxy step. */
    public static final String HORIZON_CSV = "horizon.csv";
    /** The pipeline's reduced-order model: training and rolled-out latents, A, its eigenvalues, the latent index map. */
    public static final String ROM = "rom.h5";
    /** The report page and its markdown twin. */
    public static final String REPORT_HTML = "report.html";
    public static final String REPORT_MD = "report.md";
    /** The report's pictures. */
    public static final String PICTURES = "pictures";
    /** An ensemble's settings, enough to re-run it ({@code eddy ensemble --config}). */
    public static final String ENSEMBLE_CONFIG = "ensemble.json";
    /** An ensemble's restart point: every member's exact state, step, time and fate ({@code eddy ensemble}). */
    public static final String ENSEMBLE_CHECKPOINT = "ensemble-checkpoint.bin";
    /** An ensemble's snapshots, diagnostics and member settings, with a member dimension: a Zarr store for xarray ({@code xr.open_zarr}). */
    public static final String ENSEMBLE = "ensemble.zarr";
    /** The HDF5 copy of an ensemble's store that {@code eddy ensemble export --h5} writes on request. */
    public static final String ENSEMBLE_H5 = "ensemble.h5";
    /** Frame files of an older Eddy's ensemble: a directory holding them is not continued by this one. */
    public static final String LEGACY_ENSEMBLE_FRAMES = "ensemble-frames";
    /** Which members of which ensemble a part directory runs ({@code eddy ensemble --members-range}; joined by {@code eddy ensemble merge}). */
    public static final String ENSEMBLE_PART = "ensemble-part.json";
    /** The pipeline's stage checkpoints (spin-up state, training window). */
    public static final String PIPELINE_STAGES = "stages";
    /** The mark of a finished pipeline (its absence marks an incomplete one, which a second start resumes). */
    public static final String PIPELINE_DONE = "DONE";

    private RunFiles() {
    }
}
