package dev.eddy.sim;

/**
 * Where one member of an {@link Ensemble} stands: its own step count and simulated time (members with
 * their own dt keep their own times), and whether it still steps.
 *
 * @param reason why it stopped (null while running): the end of the run, or what dropped it
 */
public record MemberStatus(long step, double time, Phase phase, String reason) {
    /** A member steps until it reaches the end of the run, or until it is dropped. */
    public enum Phase {
        /** Stepping. */
        RUNNING,
        /** Reached the end of the run (its own end time, with its own dt); frozen there. */
        FINISHED,
        /**
         * Stopped by a blow-up (its speed stopped being finite: the state is the one whose step found it)
         * or by the health check under {@code --strict}; frozen, its state kept for the record.
         */
        DROPPED
    }

    public static MemberStatus start() {
        return new MemberStatus(0, 0, Phase.RUNNING, null);
    }

    public boolean running() {
        return phase == Phase.RUNNING;
    }

    /** This member one step further. */
    public MemberStatus stepped(double dt) {
        return new MemberStatus(step + 1, time + dt, phase, reason);
    }

    /** This member stopped where it is. */
    public MemberStatus stopped(Phase why, String what) {
        if (why == Phase.RUNNING) {
            throw new IllegalArgumentException("a member is stopped as finished or dropped, not running");
        }
        return new MemberStatus(step, time, why, what);
    }
}
