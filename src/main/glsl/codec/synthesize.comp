#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of CodecKernels_F64.synthesize: one invocation per cell (x, y): ω̃ = L(Z) + α_tile·t in place
// over the padded low-pass field, t read from the packed code's 32-bit words.
#include "codec_common.glsl"
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer Alpha { REAL alpha[]; };
layout(std430, binding = 1) readonly buffer Packed { uint packed[]; };
layout(std430, binding = 2) buffer Low { REAL low[]; };
layout(push_constant) uniform P { int n; int tile; };

void main() {
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    if (x >= n || y >= n) return;
    uint c = uint(y) * uint(n) + uint(x);
    int t = value((packed[c >> 4] >> (2u * (c & 15u))) & 3u);
    low[y * rowStride(n) + x] += alpha[(y / tile) * (n / tile) + x / tile] * REAL(t);
}
