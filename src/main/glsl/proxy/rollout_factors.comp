#version 450
// One half of a proxy step in factors, A = L Rᵀ (dev.eddy.proxy.OperatorFactors): the GPU twin of
// dev.eddy.proxy.RolloutKernels_F64.factorGemv. A rectangular GEMV out_b = M in_b for a batch of vectors:
// M row-major rows×cols, vector b read at in[inOffset + b·inStride + j] and written at
// out[outOffset + b·outStride + row]. GpuRollout records two per step: u = Rᵀ z_t (M = Rᵀ, r×d: R's
// column-major storage read as rows), then z_{t+1} = L u (M = L row-major, d×r), with a barrier between.
//
// Summation as rollout_gemv.comp: invocation t sums j = t, t + 256, … in increasing j, then the 256
// partial sums in a fixed tree; precise (no FMA): the same bits on every run and as the Java twin.
layout(local_size_x = 256) in;

const uint LOCAL = 256u;
const uint BATCH_TILE = 4u;

layout(std430, binding = 0) readonly buffer Matrix { REAL m[]; };
layout(std430, binding = 1) readonly buffer In { REAL x[]; };
layout(std430, binding = 2) writeonly buffer Out { REAL y[]; };

layout(push_constant) uniform Push {
    uint rows;
    uint cols;
    uint batch;
    uint inOffset;
    uint inStride;
    uint outOffset;
    uint outStride;
};

shared REAL partial[BATCH_TILE][LOCAL];

REAL accumulate(REAL acc, REAL a, REAL v) {
    precise REAL r = acc + a * v;
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
    for (uint j = t; j < cols; j += LOCAL) {
        REAL mij = m[row * cols + j];
        for (uint bb = 0u; bb < nb; bb++) {
            acc[bb] = accumulate(acc[bb], mij, x[inOffset + (b0 + bb) * inStride + j]);
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
        y[outOffset + (b0 + t) * outStride + row] = partial[t][0];
    }
}
