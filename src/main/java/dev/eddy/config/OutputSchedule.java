package dev.eddy.config;

/**
 * What a run writes and when, in steps. 0 turns a kind of output off (diagnostics cannot be off: they
 * are how a blow-up is caught between checks of max|u|).
 */
public record OutputSchedule(long snapshotEvery, long diagnosticsEvery, long checkpointEvery) {
    public OutputSchedule {
        ConfigException.require(snapshotEvery >= 0, "snapshot interval must be ≥ 0, got " + snapshotEvery);
        ConfigException.require(diagnosticsEvery >= 1, "diagnostics interval must be ≥ 1, got " + diagnosticsEvery);
        ConfigException.require(checkpointEvery >= 0, "checkpoint interval must be ≥ 0, got " + checkpointEvery);
    }
}
