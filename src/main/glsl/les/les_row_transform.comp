#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of RowTransform_F64.rows: the x-direction stage of the fused LES step, in place on the compact work
// buffer (rows of W = c + 1 complex values, the kept columns, after the y-direction transforms). One row
// y of member m = gl_WorkGroupID.z per ROWS-th of a workgroup (ROWS rows per workgroup at small N): the real
// inverse transform along x of each spectral field, the products and row maxima of les_physical_products on
// the values in registers, then the real forward transforms of the products, of which only the kept columns
// are written back. The physical fields never leave the chip.
//
// A real row of N is a complex sequence of M = N/2; its FFT is a Stockham factorisation into radix-4 passes
// (one radix-2 pass first when log2 M is odd). Each of the Q = M/4 threads of a row keeps the 4 values
// t + r·Q in registers; the last pass writes exactly those, so between transforms nothing moves. Passes
// exchange through shared memory, both components at once, or (SPLIT, where that would not fit in 32 KB)
// one component at a time. Twiddles exp(−2πik/N) come from a float64-computed table (binding 1).
//
// Specialisation constants (set by the host): N, ROWS, the workgroup size ROWS·N/8, SPLIT, and SH, the
// reals of shared memory.
#include "les_common.glsl"
layout(constant_id = 0) const int N = 64;
layout(constant_id = 1) const int ROWS = 32;
layout(local_size_x_id = 2) in;
layout(constant_id = 3) const int SPLIT = 0;
layout(constant_id = 4) const int SH = 2048;
const int M = N / 2;
const int Q = N / 8;
const int W = (N - 1) / 3 + 1;
const int HALF = SPLIT != 0 ? 0 : ROWS * M;   // offset of the imaginary parts in sh

layout(std430, binding = 0) buffer Work { REAL2 work[]; };
layout(std430, binding = 1) readonly buffer Twiddles { REAL2 tw[]; };
layout(std430, binding = 2) writeonly buffer RowMax { REAL rowMax[]; };
layout(std430, binding = 3) readonly buffer Params { REAL params[]; };
layout(push_constant) uniform P { int sgs; int members; };

shared REAL sh[SH];

int t;        // this thread's index within its row
int rowSh;    // its row's slice of sh
int member;

REAL2 cmul(REAL2 a, REAL2 b) {
    return REAL2(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

// Writes v[r] at rowSh + at[r], then reads the next pass's v[r] = x[t + r·Q].
void exchange(inout REAL2 v[4], int a0, int a1, int a2, int a3) {
    barrier();
    if (SPLIT == 0) {
        sh[rowSh + a0] = v[0].x; sh[HALF + rowSh + a0] = v[0].y;
        sh[rowSh + a1] = v[1].x; sh[HALF + rowSh + a1] = v[1].y;
        sh[rowSh + a2] = v[2].x; sh[HALF + rowSh + a2] = v[2].y;
        sh[rowSh + a3] = v[3].x; sh[HALF + rowSh + a3] = v[3].y;
        barrier();
        for (int r = 0; r < 4; r++) {
            v[r] = REAL2(sh[rowSh + t + r * Q], sh[HALF + rowSh + t + r * Q]);
        }
    } else {
        sh[rowSh + a0] = v[0].x; sh[rowSh + a1] = v[1].x; sh[rowSh + a2] = v[2].x; sh[rowSh + a3] = v[3].x;
        barrier();
        for (int r = 0; r < 4; r++) v[r].x = sh[rowSh + t + r * Q];
        barrier();
        sh[rowSh + a0] = v[0].y; sh[rowSh + a1] = v[1].y; sh[rowSh + a2] = v[2].y; sh[rowSh + a3] = v[3].y;
        barrier();
        for (int r = 0; r < 4; r++) v[r].y = sh[rowSh + t + r * Q];
    }
}

// The complex FFT of length M, sign s (-1 forward, +1 inverse), unnormalised; in and out: v[r] = x[t + r·Q].
void fft(inout REAL2 v[4], int s) {
    int ns = 1;
    if ((findLSB(M) & 1) == 1) {
        REAL2 a = v[0] + v[2];
        REAL2 b = v[0] - v[2];
        REAL2 c = v[1] + v[3];
        REAL2 d = v[1] - v[3];
        v[0] = a; v[1] = b; v[2] = c; v[3] = d;
        exchange(v, 2 * t, 2 * t + 1, 2 * (t + Q), 2 * (t + Q) + 1);
        ns = 2;
    }
    while (ns < M) {
        int stride = N / (4 * ns);
        int jm = t & (ns - 1);
        for (int r = 1; r < 4; r++) {
            REAL2 w = tw[jm * r * stride];
            if (s > 0) w.y = -w.y;
            v[r] = cmul(v[r], w);
        }
        REAL2 a0 = v[0] + v[2];
        REAL2 a1 = v[0] - v[2];
        REAL2 a2 = v[1] + v[3];
        REAL2 a3 = v[1] - v[3];
        REAL2 b = REAL2(-REAL(s) * a3.y, REAL(s) * a3.x);   // (s·i)·a3
        v[0] = a0 + a2;
        v[1] = a1 + b;
        v[2] = a0 - a2;
        v[3] = a1 - b;
        int d = (t - jm) * 4 + jm;
        int old = ns;
        ns *= 4;
        if (ns < M) exchange(v, d, d + old, d + 2 * old, d + 3 * old);
        // the last pass (ns = M/4 before it) writes d + r·ns = t + r·Q: the registers already hold it
    }
}

int fieldBase(int f, int y) {
    return ((f * members + member) * N + y) * W;   // complex index of the row's X[0]
}

// The real inverse transform of field f's row y: v[r] = (x[2n], x[2n+1]) at n = t + r·Q.
void inverseRow(int f, int y, out REAL2 v[4]) {
    int base = fieldBase(f, y);
    for (int r = 0; r < 4; r++) {
        int k = t + r * Q;
        int c = M - k;
        REAL2 a = REAL2(0);
        if (k < W) a = work[base + k];
        if (k == 0) a.y = REAL(0);
        REAL2 b = REAL2(0);
        if (c < W) b = work[base + c];
        b.y = -b.y;
        REAL2 sum = a + b;
        REAL2 diff = a - b;
        REAL2 e = tw[k];
        e.y = -e.y;
        REAL2 p = cmul(e, diff);
        v[r] = REAL2(sum.x - p.y, sum.y + p.x);
    }
    fft(v, 1);
}

// The real forward transform of the row in v (the layout inverseRow leaves), its kept columns into field f's row y.
void forwardRow(int f, int y, inout REAL2 v[4]) {
    fft(v, -1);
    barrier();
    if (SPLIT == 0) {
        for (int r = 0; r < 4; r++) {
            sh[rowSh + t + r * Q] = v[r].x;
            sh[HALF + rowSh + t + r * Q] = v[r].y;
        }
    } else {
        for (int r = 0; r < 4; r++) sh[rowSh + t + r * Q] = v[r].x;
    }
    barrier();
    REAL2 z[4];
    for (int r = 0; r < 4; r++) {
        int c = (M - (t + r * Q)) & (M - 1);
        z[r].x = sh[rowSh + c];
        if (SPLIT == 0) z[r].y = sh[HALF + rowSh + c];
    }
    if (SPLIT != 0) {
        barrier();
        for (int r = 0; r < 4; r++) sh[rowSh + t + r * Q] = v[r].y;
        barrier();
        for (int r = 0; r < 4; r++) z[r].y = sh[rowSh + ((M - (t + r * Q)) & (M - 1))];
    }
    int base = fieldBase(f, y);
    for (int r = 0; r < 4; r++) {
        int k = t + r * Q;
        if (k < W) {
            REAL2 sum = REAL2(v[r].x + z[r].x, v[r].y - z[r].y);
            REAL2 diff = REAL2(v[r].x - z[r].x, v[r].y + z[r].y);
            REAL2 p = cmul(tw[k], diff);
            work[base + k] = REAL2(REAL(0.5) * (sum.x + p.y), REAL(0.5) * (sum.y - p.x));
        }
    }
}

void main() {
    int l = int(gl_LocalInvocationID.x);
    int rowInGroup = l / Q;
    t = l - rowInGroup * Q;
    rowSh = rowInGroup * M;
    member = int(gl_WorkGroupID.z);
    int y = int(gl_WorkGroupID.x) * ROWS + rowInGroup;

    REAL2 u[4];
    REAL2 v[4];
    REAL2 wx[4];
    REAL2 wy[4];
    REAL2 s1[4];
    REAL2 s2[4];
    inverseRow(0, y, u);
    inverseRow(1, y, v);
    inverseRow(2, y, wx);
    inverseRow(3, y, wy);
    if (sgs != 0) {
        inverseRow(4, y, s1);
        inverseRow(5, y, s2);
    }

    REAL csDelta2 = params[member * PARAMS + P_CS_DELTA2];
    REAL mu = REAL(0);
    REAL mv = REAL(0);
    REAL ms = REAL(0);
    for (int r = 0; r < 4; r++) {
        for (int e = 0; e < 2; e++) {
            REAL pu = u[r][e];
            REAL pv = v[r][e];
            REAL px = wx[r][e];
            REAL py = wy[r][e];
            mu = maxNan(mu, abs(pu));
            mv = maxNan(mv, abs(pv));
            ms = maxNan(ms, pu * pu + pv * pv);
            u[r][e] = advection(pu, pv, px, py);
            if (sgs != 0) {
                REAL nut = eddyViscosity(s1[r][e], s2[r][e], csDelta2);
                v[r][e] = nut * px;
                wx[r][e] = nut * py;
            }
        }
    }

    // row maxima: a tree over the row's Q threads in sh (3·ROWS·Q ≤ ROWS·M reals); max is exact in any order
    barrier();
    int slot = rowInGroup * Q + t;
    int part = ROWS * Q;
    sh[slot] = mu;
    sh[part + slot] = mv;
    sh[2 * part + slot] = ms;
    for (int s = Q / 2; s > 0; s >>= 1) {
        barrier();
        if (t < s) {
            sh[slot] = maxNan(sh[slot], sh[slot + s]);
            sh[part + slot] = maxNan(sh[part + slot], sh[part + slot + s]);
            sh[2 * part + slot] = maxNan(sh[2 * part + slot], sh[2 * part + slot + s]);
        }
    }
    barrier();
    if (t == 0) {
        int row = member * N + y;
        rowMax[3 * row] = sh[slot];
        rowMax[3 * row + 1] = sh[part + slot];
        rowMax[3 * row + 2] = sh[2 * part + slot];
    }

    forwardRow(0, y, u);
    if (sgs != 0) {
        forwardRow(1, y, v);
        forwardRow(2, y, wx);
    }
}
