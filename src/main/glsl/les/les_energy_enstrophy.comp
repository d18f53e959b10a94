#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of dev.eddy.sim.Diagnostics.energy/enstrophy, in the same summation order: invocation j sums
// row j over i in order (weights 1 for kx = 0 and Nyquist, 2 otherwise); a second dispatch of this
// shader with mode = 1 sums the rows in order (one invocation). Deterministic: no atomics.
#include "les_common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Omega { REAL omega[]; };
layout(std430, binding = 1) buffer Rows { REAL rows[]; };   // rows[2j] energy, rows[2j+1] enstrophy; totals at 2n, 2n+1
layout(push_constant) uniform P { int n; int mode; };

void main() {
    int half_ = n / 2 + 1;
    int j = int(gl_GlobalInvocationID.x);
    if (mode == 0) {
        if (j >= n) return;
        int ky = kyOf(j, n);
        REAL e = REAL(0);
        REAL z = REAL(0);
        for (int i = 0; i < half_; i++) {
            int k2 = i * i + ky * ky;
            if (k2 == 0) continue;
            int p = 2 * (j * half_ + i);
            REAL a2 = omega[p] * omega[p] + omega[p + 1] * omega[p + 1];
            REAL w = (i == 0 || i == n / 2) ? REAL(1) : REAL(2);
            e += w * (a2 / REAL(k2));
            z += w * a2;
        }
        rows[2 * j] = e;
        rows[2 * j + 1] = z;
    } else if (j == 0) {
        REAL e = REAL(0);
        REAL z = REAL(0);
        for (int r = 0; r < n; r++) {
            e += rows[2 * r];
            z += rows[2 * r + 1];
        }
        REAL n2 = REAL(n) * REAL(n);
        rows[2 * n] = REAL(0.5) * e / (n2 * n2);
        rows[2 * n + 1] = REAL(0.5) * z / (n2 * n2);
    }
}
