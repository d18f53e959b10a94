#version 450
#extension GL_GOOGLE_include_directive : require
// The step's dt on the device, per member, in two modes (the CPU's twin is CpuEnsemble_F64's courantStep).
//
// Mode 0, one workgroup per member m = gl_WorkGroupID.z: reduces m's row maxima (max|u|, max|v|,
// max u^2+v^2 per row, from les_physical_products of stage 0) in a fixed pairing
// (LesKernels_F64.gridMaxima), then dt = min(dtMax, C/((max|u| + max|v|)·K)) (or dtMax with C = 0:
// dev.eddy.sim.Courant.step), clipped to the member's dt limit (params), as the CPU does. Writes m's step
// record (dt, max speed, (max|u| + max|v|)·K) and appends (dt, max speed, Courant number) to the
// member's entry of the ring that the host reads back in batches. A member whose speed is not finite is
// dropped here: its active flag goes to 0, so les_lawson_combine leaves its state as it is (the host sees
// the non-finite speed in the ring). Every member's counter counts every step, stopped or not.
//
// Mode 1, one workgroup (only with a shared dt): dt = the smallest dt of the active members, written into
// every active member's step record and ring entry (with its Courant number at that dt).
//
// The ring is one buffer of 32-bit words: the members' step counters words[0 .. members), then, from word
// ringBase (the counters rounded up to an even count, so that entries stay 8-byte aligned), the entries:
// entry (slot, m) is 3 REALs at REAL index 3*(slot*members + m). With one member this is the single run's
// layout (counter, pad, entries).
#include "les_common.glsl"
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer RowMax { REAL rowMax[]; };
layout(std430, binding = 1) buffer Step { REAL stepRecord[]; };
layout(std430, binding = 2) buffer Ring { uint words[]; };
layout(std430, binding = 3) buffer Params { REAL params[]; };
layout(push_constant) uniform P { REAL dtMax; REAL cfl; REAL kmax; int n; int ringCapacity; int members; int mode; };
shared REAL partialU[256];
shared REAL partialV[256];
shared REAL partialS[256];

int ringBase() {
    return (members + 1) / 2 * 2;
}

#ifdef REAL64
void putReal(int index, REAL x) {
    uvec2 w = unpackDouble2x32(x);
    words[ringBase() + 2 * index] = w.x;
    words[ringBase() + 2 * index + 1] = w.y;
}
#else
void putReal(int index, REAL x) {
    words[ringBase() + index] = floatBitsToUint(x);
}
#endif

void memberStep(int member, int t) {
    REAL mu = REAL(0);
    REAL mv = REAL(0);
    REAL ms = REAL(0);
    for (int j = t; j < n; j += 256) {
        int r = member * n + j;
        mu = maxNan(mu, rowMax[3 * r]);
        mv = maxNan(mv, rowMax[3 * r + 1]);
        ms = maxNan(ms, rowMax[3 * r + 2]);
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
        uint count = words[member];
        words[member] = count + 1u;
        if (params[member * PARAMS + P_ACTIVE] == REAL(0)) return;
        int slot = int(count % uint(ringCapacity));
        REAL speed = partialU[0] + partialV[0];
        REAL dt = dtMax;
        if (cfl > REAL(0) && speed > REAL(0)) dt = min(dt, cfl / (speed * kmax));
        dt = min(dt, params[member * PARAMS + P_DT_LIMIT]);
        REAL maxSpeed = sqrt(partialS[0]);
        stepRecord[member * STEP_RECORD] = dt;
        stepRecord[member * STEP_RECORD + 1] = maxSpeed;
        stepRecord[member * STEP_RECORD + 2] = speed * kmax;
        int e = 3 * (slot * members + member);
        putReal(e, dt);
        putReal(e + 1, maxSpeed);
        putReal(e + 2, speed * kmax * dt);
        if (!finiteReal(maxSpeed) || !finiteReal(speed)) params[member * PARAMS + P_ACTIVE] = REAL(0);
    }
}

shared REAL partialDt[256];

void sharedStep(int t) {
    REAL best = dtMax;
    for (int m = t; m < members; m += 256) {
        if (params[m * PARAMS + P_ACTIVE] != REAL(0)) best = min(best, stepRecord[m * STEP_RECORD]);
    }
    partialDt[t] = best;
    barrier();
    for (int s = 128; s > 0; s >>= 1) {
        if (t < s) partialDt[t] = min(partialDt[t], partialDt[t + s]);
        barrier();
    }
    REAL dt = partialDt[0];
    for (int m = t; m < members; m += 256) {
        if (params[m * PARAMS + P_ACTIVE] != REAL(0)) {
            stepRecord[m * STEP_RECORD] = dt;
            int slot = int((words[m] - 1u) % uint(ringCapacity));
            int e = 3 * (slot * members + m);
            putReal(e, dt);
            putReal(e + 2, stepRecord[m * STEP_RECORD + 2] * dt);
        }
    }
}

void main() {
    int t = int(gl_LocalInvocationID.x);
    if (mode == 0) {
        memberStep(int(gl_WorkGroupID.z), t);
    } else {
        sharedStep(t);
    }
}
