#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of CodecKernels_F64.residualDot over code slots, in a band: g[a·lags + h] = Σ_cells ρ_a·ρ_{a+h} for
// the decoded residuals ρ = α·t of `count` code slots from `fromSlot` and lags h < `lags` (what the
// pipeline learns its residual fading from: only lags up to the horizon matter, so a window of m
// snapshots costs m·lags dot products, not m²/2). One workgroup per (a, h), those with a + h ≥ count exit;
// 256 invocations striding over cells, float64 partial sums reduced by a fixed shared-memory tree
// (deterministic; the order differs from the Java loop's, so parity is to rounding). Needs shaderFloat64.
#include "codec_common.glsl"
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Alpha { REAL alpha[]; };
layout(std430, binding = 1) readonly buffer Packed { uint packed[]; };
layout(std430, binding = 2) writeonly buffer Gram { double g[]; };
layout(push_constant) uniform P { int n; int tile; uint alphaPerSlot; uint wordsPerSlot; uint fromSlot; int count; int lags; };
shared double partial[256];

void main() {
    int a = int(gl_WorkGroupID.x);
    int b = a + int(gl_WorkGroupID.y);
    if (b >= count) return;
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
        g[a * lags + (b - a)] = partial[0];
    }
}
