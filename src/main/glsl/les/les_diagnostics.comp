#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of LesKernels_F64.diagnosticSums (mode 0) and diagnosticTotals (mode 1), in the same summation
// order, for member m = gl_WorkGroupID.z. Mode 0: invocation j sums row j of member m over i in order into
// rows[13*(m*n + j) + q] (q: the indices of dev.eddy.sim.DiagnosticSums). Mode 1: invocation q < 13 sums
// member m's rows over j in order into its totals at rows[13*(members*n + m) + q], after every member's
// rows. The work buffer's rows are `width` complex values (les_spectral_fields). Reads the state, the forward-transformed products of the same state (work fields 0..2, as
// les_explicit_term reads them) and the forcing (member m's at m*forcingStride). Deterministic: no atomics.
#include "les_common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Omega { REAL omega[]; };
layout(std430, binding = 1) readonly buffer Work { REAL work[]; };
layout(std430, binding = 2) readonly buffer Forcing { REAL forcing[]; };
layout(std430, binding = 3) buffer Rows { REAL rows[]; };
layout(push_constant) uniform P { int n; int fieldLength; int sgs; int hasForcing; int mode; int members; int forcingStride; int width; };

const int SUMS = 13;

// twin of LesKernels_F64.inShell: |k| in [s - 1/2, s + 1/2)
bool inShell(int k2, int s) {
    return 4 * k2 >= (2 * s - 1) * (2 * s - 1) && 4 * k2 < (2 * s + 1) * (2 * s + 1);
}

void main() {
    int g = int(gl_GlobalInvocationID.x);
    int member = int(gl_WorkGroupID.z);
    if (mode == 1) {
        if (g >= SUMS) return;
        REAL t = REAL(0);
        for (int j = 0; j < n; j++) t += rows[SUMS * (member * n + j) + g];
        rows[SUMS * (members * n + member) + g] = t;
        return;
    }
    int j = g;
    if (j >= n) return;
    int half_ = n / 2 + 1;
    int len = 2 * members * n * width;   // the work buffer's field stride
    int c = dealiasCutoff(n);
    int ch = c / 2;
    int ky = kyOf(j, n);
    REAL r[SUMS];
    for (int q = 0; q < SUMS; q++) r[q] = REAL(0);
    for (int i = 0; i < half_; i++) {
        int kx = i;
        int k2 = kx * kx + ky * ky;
        if (k2 == 0) continue;
        int p = member * fieldLength + 2 * (j * half_ + i);
        int fp = member * forcingStride + 2 * (j * half_ + i);
        REAL w = (i == 0 || i == n / 2) ? REAL(1) : REAL(2);
        REAL wr = omega[p];
        REAL wi = omega[p + 1];
        REAL z = w * (wr * wr + wi * wi);
        REAL e = z / REAL(k2);
        r[0] += e;                 // ENERGY
        r[1] += z;                 // ENSTROPHY
        r[2] += z * REAL(k2);      // PALINSTROPHY
        if (kept(j, i, n)) {
            r[3] += z;             // KEPT_ENSTROPHY
            if (5 * max(kx, abs(ky)) >= 4 * c) r[4] += z;   // BAND_ENSTROPHY
            int q = 2 * (member * n * width + j * width + i);
            REAL ar = -work[q];
            REAL ai = -work[q + 1];
            REAL adv = w * (wr * ar + wi * ai);
            r[7] += adv / REAL(k2);    // ADVECTION_ENERGY
            r[8] += adv;               // ADVECTION_ENSTROPHY
            if (sgs != 0) {
                REAL sr = -REAL(kx) * work[len + q + 1] - REAL(ky) * work[2 * len + q + 1];
                REAL si = REAL(kx) * work[len + q] + REAL(ky) * work[2 * len + q];
                REAL sg = w * (wr * sr + wi * si);
                r[9] += sg / REAL(k2);     // SGS_ENERGY
                r[10] += sg;               // SGS_ENSTROPHY
            }
            if (inShell(k2, c)) r[5] += e;     // SHELL_CUTOFF
            if (inShell(k2, ch)) r[6] += e;    // SHELL_HALF
        }
        if (hasForcing != 0) {
            REAL f = w * (wr * forcing[fp] + wi * forcing[fp + 1]);
            r[11] += f / REAL(k2);     // FORCING_ENERGY
            r[12] += f;                // FORCING_ENSTROPHY
        }
    }
    for (int q = 0; q < SUMS; q++) rows[SUMS * (member * n + j) + q] = r[q];
}
