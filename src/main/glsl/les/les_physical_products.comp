#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of LesKernels_F64.physicalProducts: one workgroup per row y of member m (gl_WorkGroupID.x = y,
// gl_WorkGroupID.z = m; 256 invocations stride over x), products in place with the member's (C_s Δ)² from
// the parameter table, and the row maxima max|u|, max|v|, max(u^2 + v^2) reduced in shared memory into
// rowMax[3r .. 3r+2] of packed row r = m*n + y (max is exact in any order, so the result is
// deterministic; no atomics).
#include "les_common.glsl"
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Work { REAL work[]; };
layout(std430, binding = 1) writeonly buffer RowMax { REAL rowMax[]; };
layout(std430, binding = 2) readonly buffer Params { REAL params[]; };
layout(push_constant) uniform P { int n; int fieldLength; int sgs; int members; };
shared REAL partialU[256];
shared REAL partialV[256];
shared REAL partialS[256];

void main() {
    int y = int(gl_WorkGroupID.x);
    int member = int(gl_WorkGroupID.z);
    int t = int(gl_LocalInvocationID.x);
    int stride = 2 * (n / 2 + 1);
    int len = members * fieldLength;
    REAL csDelta2 = params[member * PARAMS + P_CS_DELTA2];
    REAL mu = REAL(0);
    REAL mv = REAL(0);
    REAL ms = REAL(0);
    for (int x = t; x < n; x += 256) {
        int p = member * fieldLength + y * stride + x;
        REAL u = work[p];
        REAL v = work[len + p];
        REAL wx = work[2 * len + p];
        REAL wy = work[3 * len + p];
        mu = maxNan(mu, abs(u));
        mv = maxNan(mv, abs(v));
        ms = maxNan(ms, u * u + v * v);
        work[p] = advection(u, v, wx, wy);
        if (sgs != 0) {
            REAL nut = eddyViscosity(work[4 * len + p], work[5 * len + p], csDelta2);
            work[len + p] = nut * wx;
            work[2 * len + p] = nut * wy;
        }
    }
    partialU[t] = mu;
    partialV[t] = mv;
    partialS[t] = ms;
    barrier();
    for (int s = 128; s > 0; s >>= 1) {
        if (t < s) {
            partialU[t] = maxNan(partialU[t], partialU[t + s]);
            partialV[t] = maxNan(partialV[t], partialV[t + s]);
            partialS[t] = maxNan(partialS[t], partialS[t + s]);
        }
        barrier();
    }
    if (t == 0) {
        int r = member * n + y;
        rowMax[3 * r] = partialU[0];
        rowMax[3 * r + 1] = partialV[0];
        rowMax[3 * r + 2] = partialS[0];
    }
}
