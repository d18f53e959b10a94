package dev.eddy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ensemble: members of one grid, precision, backend, stepper, time control and output schedule (the
 * base settings), each with its own seed and, optionally, its own ν, μ, C_s and forcing amplitude. Like
 * {@link RunConfig}, validated once here and echoed into every output; member m's settings as a single
 * run are {@link #member(int)}, so a member can be re-run alone from them.
 *
 * @param base     the settings every member shares (its seed, physics and forcing amplitude are those of
 *                 a single run; the members' own replace them)
 * @param members  each member's own settings, in member order
 * @param sharedDt one time step for every member, the smallest of their steps (the CFL steps of their
 *                 states), so that all members stay at the same times; false: each member takes its own
 *                 CFL step and keeps its own time
 */
public record EnsembleConfig(RunConfig base, List<Member> members, boolean sharedDt) {
    /** The most members of one ensemble: a compute dispatch indexes them with its third workgroup count (≥ 65535 on every device). */
    public static final int MAX_MEMBERS = 65535;

    /**
     * One member's own settings.
     *
     * @param seed             the seed of its initial phases
     * @param nu               viscosity ν
     * @param mu               linear drag μ
     * @param cs               Smagorinsky constant C_s (0: this member is a DNS; the ensemble still forms the eddy
     *                         fluxes if any member has C_s > 0, with ν_t = 0 for this one)
     * @param forcingAmplitude amplitude A of the base's Kolmogorov forcing (ignored without forcing)
     */
    public record Member(long seed, double nu, double mu, double cs, double forcingAmplitude) {
        public Member {
            new Physics(nu, mu, cs); // validates ν, μ, C_s with the single run's messages
            ConfigException.finite(forcingAmplitude, "forcing amplitude");
        }
    }

    public EnsembleConfig {
        ConfigException.require(base != null, "an ensemble needs its base settings");
        ConfigException.require(members != null && !members.isEmpty(), "an ensemble needs at least one member");
        ConfigException.require(members.size() <= MAX_MEMBERS, "an ensemble has at most " + MAX_MEMBERS + " members, got "
                + members.size());
        members = List.copyOf(members);
        if (base.forcing().kind() == Forcing.Kind.NONE) {
            for (Member m : members) {
                ConfigException.require(m.forcingAmplitude() == base.forcing().amplitude(),
                        "a sweep of the forcing amplitude needs a forcing: give --forcing kolmogorov");
            }
        }
        for (int m = 0; m < members.size(); m++) {
            member(base, members.get(m)); // each member is a valid run (kf, kp against the cutoff, …)
        }
    }

    /** An ensemble of one member: the single run of {@code config}. */
    public static EnsembleConfig single(RunConfig config) {
        return new EnsembleConfig(config, List.of(memberOf(config)), false);
    }

    /**
     * The members of a sweep: every combination of the lists (ν, μ, C_s, forcing amplitude, seed), the seed
     * varying fastest, so that consecutive members are the seeds of one setting. An empty list keeps the
     * base's value.
     */
    public static EnsembleConfig sweep(RunConfig base, List<Long> seeds, List<Double> nu, List<Double> mu, List<Double> cs,
                                       List<Double> amplitude, boolean sharedDt) {
        List<Long> s = orBase(seeds, base.initial().seed());
        List<Double> n = orBase(nu, base.physics().nu());
        List<Double> d = orBase(mu, base.physics().mu());
        List<Double> c = orBase(cs, base.physics().cs());
        List<Double> a = orBase(amplitude, base.forcing().amplitude());
        long count = (long) s.size() * n.size() * d.size() * c.size() * a.size();
        ConfigException.require(count <= MAX_MEMBERS, "the sweep makes " + count + " members; at most " + MAX_MEMBERS);
        List<Member> members = new ArrayList<>();
        for (double nuValue : n) {
            for (double muValue : d) {
                for (double csValue : c) {
                    for (double aValue : a) {
                        for (long seed : s) {
                            members.add(new Member(seed, nuValue, muValue, csValue, aValue));
                        }
                    }
                }
            }
        }
        return new EnsembleConfig(base, members, sharedDt);
    }

    private static <T> List<T> orBase(List<T> values, T base) {
        return values == null || values.isEmpty() ? List.of(base) : values;
    }

    private static Member memberOf(RunConfig c) {
        return new Member(c.initial().seed(), c.physics().nu(), c.physics().mu(), c.physics().cs(), c.forcing().amplitude());
    }

    /** The number of members. */
    public int size() {
        return members.size();
    }

    /** Member {@code m}'s settings as a single run: the base with its seed, physics and forcing amplitude. */
    public RunConfig member(int m) {
        return member(base, members.get(m));
    }

    private static RunConfig member(RunConfig base, Member m) {
        Forcing f = base.forcing();
        return new RunConfig(base.n(), base.precision(), base.backend(), new Physics(m.nu(), m.mu(), m.cs()),
                new Forcing(f.kind(), f.kf(), m.forcingAmplitude()),
                new InitialSpectrum(base.initial().kp(), base.initial().energy(), m.seed()), base.time(), base.output(),
                base.threads(), base.health());
    }

    /** Whether any member has the SGS model (the ensemble then forms the eddy fluxes of every member). */
    public boolean sgs() {
        return members.stream().anyMatch(m -> m.cs() > 0);
    }

    /** Whether any member is forced. */
    public boolean forced() {
        return base.forcing().kind() != Forcing.Kind.NONE && members.stream().anyMatch(m -> m.forcingAmplitude() != 0);
    }

    /** Whether the members' forcings differ, so that each needs its own forcing field (else one field serves all). */
    public boolean forcingPerMember() {
        return forced() && members.stream().map(Member::forcingAmplitude).distinct().count() > 1;
    }

    /** The same members with other base settings (the time, output or threads of a restart); the members' own settings stay. */
    public EnsembleConfig withBase(RunConfig newBase) {
        return new EnsembleConfig(newBase, members, sharedDt);
    }

    /** Members [from, to) as an ensemble of their own (one group of a split over device states). */
    public EnsembleConfig slice(int from, int to) {
        Objects.checkFromToIndex(from, to, members.size());
        return new EnsembleConfig(base, members.subList(from, to), sharedDt);
    }
}
