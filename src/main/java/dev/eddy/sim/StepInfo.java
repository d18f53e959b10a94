package dev.eddy.sim;

/** What one step did: the dt it took and max|u| of the state it started from. */
public record StepInfo(double dt, double maxSpeed) {
}
