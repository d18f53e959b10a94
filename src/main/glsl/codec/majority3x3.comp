#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of TernaryKernels.majority3x3: one invocation per mask word (4 cells): a cell is set when at
// least 5 of its periodic 3x3 neighbourhood (itself included) are set in the input mask.
#include "codec_common.glsl"
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer In { uint inMask[]; };
layout(std430, binding = 1) writeonly buffer Out { uint outMask[]; };
layout(push_constant) uniform P { int n; };

void main() {
    uint w = LINEAR_INVOCATION();
    uint un = uint(n);
    if (w >= un * un / 4u) return;
    uint word = 0u;
    for (uint s = 0u; s < 4u; s++) {
        uint c = 4u * w + s;
        uint j = c / un;
        uint x = c % un;
        uint up = (j + un - 1u) % un;
        uint down = (j + 1u) % un;
        uint left = (x + un - 1u) % un;
        uint right = (x + 1u) % un;
        uint count = BYTE_AT(inMask, up * un + left) + BYTE_AT(inMask, up * un + x) + BYTE_AT(inMask, up * un + right)
                + BYTE_AT(inMask, j * un + left) + BYTE_AT(inMask, j * un + x) + BYTE_AT(inMask, j * un + right)
                + BYTE_AT(inMask, down * un + left) + BYTE_AT(inMask, down * un + x) + BYTE_AT(inMask, down * un + right);
        word |= (majority(count) ? 1u : 0u) << (8u * s);
    }
    outMask[w] = word;
}
