#version 450
#extension GL_GOOGLE_include_directive : require
// The step's dt on the device: one workgroup reduces the row maxima (max|u|, max|v|, max u^2+v^2 per
// row, from les_physical_products of stage 0) in a fixed pairing (LesKernels_F64.gridMaxima), then
// dt = min(dtMax, C/((max|u| + max|v|)·K)) (or dtMax with C = 0: dev.eddy.sim.Courant.step), clipped to
// step[2] (the host's dt limit, e.g. to land on an end time), as CpuLes_F64.step does. Writes
// step[0] = dt, step[1] = max speed and appends (dt, max speed, Courant number) to the device ring buffer
// that the host reads back in batches.
#include "les_common.glsl"
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer RowMax { REAL rowMax[]; };
layout(std430, binding = 1) buffer Step { REAL step[]; };
layout(std430, binding = 2) buffer Ring { uint ringCount; uint ringPad; REAL ring[]; };  // ring[3*slot + 0..2]
layout(push_constant) uniform P { REAL dtMax; REAL cfl; REAL kmax; int n; int ringCapacity; };
shared REAL partialU[256];
shared REAL partialV[256];
shared REAL partialS[256];

void main() {
    int t = int(gl_LocalInvocationID.x);
    REAL mu = REAL(0);
    REAL mv = REAL(0);
    REAL ms = REAL(0);
    for (int j = t; j < n; j += 256) {
        mu = maxNan(mu, rowMax[3 * j]);
        mv = maxNan(mv, rowMax[3 * j + 1]);
        ms = maxNan(ms, rowMax[3 * j + 2]);
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
        REAL speed = partialU[0] + partialV[0];
        REAL dt = dtMax;
        if (cfl > REAL(0) && speed > REAL(0)) dt = min(dt, cfl / (speed * kmax));
        dt = min(dt, step[2]);
        REAL maxSpeed = sqrt(partialS[0]);
        step[0] = dt;
        step[1] = maxSpeed;
        uint slot = ringCount % uint(ringCapacity);
        ring[3 * slot] = dt;
        ring[3 * slot + 1] = maxSpeed;
        ring[3 * slot + 2] = speed * kmax * dt;
        ringCount = ringCount + 1u;
    }
}
