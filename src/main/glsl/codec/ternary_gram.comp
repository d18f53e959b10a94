#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of TernaryKernels.residualDot over code slots: G[a][b] = Σ_cells α_a(tile)·t_a · α_b(tile)·t_b, the
// inner products of the decoded residuals ρ = α·t of `count` code slots from `fromSlot` (what the pipeline
// learns its residual fading from). One workgroup per pair (a ≤ b; the others exit), 256 invocations
// striding over cells, float64 partial sums reduced by a fixed shared-memory tree (deterministic; the
// order differs from the Java loop's, so parity is to rounding). Needs shaderFloat64.
#include "codec_common.glsl"
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Alpha { REAL alpha[]; };
layout(std430, binding = 1) readonly buffer Packed { uint packed[]; };
layout(std430, binding = 2) writeonly buffer Gram { double g[]; };
layout(push_constant) uniform P { int n; int tile; uint alphaPerSlot; uint wordsPerSlot; uint fromSlot; int count; };
shared double partial[256];

void main() {
    int a = int(gl_WorkGroupID.x);
    int b = int(gl_WorkGroupID.y);
    if (a > b || b >= count) return;
    int l = int(gl_LocalInvocationID.x);
    uint sa = fromSlot + uint(a);
    uint sb = fromSlot + uint(b);
    uint un = uint(n);
    uint cells = un * un;
    int tilesPerSide = n / tile;
    double s = 0.0;
    for (uint c = uint(l); c < cells; c += 256u) {
        int ta = value((packed[sa * wordsPerSlot + (c >> 4)] >> (2u * (c & 15u))) & 3u);
        int tb = value((packed[sb * wordsPerSlot + (c >> 4)] >> (2u * (c & 15u))) & 3u);
        if (ta * tb != 0) {
            int y = int(c / un);
            int x = int(c % un);
            uint t = uint((y / tile) * tilesPerSide + x / tile);
            s += double(alpha[sa * alphaPerSlot + t]) * double(alpha[sb * alphaPerSlot + t]) * double(ta * tb);
        }
    }
    partial[l] = s;
    barrier();
    for (int k = 128; k > 0; k >>= 1) {
        if (l < k) partial[l] += partial[l + k];
        barrier();
    }
    if (l == 0) {
        g[a * count + b] = partial[0];
        g[b * count + a] = partial[0];
    }
}
