package dev.eddy.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.TestConfigs;
import dev.eddy.backend.Backend;
import dev.eddy.config.EnsembleConfig.Member;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.config.Forcing;
import dev.eddy.config.Physics;
import dev.eddy.config.RunConfig;
import dev.eddy.config.TimeControl;
import dev.eddy.gpu.DeviceInfo;
import dev.eddy.gpu.GpuException;
import dev.eddy.gpu.GpuTests;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.gpu.GpuEnsemble;
import dev.eddy.sim.gpu.GpuLesLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ensembles on both backends at N = 32 (lavapipe runs the GPU path): a member of a batch is bit for bit
 * the same member run alone; the CPU and the GPU agree member by member; a shared dt keeps the members
 * together; a member that blows up is dropped and frozen while the others go on; the split into groups
 * changes no bits; the memory check says how many members fit.
 */
@Tag("gpu-parity")
class EnsembleTest {
    static final int STEPS = 20;

    /** Three members, each with its own seed, ν, μ, C_s and forcing amplitude, stepped with their own CFL dt. */
    static EnsembleConfig ensemble(String backend, Precision p, boolean sharedDt) {
        RunConfig base = TestConfigs.les(32, p, 2e-3, 0.17, 0.05, "rk4");
        base = TestConfigs.withOutput(base, base.output(), new TimeControl(STEPS, 0, 1.0, 1.5, "rk4")); // the CFL step sets dt
        base = TestConfigs.withPhysics(base, base.physics(), new Forcing(Forcing.Kind.KOLMOGOROV, 4, 0.5));
        return new EnsembleConfig(TestConfigs.withBackend(base, backend), List.of(
                new Member(3, 2e-3, 0.05, 0.17, 0.5),
                new Member(4, 1e-3, 0.0, 0.26, 1.0),
                new Member(5, 3e-3, 0.1, 0.12, 0.25)), sharedDt);
    }

    /** The backend a test runs on (the GPU test is skipped where there is no Vulkan). */
    static Backend backend(String kind) {
        return kind.equals("cpu") ? new Backend.Cpu(2) : Backend.Vulkan.on(GpuTests.context(), 1);
    }

    static double[] infinite(int members) {
        double[] d = new double[members];
        java.util.Arrays.fill(d, Double.POSITIVE_INFINITY);
        return d;
    }

    static Stream<Arguments> backendsAndPrecisions() {
        return Stream.of(Arguments.of("cpu", Precision.FP64), Arguments.of("cpu", Precision.FP32),
                Arguments.of("vulkan", Precision.FP64), Arguments.of("vulkan", Precision.FP32));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndPrecisions")
    void aMemberOfABatchIsBitIdenticalToTheSameMemberRunAlone(String kind, Precision p) {
        EnsembleConfig c = ensemble(kind, p, false);
        try (Backend backend = backend(kind)) {
            double[][] states = new double[c.size()][];
            FlowDiagnostics[] diagnostics;
            MemberStatus[] status = new MemberStatus[c.size()];
            try (Ensemble e = Ensembles.create(c, backend)) {
                e.advance(7, infinite(c.size()));
                e.advance(STEPS - 7, infinite(c.size()));
                diagnostics = e.diagnostics();
                for (int m = 0; m < c.size(); m++) {
                    states[m] = e.spectralState(m);
                    status[m] = e.status(m);
                }
            }
            for (int m = 0; m < c.size(); m++) {
                try (Simulation alone = Simulations.create(c.member(m), backend)) {
                    alone.advance(7, Double.POSITIVE_INFINITY);
                    alone.advance(STEPS - 7, Double.POSITIVE_INFINITY);
                    assertArrayEquals(alone.spectralState(), states[m], 0.0, "member " + m + " against itself alone");
                    assertEquals(STEPS, status[m].step());
                    assertEquals(alone.time(), status[m].time(), 0.0, "member " + m + "'s own time");
                    assertEquals(alone.diagnostics(), diagnostics[m], "member " + m + "'s diagnostics");
                }
            }
            assertTrue(status[0].time() != status[1].time(), "each member took its own dt: " + status[0] + " " + status[1]);
        }
    }

    @ParameterizedTest(name = "{0} shared dt: {1}")
    @MethodSource("precisionsAndDtModes")
    void theCpuAndTheGpuAgreeMemberByMember(Precision p, boolean shared) {
        EnsembleConfig cpu = ensemble("cpu", p, shared);
        EnsembleConfig gpu = ensemble("vulkan", p, shared);
        double tol = p == Precision.FP64 ? 1e-10 : 1e-4;
        try (Backend onGpu = backend("vulkan"); Backend onCpu = backend("cpu");
             Ensemble a = Ensembles.create(cpu, onCpu); Ensemble b = Ensembles.create(gpu, onGpu)) {
            a.advance(STEPS, infinite(3));
            b.advance(STEPS, infinite(3));
            FlowDiagnostics[] da = a.diagnostics();
            FlowDiagnostics[] db = b.diagnostics();
            for (int m = 0; m < 3; m++) {
                double err = TestConfigs.relL2(b.spectralState(m), a.spectralState(m));
                assertTrue(err < tol, "member " + m + ": relative L2 GPU vs CPU " + err);
                assertEquals(a.status(m).time(), b.status(m).time(), a.status(m).time() * (p == Precision.FP64 ? 1e-12 : 1e-5));
                assertEquals(da[m].energy(), db[m].energy(), tol * da[m].energy());
                assertEquals(da[m].enstrophy(), db[m].enstrophy(), tol * da[m].enstrophy());
                if (shared) {
                    assertEquals(a.status(0).time(), a.status(m).time(), 0.0, "a shared dt keeps the members at one time");
                    assertEquals(b.status(0).time(), b.status(m).time(), 0.0);
                }
            }
        }
    }

    static Stream<Arguments> precisionsAndDtModes() {
        return Stream.of(Arguments.of(Precision.FP64, false), Arguments.of(Precision.FP64, true), Arguments.of(Precision.FP32, false),
                Arguments.of(Precision.FP32, true));
    }

    /** A shared dt is the smallest of the members' CFL steps: each step, no member exceeds its Courant number. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "vulkan"})
    void aSharedDtIsTheSmallestOfTheMembersSteps(String kind) {
        EnsembleConfig c = ensemble(kind, Precision.FP64, true);
        try (Backend backend = backend(kind); Ensemble e = Ensembles.create(c, backend)) {
            for (int k = 0; k < 5; k++) {
                StepInfo[] s = e.advance(1, infinite(3));
                double maxCourant = 0;
                for (StepInfo i : s) {
                    assertEquals(s[0].dt(), i.dt(), 0.0, "one dt");
                    assertTrue(i.courant() <= 1.5 * (1 + 1e-12), "within the Courant number: " + i.courant());
                    maxCourant = Math.max(maxCourant, i.courant());
                }
                assertEquals(1.5, maxCourant, 1e-9, "the member that sets the dt runs at the Courant number");
            }
        }
    }

    /**
     * Member 1 starts far too energetic for its fixed, large dt and blows up: it is dropped in the step that
     * finds its speed not finite (the reason names it), frozen from there on, and members 0 and 2 go on to
     * the end untouched (bit for bit as alone).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "vulkan"})
    void aMemberThatBlowsUpIsDroppedAndTheOthersGoOn(String kind) {
        RunConfig base = TestConfigs.les(32, Precision.FP64, 1e-4, 0.0, 0.2, "heun");
        base = TestConfigs.withOutput(base, base.output(), new TimeControl(60, 0, 0.01, 0, "heun"));
        base = TestConfigs.withBackend(base, kind);
        EnsembleConfig c = new EnsembleConfig(base, List.of(new Member(1, 1e-2, 0, 0, 0), new Member(2, 0, 0, 0, 0),
                new Member(3, 1e-2, 0, 0, 0)), false);
        // member 1: dt 0.01 stays fixed, but its initial field is 400× as energetic as the others' (below)
        try (Backend backend = backend(kind); Ensemble e = Ensembles.create(c, backend)) {
            double[] blowUp = e.spectralState(1);
            for (int i = 0; i < blowUp.length; i++) {
                blowUp[i] *= 20;
            }
            List<MemberStatus> start = List.of(MemberStatus.start(), MemberStatus.start(), MemberStatus.start());
            e.restore(new double[][] {e.spectralState(0), blowUp, e.spectralState(2)}, start);
            long dropped = -1;
            double[] frozen = null;
            for (int k = 0; k < 60; k++) {
                StepInfo[] s = e.advance(1, infinite(3));
                if (dropped < 0 && e.status(1).phase() == MemberStatus.Phase.DROPPED) {
                    dropped = e.status(1).step();
                    assertNull(s[1], "the dropped member took no step");
                    frozen = e.spectralState(1);
                } else if (dropped >= 0) {
                    assertArrayEquals(frozen, e.spectralState(1), 0.0, "a dropped member is frozen");
                }
            }
            assertTrue(dropped > 0 && dropped < 60, "member 1 blew up: " + e.status(1));
            assertTrue(e.status(1).reason().contains("max|u|"), e.status(1).reason());
            for (int m : new int[] {0, 2}) {
                assertEquals(MemberStatus.Phase.RUNNING, e.status(m).phase());
                assertEquals(60, e.status(m).step());
                try (Simulation alone = Simulations.create(c.member(m), backend)) {
                    alone.advance(60, Double.POSITIVE_INFINITY);
                    assertArrayEquals(alone.spectralState(), e.spectralState(m), 0.0, "member " + m + " did not notice");
                }
            }
        }
    }

    /** Two groups of members (as an ensemble beyond one device state runs) give the bits of one batch. */
    @Test
    void membersSplitIntoGroupsAreTheSameMembers() {
        EnsembleConfig c = ensemble("vulkan", Precision.FP64, false);
        try (Backend backend = backend("vulkan")) {
            Backend.Vulkan v = (Backend.Vulkan) backend;
            double[][] one = new double[3][];
            try (Ensemble e = Ensembles.create(c, backend)) {
                e.advance(STEPS, infinite(3));
                for (int m = 0; m < 3; m++) {
                    one[m] = e.spectralState(m);
                }
            }
            List<Ensemble> groups = new ArrayList<>(List.of(new GpuEnsemble(c.slice(0, 2), v), new GpuEnsemble(c.slice(2, 3), v)));
            try (MemberGroups split = new MemberGroups(c, groups)) {
                split.advance(STEPS, infinite(3));
                EnsembleSnapshot snapshot = split.requestSnapshot().get();
                for (int m = 0; m < 3; m++) {
                    assertArrayEquals(one[m], split.spectralState(m), 0.0, "member " + m);
                    assertArrayEquals(one[m], snapshot.spectralStates()[m], 0.0, "member " + m + "'s snapshot");
                }
            }
        }
    }

    /** The two contexts are two lanes of one ensemble, each its own context; their members' states are one device's. */
    @Test
    void theMembersAreDealtOutInOrderToOneContextPerDevice() {
        GpuTests.needsDevice();
        EnsembleConfig c = ensemble("vulkan", Precision.FP32, false);
        double[][] alone = new double[c.size()][];
        try (Backend backend = backend("vulkan"); Ensemble e = Ensembles.create(c, backend)) {
            e.advance(10, infinite(c.size()));
            for (int m = 0; m < c.size(); m++) {
                alone[m] = e.spectralState(m);
            }
        }
        try (Backend.Vulkan d0 = new Backend.Vulkan(GpuTests.options(), 0); Backend.Vulkan d1 = new Backend.Vulkan(GpuTests.options(), 0);
             Ensemble e = Ensembles.create(c, List.of(d0, d1))) {
            assertEquals(2, ((MemberGroups) e).lanes());
            assertTrue(d0.context() != d1.context(), "one context per device");
            e.advance(10, infinite(c.size()));
            for (int m = 0; m < c.size(); m++) {
                assertArrayEquals(alone[m], e.spectralState(m), 0.0, "member " + m);
            }
        }
    }

    static DeviceInfo device(long heap, long range) {
        return new DeviceInfo(0, "Small GPU", "discrete-gpu", 0x10de, 1, 1, "1", "1.3.0", List.of(heap), List.of(),
                new int[] {1024, 1024, 64}, 1024, 32, true, 1f, range, 49152);
    }

    @Test
    void membersBeyondOneStorageBindingSplitIntoGroups() {
        EnsembleConfig c = EnsembleConfig.sweep(ensemble("vulkan", Precision.FP32, false).base(),
                java.util.stream.LongStream.range(0, 10).boxed().toList(), null, null, null, null, false);
        long work = new GpuLesLayout(c.slice(0, 1)).deviceBuffers().stream().mapToLong(dev.eddy.gpu.BufferSpec::bytes).max().orElseThrow();
        List<Integer> sizes = GpuLesLayout.groups(c, device(1L << 40, 4 * work));
        assertEquals(List.of(4, 4, 2), sizes, "four members' work buffer per binding");
        assertEquals(List.of(10), GpuLesLayout.groups(c, device(1L << 40, 1L << 32)));
    }

    @Test
    void anEnsembleBeyondTheDeviceMemoryIsRefusedWithHowManyMembersFit() {
        EnsembleConfig c = EnsembleConfig.sweep(ensemble("vulkan", Precision.FP32, false).base(),
                java.util.stream.LongStream.range(0, 64).boxed().toList(), null, null, null, null, false);
        long heap = (long) (11.5 * new GpuLesLayout(c.slice(0, 1)).deviceBytes() / 0.9);
        int fit = 0;
        while (new GpuLesLayout(c.slice(0, fit + 1)).deviceBytes() <= GpuLesLayout.budget(device(heap, 1L << 32))) {
            fit++;
        }
        assertTrue(fit >= 11 && fit < 64, "the members' shared parts (one forcing field, the ring) make room: " + fit);
        var e = assertThrows(GpuException.class, () -> GpuLesLayout.groups(c, device(heap, 1L << 32)));
        assertTrue(e.getMessage().contains("64 members of N = 32 in fp32 need") && e.getMessage().contains("at most " + fit + " members fit"),
                e.getMessage());
        var host = assertThrows(dev.eddy.config.ConfigException.class, () -> Ensembles.checkHostMemory(c,
                (long) (10.5 * Ensembles.hostBytesPerMember(c) / Ensembles.HEAP_SHARE)));
        assertTrue(host.getMessage().contains("at most 10 members fit"), host.getMessage());
    }

    @Test
    void aSweepIsEveryCombinationWithTheSeedFastest() {
        RunConfig base = TestConfigs.les(32, Precision.FP64);
        EnsembleConfig c = EnsembleConfig.sweep(base, List.of(1L, 2L), List.of(1e-3, 2e-3), null, List.of(0.1, 0.2), null, true);
        assertEquals(8, c.size());
        assertEquals(new Member(1, 1e-3, 0, 0.1, 0), c.members().get(0));
        assertEquals(new Member(2, 1e-3, 0, 0.1, 0), c.members().get(1));
        assertEquals(new Member(1, 1e-3, 0, 0.2, 0), c.members().get(2));
        assertEquals(new Member(2, 2e-3, 0, 0.2, 0), c.members().get(7));
        assertEquals(2e-3, c.member(7).physics().nu());
        assertEquals(2, c.member(7).initial().seed());
        var e = assertThrows(dev.eddy.config.ConfigException.class, () -> EnsembleConfig.sweep(base, null, null, null, null,
                List.of(0.5, 1.0), false));
        assertTrue(e.getMessage().contains("--forcing kolmogorov"), e.getMessage());
        assertThrows(dev.eddy.config.ConfigException.class, () -> new Member(1, -1e-3, 0, 0.1, 0));
        assertEquals(new Physics(2e-3, 0, 0.2), c.member(7).physics());
    }
}
