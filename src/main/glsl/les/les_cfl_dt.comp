#version 450
#extension GL_GOOGLE_include_directive : require
// The step's dt on the device: one workgroup reduces rowMax (max u^2+v^2 per row, from
// les_physical_products of stage 0) in a fixed pairing, then dt = min(dtMax, cfl·Δ/max|u|) (or dtMax
// with cfl = 0), clipped to step[2] (the host's dt limit, e.g. to land on an end time), as
// CpuLes_F64.step does. Writes step[0] = dt, step[1] = max|u| and appends
// (dt, max|u|) to the device ring buffer that the host reads back in batches.
#include "les_common.glsl"
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer RowMax { REAL rowMax[]; };
layout(std430, binding = 1) buffer Step { REAL step[]; };
layout(std430, binding = 2) buffer Ring { uint ringCount; uint ringPad; REAL ring[]; };  // ring[2*slot], ring[2*slot+1]
layout(push_constant) uniform P { REAL dtMax; REAL cfl; REAL spacing; int n; int ringCapacity; };
shared REAL partial[256];

void main() {
    int t = int(gl_LocalInvocationID.x);
    REAL m = REAL(0);
    for (int j = t; j < n; j += 256) m = maxNan(m, rowMax[j]);
    partial[t] = m;
    barrier();
    for (int s = 128; s > 0; s >>= 1) {
        if (t < s) partial[t] = maxNan(partial[t], partial[t + s]);
        barrier();
    }
    if (t == 0) {
        REAL maxSpeed = sqrt(partial[0]);
        REAL dt = dtMax;
        if (cfl > REAL(0) && maxSpeed > REAL(0)) dt = min(dt, cfl * spacing / maxSpeed);
        dt = min(dt, step[2]);
        step[0] = dt;
        step[1] = maxSpeed;
        uint slot = ringCount % uint(ringCapacity);
        ring[2 * slot] = dt;
        ring[2 * slot + 1] = maxSpeed;
        ringCount = ringCount + 1u;
    }
}
