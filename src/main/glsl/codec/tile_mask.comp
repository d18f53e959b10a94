#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of CodecKernels_F64.tileMask: one invocation per mask word (4 cells, row-major c = 4w..4w+3,
// which may straddle rows and tiles): m = |r| > θ·mean_tile|r|, one byte per cell.
#include "codec_common.glsl"
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Residual { REAL r[]; };
layout(std430, binding = 1) readonly buffer MeanAbs { REAL meanAbs[]; };
layout(std430, binding = 2) writeonly buffer Mask { uint mask[]; };
layout(push_constant) uniform P { REAL theta; int n; int tile; };

void main() {
    uint w = LINEAR_INVOCATION();
    uint cells = uint(n) * uint(n);
    if (w >= cells / 4u) return;
    int stride = rowStride(n);
    int tilesPerSide = n / tile;
    uint word = 0u;
    for (uint s = 0u; s < 4u; s++) {
        uint c = 4u * w + s;
        int y = int(c / uint(n));
        int x = int(c % uint(n));
        REAL threshold = theta * meanAbs[(y / tile) * tilesPerSide + x / tile];
        word |= (masked(r[y * stride + x], threshold) ? 1u : 0u) << (8u * s);
    }
    mask[w] = word;
}
