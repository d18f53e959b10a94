#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of CodecKernels_F64.synthesize: one invocation per cell (x, y): ω̃ = L(Z) + α_tile·t in place
// over the padded low-pass field, t read from the packed code's 32-bit words, α scaled by fade.
#include "codec_common.glsl"
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer Alpha { REAL alpha[]; };
layout(std430, binding = 1) readonly buffer Packed { uint packed[]; };
layout(std430, binding = 2) buffer Low { REAL low[]; };
// fade scales α (1: the code as it is; the pipeline's faded residual: its learnt c_h); the offsets select the code slot
layout(push_constant) uniform P { REAL fade; int n; int tile; uint alphaOffset; uint wordOffset; };

void main() {
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    if (x >= n || y >= n) return;
    uint c = uint(y) * uint(n) + uint(x);
    int t = value((packed[wordOffset + (c >> 4)] >> (2u * (c & 15u))) & 3u);
    low[y * rowStride(n) + x] += (fade * alpha[alphaOffset + uint((y / tile) * (n / tile) + x / tile)]) * REAL(t);
}
