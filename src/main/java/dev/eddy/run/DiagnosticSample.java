package dev.eddy.run;

/** Diagnostics of the state after {@code step} steps. {@code dt} is the step that led to it (0 at step 0). */
public record DiagnosticSample(long step, double time, double dt, double energy, double enstrophy, double maxSpeed) {
}
