#version 450
// One proxy step z_{t+1} = A z_t for a batch of trajectories: the GPU twin of
// dev.eddy.proxy.RolloutKernels_F64.gemv (accumulate() is the per-element math of both; GpuRollout
// records one dispatch of this shader per step, with a barrier between steps).
//
// A is row-major d×d. The trajectory buffer is column-major with d reals a column; trajectory b owns the
// `stride` = maxSteps + 1 columns b·stride … b·stride + maxSteps, step t of it is column b·stride + t.
// Workgroup (row, g) computes row `row` of the BATCH_TILE trajectories g·BATCH_TILE …, reading the row of A
// once for all of them (a GEMM of A with the d×B block of states when B > 1).
//
// Deterministic, fixed order: invocation t sums j = t, t + 256, t + 512, … in increasing j, then the 256
// partial sums are added in a fixed tree (stride 128, 64, …, 1). No atomics, no FMA (precise): the same
// bits on every run and the same as the Java twin.
layout(local_size_x = 256) in;

const uint LOCAL = 256u;
const uint BATCH_TILE = 4u;

layout(std430, binding = 0) readonly buffer Operator { REAL a[]; };
layout(std430, binding = 1) buffer Trajectory { REAL z[]; };

// The Java side (GpuRollout) writes the same offsets: four uints.
layout(push_constant) uniform Push {
    uint d;
    uint batch;
    uint stride;
    uint step;
};

shared REAL partial[BATCH_TILE][LOCAL];

REAL accumulate(REAL acc, REAL a, REAL x) {
    precise REAL r = acc + a * x;
    return r;
}

void main() {
    uint row = gl_WorkGroupID.x;
    uint t = gl_LocalInvocationID.x;
    uint b0 = gl_WorkGroupID.y * BATCH_TILE;
    uint nb = min(BATCH_TILE, batch - b0);
    REAL acc[BATCH_TILE];
    for (uint bb = 0u; bb < BATCH_TILE; bb++) {
        acc[bb] = REAL(0);
    }
    for (uint j = t; j < d; j += LOCAL) {
        REAL aij = a[row * d + j];
        for (uint bb = 0u; bb < nb; bb++) {
            acc[bb] = accumulate(acc[bb], aij, z[((b0 + bb) * stride + step) * d + j]);
        }
    }
    for (uint bb = 0u; bb < BATCH_TILE; bb++) {
        partial[bb][t] = acc[bb];
    }
    barrier();
    for (uint s = LOCAL / 2u; s > 0u; s >>= 1) {
        if (t < s) {
            for (uint bb = 0u; bb < nb; bb++) {
                partial[bb][t] = partial[bb][t] + partial[bb][t + s];
            }
        }
        barrier();
    }
    if (t < nb) {
        z[((b0 + t) * stride + step + 1u) * d + row] = partial[t][0];
    }
}
