package dev.eddy.proxy;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.numerics.Parallel;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The blocked host product against the textbook triple loop, through strides, on sizes off the blocks. */
@Tag("fast")
class HostGemmTest {
    @Test
    void theBlockedProductIsTheTripleLoopInTheSameOrder() {
        int rows = 7;
        int inner = 70; // > one 64-wide inner block
        int n = 301; // > one 256-wide column block
        Random random = new Random(5);
        double[] lColumnMajor = random.doubles((long) rows * inner, -1, 1).toArray(); // l(i, k) at k·rows + i
        double[] r = random.doubles((long) inner * n, -1, 1).toArray();
        double[] want = new double[rows * n];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < inner; k++) {
                    s += lColumnMajor[k * rows + i] * r[k * n + j];
                }
                want[i * n + j] = s;
            }
        }
        try (Parallel one = new Parallel(1); Parallel two = new Parallel(2)) {
            assertArrayEquals(want, HostGemm.product(lColumnMajor, 1, rows, r, rows, inner, n, one), "bit for bit: k in increasing order");
            assertArrayEquals(want, HostGemm.product(lColumnMajor, 1, rows, r, rows, inner, n, two));
        }
    }
}
