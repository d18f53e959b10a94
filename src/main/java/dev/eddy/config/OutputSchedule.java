package dev.eddy.config;

/**
 * What a run writes and when. Snapshots and diagnostics come every so many steps, or every so much
 * simulated time ({@code snapshotDt}, {@code diagnosticsDt} &gt; 0): then the step before each output time
 * is clipped so that the run lands exactly on it (the integrator's own step, not an interpolation), and
 * the outputs are uniformly spaced in time whatever the CFL step does. 0 turns a kind of output off
 * (diagnostics cannot be off: they are how a blow-up is caught between checks of max|u|).
 *
 * @param snapshotDt    snapshot interval in simulated time (0 = by steps, {@code snapshotEvery})
 * @param diagnosticsDt diagnostics interval in simulated time (0 = by steps, {@code diagnosticsEvery})
 * @param compressLevel zlib level 1–9 of the snapshot fields in the store, 0 = stored uncompressed (the
 *                      default: turbulent float fields deflate by about a tenth, at ~100 MB/s per core)
 * @param velocity      also store u, v and the stream function ψ with each snapshot
 */
public record OutputSchedule(long snapshotEvery, long diagnosticsEvery, long checkpointEvery, int compressLevel,
                             double snapshotDt, double diagnosticsDt, boolean velocity) {
    public OutputSchedule {
        ConfigException.require(snapshotEvery >= 0, "snapshot interval must be ≥ 0, got " + snapshotEvery);
        ConfigException.require(diagnosticsEvery >= 1, "diagnostics interval must be ≥ 1, got " + diagnosticsEvery);
        ConfigException.require(checkpointEvery >= 0, "checkpoint interval must be ≥ 0, got " + checkpointEvery);
        ConfigException.require(compressLevel >= 0 && compressLevel <= 9, "compression level must be 0 (off) to 9, got "
                + compressLevel);
        ConfigException.finite(snapshotDt, "snapshot time interval");
        ConfigException.finite(diagnosticsDt, "diagnostics time interval");
        ConfigException.require(snapshotDt >= 0 && diagnosticsDt >= 0, "time intervals must be ≥ 0 (0 = by steps)");
        ConfigException.require(snapshotDt == 0 || snapshotEvery == 0, "give snapshots by steps or by time, not both");
    }

    public OutputSchedule(long snapshotEvery, long diagnosticsEvery, long checkpointEvery) {
        this(snapshotEvery, diagnosticsEvery, checkpointEvery, 0, 0, 0, false);
    }

    public OutputSchedule(long snapshotEvery, long diagnosticsEvery, long checkpointEvery, int compressLevel,
                          double snapshotDt, double diagnosticsDt) {
        this(snapshotEvery, diagnosticsEvery, checkpointEvery, compressLevel, snapshotDt, diagnosticsDt, false);
    }

    public OutputSchedule(long snapshotEvery, long diagnosticsEvery, long checkpointEvery, int compressLevel) {
        this(snapshotEvery, diagnosticsEvery, checkpointEvery, compressLevel, 0, 0, false);
    }
}
