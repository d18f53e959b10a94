package dev.eddy.gpu;

import dev.eddy.numerics.Parallel;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the GPU FFT tests: one plan cache and one CPU FFT thread per class, and their error measure. */
abstract class GpuFftTest extends GpuContextTest {
    static FftPlans plans;
    static Parallel parallel;

    @BeforeAll
    static void openPlans() { // after GpuContextTest's: ctx is null where the tests are skipped
        if (ctx != null) {
            plans = GpuTests.plans(ctx);
            parallel = new Parallel(1);
        }
    }

    @AfterAll
    static void closePlans() { // before GpuContextTest's, which closes ctx
        if (plans != null) {
            plans.close();
            parallel.close();
            plans = null;
        }
    }

    /** ‖got − expect‖ / ‖expect‖ over the indices {@code use} accepts. */
    static double relativeError(double[] expect, double[] got, IntPredicate use) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < expect.length; i++) {
            if (use.test(i)) {
                double d = got[i] - expect[i];
                num += d * d;
                den += expect[i] * expect[i];
            }
        }
        return Math.sqrt(num / den);
    }
}
