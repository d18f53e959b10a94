package dev.eddy.sim;

/**
 * What one step did: the dt it took, max|u| of the state it started from, and its Courant number
 * C = (max|u_x| + max|u_y|)·K·dt (see {@link dev.eddy.config.TimeControl}).
 */
public record StepInfo(double dt, double maxSpeed, double courant) {
}
