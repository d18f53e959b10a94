#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of dev.eddy.codec.FieldMoments.rowSums (mode 0) and totals (mode 1): the moments that judge a
// field a against a reference b, both padded physical fields (Grid layout), summed in float64 whatever
// REAL is (the device must have shaderFloat64). Both modes reduce in the twin's fixed order with LANES
// invocations per workgroup: lane t takes the elements t, t + LANES, t + 2·LANES, … in order, then the
// lanes combine as a tree (lane t with lane t + s for s = LANES/2, …, 1). Mode 0: workgroup j reduces row j
// over x into rows[9j + q] (q: FieldMoments' indices). Mode 1: one workgroup reduces rows[9j + q] over j
// (sums, or max/min for the extrema) into rows[9n + q]. Deterministic: no atomics.
#include "codec_common.glsl"
const int LANES = 64;   // FieldMoments.LANES
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer A { REAL a[]; };
layout(std430, binding = 1) readonly buffer B { REAL b[]; };
layout(std430, binding = 2) buffer Rows { double rows[]; };
layout(push_constant) uniform P { int n; int mode; };

const int MOMENTS = 9;   // SQ_DIFF, SQ_B, SUM_A, SUM_B, SQ_A, PROD, MAX_DIFF, MIN_B, MAX_B
shared double lane[MOMENTS][LANES];

// how moment q combines two partial results: max for MAX_DIFF and MAX_B, min for MIN_B, else a sum
double combine(int q, double x, double y) {
    return q == 6 || q == 8 ? max(x, y) : (q == 7 ? min(x, y) : x + y);
}

void main() {
    int t = int(gl_LocalInvocationID.x);
    double m[MOMENTS];
    if (mode == 1) {
        // the extrema start from row 0's (a member of every lane's set), the sums from zero
        for (int q = 0; q < MOMENTS; q++) m[q] = q >= 6 ? rows[q] : 0.0;
        for (int j = t; j < n; j += LANES) {
            for (int q = 0; q < MOMENTS; q++) m[q] = combine(q, m[q], rows[MOMENTS * j + q]);
        }
    } else {
        int j = int(gl_WorkGroupID.x);
        int base = j * rowStride(n);
        for (int q = 0; q < 6; q++) m[q] = 0.0;
        m[6] = 0.0;
        m[7] = double(b[base]);   // the row's first value, a member of every lane's set
        m[8] = m[7];
        for (int x = t; x < n; x += LANES) {
            double va = double(a[base + x]);
            double vb = double(b[base + x]);
            double d = va - vb;
            m[0] += d * d;
            m[1] += vb * vb;
            m[2] += va;
            m[3] += vb;
            m[4] += va * va;
            m[5] += va * vb;
            m[6] = max(m[6], abs(d));
            m[7] = min(m[7], vb);
            m[8] = max(m[8], vb);
        }
    }
    for (int q = 0; q < MOMENTS; q++) lane[q][t] = m[q];
    barrier();
    for (int s = LANES / 2; s > 0; s >>= 1) {
        if (t < s) {
            for (int q = 0; q < MOMENTS; q++) lane[q][t] = combine(q, lane[q][t], lane[q][t + s]);
        }
        barrier();
    }
    if (t == 0) {
        int r = MOMENTS * (mode == 1 ? n : int(gl_WorkGroupID.x));
        for (int q = 0; q < MOMENTS; q++) rows[r + q] = lane[q][0];
    }
}
