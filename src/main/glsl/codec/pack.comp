#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of TernaryKernels.pack fed with the t of CodecKernels_F64.ternaryScale (fused: t = ternary(r, m)
// is computed here from the residual and the final mask, so it never exists on the device). One
// invocation per 32-bit word of the packed code = 16 cells, cell c at bits 2(c mod 16); cells past
// N² (the last word when 16 does not divide N²) stay 00. The words go to the code slot at wordOffset.
#include "codec_common.glsl"
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Residual { REAL r[]; };
layout(std430, binding = 1) readonly buffer Mask { uint mask[]; };
layout(std430, binding = 2) writeonly buffer Packed { uint packed[]; };
layout(push_constant) uniform P { int n; uint wordOffset; };   // wordOffset: the code slot, in words

void main() {
    uint w = LINEAR_INVOCATION();
    uint un = uint(n);
    uint cells = un * un;
    if (w >= (cells + 15u) / 16u) return;
    int stride = rowStride(n);
    uint word = 0u;
    for (uint s = 0u; s < 16u; s++) {
        uint c = 16u * w + s;
        if (c >= cells) break;
        int y = int(c / un);
        int x = int(c % un);
        bool m = BYTE_AT(mask, c) != 0u;
        word |= code(ternary(r[y * stride + x], m)) << (2u * s);
    }
    packed[wordOffset + w] = word;
}
