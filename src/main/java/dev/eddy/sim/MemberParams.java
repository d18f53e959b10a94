package dev.eddy.sim;

import dev.eddy.config.EnsembleConfig;
import dev.eddy.numerics.Grid;

/**
 * The per-member parameter table of a batched LES: {@link #COUNT} values per member, member m's at
 * [m·COUNT, (m+1)·COUNT), in the run's precision. The device holds it in one small buffer that the
 * shaders index by member (les_physical_products reads (C_sΔ)², les_lawson_combine ν and μ, les_cfl_dt
 * the dt limit, and both the active flag); the CPU twins index the same table. The host writes it whole
 * (at the start, when a dt limit changes, when it stops a member); the device writes only the active flag,
 * to 0, when a member's speed stops being finite (les_cfl_dt), so that the member freezes in the same step.
 */
public final class MemberParams {
    /** Viscosity ν. */
    public static final int NU = 0;
    /** Linear drag μ. */
    public static final int MU = 1;
    /** (C_s Δ)², the Smagorinsky length squared (0 for a DNS member). */
    public static final int CS_DELTA2 = 2;
    /** The largest dt of the next step (an end time to land on); a huge value when there is none. */
    public static final int DT_LIMIT = 3;
    /** 1 while the member steps, 0 once it is stopped (finished, or dropped): its state is then frozen. */
    public static final int ACTIVE = 4;
    public static final int COUNT = 5;

    private MemberParams() {
    }

    /**
     * The table of {@code config}'s members in float64, with every member active and no dt limit; the
     * precision's value of each is the narrowing of this one (what {@code Push.real} gave a single run).
     */
    public static double[] table(EnsembleConfig config) {
        Grid g = new Grid(config.base().n());
        int b = config.size();
        double[] t = new double[b * COUNT];
        for (int m = 0; m < b; m++) {
            EnsembleConfig.Member s = config.members().get(m);
            double csDelta = s.cs() * g.spacing();
            t[m * COUNT + NU] = s.nu();
            t[m * COUNT + MU] = s.mu();
            t[m * COUNT + CS_DELTA2] = csDelta * csDelta;
            t[m * COUNT + DT_LIMIT] = Double.MAX_VALUE;
            t[m * COUNT + ACTIVE] = 1;
        }
        return t;
    }

    /** The dt limit as the table holds it: {@code Double.MAX_VALUE} (infinite in float32) for none. */
    public static double dtLimit(double maxDt) {
        return Double.isInfinite(maxDt) ? Double.MAX_VALUE : maxDt;
    }
}
