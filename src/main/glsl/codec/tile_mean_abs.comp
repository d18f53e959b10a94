#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of CodecKernels_F64.tileMeanAbs: one workgroup of 64 per tile (x = tile column, y = tile row).
// Thread l sums |r| over the tile's cells l, l+64, l+128, … (row-major within the tile), then a
// shared-memory tree halves 64 → 1 in a fixed order: deterministic (no atomics), but not the Java
// loop's order, so parity is to rounding, not to the bit.
#include "codec_common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Residual { REAL r[]; };
layout(std430, binding = 1) writeonly buffer MeanAbs { REAL meanAbs[]; };
layout(push_constant) uniform P { int n; int tile; };

shared REAL partial[64];

void main() {
    int ti = int(gl_WorkGroupID.x);
    int tj = int(gl_WorkGroupID.y);
    int l = int(gl_LocalInvocationID.x);
    int stride = rowStride(n);
    int cells = tile * tile;
    REAL sum = REAL(0);
    for (int c = l; c < cells; c += 64) {
        int y = tj * tile + c / tile;
        int x = ti * tile + c % tile;
        sum += abs(r[y * stride + x]);
    }
    partial[l] = sum;
    barrier();
    for (int s = 32; s > 0; s >>= 1) {
        if (l < s) {
            partial[l] += partial[l + s];
        }
        barrier();
    }
    if (l == 0) {
        meanAbs[tj * (n / tile) + ti] = partial[0] / REAL(cells);
    }
}
