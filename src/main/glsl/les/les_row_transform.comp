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
// exchange through shared memory (addresses padded by one word per 32, so the Stockham writes do not collide
// in banks): MODE 2 alternates two buffers (one barrier per exchange), MODE 1 uses one buffer for both
// components (two barriers), MODE 0 one component at a time (where nothing larger fits). Twiddles exp(−2πik/N)
// come from a float64-computed table (binding 1): one load per pass (PREFETCH: every pass's, once per thread,
// before the first transform), its square and cube by complex products.
//
// Specialisation constants (set by the host, RowStageShape): N, ROWS, the workgroup size ROWS·N/8, MODE, SH (the
// reals of shared memory) and PREFETCH.
#include "les_common.glsl"
layout(constant_id = 0) const int N = 64;
layout(constant_id = 1) const int ROWS = 32;
layout(local_size_x_id = 2) in;
layout(constant_id = 3) const int MODE = 1;
layout(constant_id = 4) const int SH = 2048;
layout(constant_id = 5) const int PREFETCH = 1;   // 1: each pass's twiddle loaded once per thread, before any transform
const int M = N / 2;
const int Q = N / 8;
const int W = (N - 1) / 3 + 1;
const int ROW_SPAN = M + M / 32;        // a row's padded slice
const int SPAN = ROWS * ROW_SPAN;       // one component of every row
const int IM = MODE == 0 ? 0 : SPAN;    // offset of the imaginary parts within a buffer

layout(std430, binding = 0) buffer Work { REAL2 work[]; };
layout(std430, binding = 1) readonly buffer Twiddles { REAL2 tw[]; };
layout(std430, binding = 2) writeonly buffer RowMax { REAL rowMax[]; };
layout(std430, binding = 3) readonly buffer Params { REAL params[]; };
layout(push_constant) uniform P { int sgs; int members; };

shared REAL sh[SH];

int t;        // this thread's index within its row
int rowSh;    // its row's slice of a buffer
int member;
int buf = 0;  // MODE 2: the buffer the next exchange writes (0 or 2·SPAN)
const int PASSES = 6;  // radix-4 passes of M ≤ 4096
REAL2 passTwiddle[PASSES];  // PREFETCH: this thread's twiddle of each radix-4 pass (the same in every transform)

void prefetchTwiddles() {
    int ns = (findLSB(M) & 1) == 1 ? 2 : 1;
    for (int p = 0; p < PASSES; p++) {
        if (ns < M) passTwiddle[p] = tw[(t & (ns - 1)) * (N / (4 * ns))];
        ns *= 4;
    }
}

REAL2 cmul(REAL2 a, REAL2 b) {
    return REAL2(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

int pad(int i) {
    return rowSh + i + (i >> 5);
}

// Writes v[r] at position a_r of the row, then reads back the values at positions at[r] (t + r·Q for the
// passes, the mirrored M − k for the forward post-processing) into got[r].
void exchange(REAL2 v[4], int a0, int a1, int a2, int a3, int b0, int b1, int b2, int b3, out REAL2 got[4]) {
    if (MODE == 2) {
        sh[buf + pad(a0)] = v[0].x; sh[buf + IM + pad(a0)] = v[0].y;
        sh[buf + pad(a1)] = v[1].x; sh[buf + IM + pad(a1)] = v[1].y;
        sh[buf + pad(a2)] = v[2].x; sh[buf + IM + pad(a2)] = v[2].y;
        sh[buf + pad(a3)] = v[3].x; sh[buf + IM + pad(a3)] = v[3].y;
        barrier();
        got[0] = REAL2(sh[buf + pad(b0)], sh[buf + IM + pad(b0)]);
        got[1] = REAL2(sh[buf + pad(b1)], sh[buf + IM + pad(b1)]);
        got[2] = REAL2(sh[buf + pad(b2)], sh[buf + IM + pad(b2)]);
        got[3] = REAL2(sh[buf + pad(b3)], sh[buf + IM + pad(b3)]);
        buf = 2 * SPAN - buf;   // the next exchange writes the other buffer: this one is read until its barrier
    } else if (MODE == 1) {
        barrier();
        sh[pad(a0)] = v[0].x; sh[IM + pad(a0)] = v[0].y;
        sh[pad(a1)] = v[1].x; sh[IM + pad(a1)] = v[1].y;
        sh[pad(a2)] = v[2].x; sh[IM + pad(a2)] = v[2].y;
        sh[pad(a3)] = v[3].x; sh[IM + pad(a3)] = v[3].y;
        barrier();
        got[0] = REAL2(sh[pad(b0)], sh[IM + pad(b0)]);
        got[1] = REAL2(sh[pad(b1)], sh[IM + pad(b1)]);
        got[2] = REAL2(sh[pad(b2)], sh[IM + pad(b2)]);
        got[3] = REAL2(sh[pad(b3)], sh[IM + pad(b3)]);
    } else {
        barrier();
        sh[pad(a0)] = v[0].x; sh[pad(a1)] = v[1].x; sh[pad(a2)] = v[2].x; sh[pad(a3)] = v[3].x;
        barrier();
        got[0].x = sh[pad(b0)]; got[1].x = sh[pad(b1)]; got[2].x = sh[pad(b2)]; got[3].x = sh[pad(b3)];
        barrier();
        sh[pad(a0)] = v[0].y; sh[pad(a1)] = v[1].y; sh[pad(a2)] = v[2].y; sh[pad(a3)] = v[3].y;
        barrier();
        got[0].y = sh[pad(b0)]; got[1].y = sh[pad(b1)]; got[2].y = sh[pad(b2)]; got[3].y = sh[pad(b3)];
    }
}

void pass(inout REAL2 v[4], int a0, int a1, int a2, int a3) {
    REAL2 got[4];
    exchange(v, a0, a1, a2, a3, t, t + Q, t + 2 * Q, t + 3 * Q, got);
    v = got;
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
        pass(v, 2 * t, 2 * t + 1, 2 * (t + Q), 2 * (t + Q) + 1);
        ns = 2;
    }
    int p = 0;
    while (ns < M) {
        int jm = t & (ns - 1);
        REAL2 w1 = PREFETCH != 0 ? passTwiddle[p] : tw[jm * (N / (4 * ns))];
        p++;
        if (s > 0) w1.y = -w1.y;
        REAL2 w2 = cmul(w1, w1);
        REAL2 w3 = cmul(w1, w2);
        v[1] = cmul(v[1], w1);
        v[2] = cmul(v[2], w2);
        v[3] = cmul(v[3], w3);
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
        if (ns < M) pass(v, d, d + old, d + 2 * old, d + 3 * old);
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
void forwardRow(int f, int y, REAL2 v[4]) {
    fft(v, -1);
    REAL2 z[4];
    exchange(v, t, t + Q, t + 2 * Q, t + 3 * Q, (M - t) & (M - 1), (M - t - Q) & (M - 1), (M - t - 2 * Q) & (M - 1),
             (M - t - 3 * Q) & (M - 1), z);
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
    rowSh = rowInGroup * ROW_SPAN;
    member = int(gl_WorkGroupID.z);
    int y = int(gl_WorkGroupID.x) * ROWS + rowInGroup;
    REAL csDelta2 = params[member * PARAMS + P_CS_DELTA2];
    if (PREFETCH != 0) prefetchTwiddles();

    // The fields arrive one at a time and are consumed into the products as they land (twin: RowTransform_F64.rows):
    // S11, S12 -> nu_t; u, v -> row maxima; dw/dx -> adv = u*dw/dx, q1 = nu_t*dw/dx; dw/dy -> adv += v*dw/dy, q2.
    REAL2 nut[4];
    REAL2 f[4];
    if (sgs != 0) {
        REAL2 s1[4];
        inverseRow(4, y, s1);
        inverseRow(5, y, f);
        for (int r = 0; r < 4; r++) {
            nut[r] = REAL2(eddyViscosity(s1[r].x, f[r].x, csDelta2), eddyViscosity(s1[r].y, f[r].y, csDelta2));
        }
    }
    REAL2 u[4];
    REAL2 v[4];
    inverseRow(0, y, u);
    inverseRow(1, y, v);
    REAL mu = REAL(0);
    REAL mv = REAL(0);
    REAL ms = REAL(0);
    for (int r = 0; r < 4; r++) {
        for (int e = 0; e < 2; e++) {
            mu = maxNan(mu, abs(u[r][e]));
            mv = maxNan(mv, abs(v[r][e]));
            ms = maxNan(ms, u[r][e] * u[r][e] + v[r][e] * v[r][e]);
        }
    }
    REAL2 q1[4];
    REAL2 q2[4];
    inverseRow(2, y, f);
    for (int r = 0; r < 4; r++) {
        u[r] = u[r] * f[r];               // adv, first term
        if (sgs != 0) q1[r] = nut[r] * f[r];
    }
    inverseRow(3, y, f);
    for (int r = 0; r < 4; r++) {
        u[r] = u[r] + v[r] * f[r];        // adv = u*dw/dx + v*dw/dy
        if (sgs != 0) q2[r] = nut[r] * f[r];
    }

    // row maxima: a tree over the row's Q threads in sh (3·ROWS·Q reals fit in any MODE); max is exact in any order
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
    barrier();
    buf = 0;

    forwardRow(0, y, u);
    if (sgs != 0) {
        forwardRow(1, y, q1);
        forwardRow(2, y, q2);
    }
}
