package dev.eddy.config;

/**
 * What a run writes and when, in steps. 0 turns a kind of output off (diagnostics cannot be off: they
 * are how a blow-up is caught between checks of max|u|).
 *
 * @param compressLevel zlib level 1–9 of the snapshot fields in the store, 0 = stored uncompressed (the
 *                      default: turbulent float fields deflate by about a tenth, at ~100 MB/s per core)
 */
public record OutputSchedule(long snapshotEvery, long diagnosticsEvery, long checkpointEvery, int compressLevel) {
    public OutputSchedule {
        ConfigException.require(snapshotEvery >= 0, "snapshot interval must be ≥ 0, got " + snapshotEvery);
        ConfigException.require(diagnosticsEvery >= 1, "diagnostics interval must be ≥ 1, got " + diagnosticsEvery);
        ConfigException.require(checkpointEvery >= 0, "checkpoint interval must be ≥ 0, got " + checkpointEvery);
        ConfigException.require(compressLevel >= 0 && compressLevel <= 9, "compression level must be 0 (off) to 9, got "
                + compressLevel);
    }

    public OutputSchedule(long snapshotEvery, long diagnosticsEvery, long checkpointEvery) {
        this(snapshotEvery, diagnosticsEvery, checkpointEvery, 0);
    }
}
