#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of dev.eddy.codec.FieldMoments.rowSums (mode 0) and totals (mode 1): the moments that judge a
// field a against a reference b, both padded physical fields (Grid layout), summed in float64 whatever
// REAL is (the device must have shaderFloat64). Mode 0: invocation j sums row j over x in order into
// rows[9j + q] (q: FieldMoments' indices). Mode 1: invocation q < 9 reduces rows[9j + q] over j in order
// (sums, or max/min for the extrema) into rows[9n + q]. Deterministic: no atomics.
#include "codec_common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer A { REAL a[]; };
layout(std430, binding = 1) readonly buffer B { REAL b[]; };
layout(std430, binding = 2) buffer Rows { double rows[]; };
layout(push_constant) uniform P { int n; int mode; };

const int MOMENTS = 9;   // SQ_DIFF, SQ_B, SUM_A, SUM_B, SQ_A, PROD, MAX_DIFF, MIN_B, MAX_B

void main() {
    int g = int(gl_GlobalInvocationID.x);
    if (mode == 1) {
        if (g >= MOMENTS) return;
        double t = rows[g];
        for (int j = 1; j < n; j++) {
            double v = rows[MOMENTS * j + g];
            t = g == 6 || g == 8 ? max(t, v) : (g == 7 ? min(t, v) : t + v);
        }
        rows[MOMENTS * n + g] = t;
        return;
    }
    int j = g;
    if (j >= n) return;
    int stride = rowStride(n);
    double sqDiff = 0.0, sqB = 0.0, sumA = 0.0, sumB = 0.0, sqA = 0.0, prod = 0.0, maxDiff = 0.0;
    double minB = double(b[j * stride]);
    double maxB = minB;
    for (int x = 0; x < n; x++) {
        double va = double(a[j * stride + x]);
        double vb = double(b[j * stride + x]);
        double d = va - vb;
        sqDiff += d * d;
        sqB += vb * vb;
        sumA += va;
        sumB += vb;
        sqA += va * va;
        prod += va * vb;
        maxDiff = max(maxDiff, abs(d));
        minB = min(minB, vb);
        maxB = max(maxB, vb);
    }
    int r = MOMENTS * j;
    rows[r] = sqDiff;
    rows[r + 1] = sqB;
    rows[r + 2] = sumA;
    rows[r + 3] = sumB;
    rows[r + 4] = sqA;
    rows[r + 5] = prod;
    rows[r + 6] = maxDiff;
    rows[r + 7] = minB;
    rows[r + 8] = maxB;
}
