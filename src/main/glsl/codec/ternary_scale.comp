#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of the α half of CodecKernels_F64.ternaryScale: one workgroup of 64 per tile, α = mean of |r|
// over the tile's coded cells (0 where none is), reduced like tile_mean_abs.comp (strided partial
// sums, then a fixed shared-memory tree: deterministic, rounding-level parity). The t half of the Java
// kernel is fused into pack.comp, which computes t = ternary(r, m) as it packs: t never exists on the
// device (N² bytes written and read back in again saved). α goes to the code slot at alphaOffset (the
// codec keeps one slot per latent column).
#include "codec_common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Residual { REAL r[]; };
layout(std430, binding = 1) readonly buffer Mask { uint mask[]; };
layout(std430, binding = 2) writeonly buffer Alpha { REAL alpha[]; };
layout(push_constant) uniform P { int n; int tile; uint alphaOffset; };   // alphaOffset: the code slot, in reals

shared REAL partialSum[64];
shared uint partialCount[64];

void main() {
    int ti = int(gl_WorkGroupID.x);
    int tj = int(gl_WorkGroupID.y);
    int l = int(gl_LocalInvocationID.x);
    int stride = rowStride(n);
    int cells = tile * tile;
    REAL sum = REAL(0);
    uint count = 0u;
    for (int c = l; c < cells; c += 64) {
        int y = tj * tile + c / tile;
        int x = ti * tile + c % tile;
        if (BYTE_AT(mask, uint(y * n + x)) != 0u) {
            sum += abs(r[y * stride + x]);
            count++;
        }
    }
    partialSum[l] = sum;
    partialCount[l] = count;
    barrier();
    for (int s = 32; s > 0; s >>= 1) {
        if (l < s) {
            partialSum[l] += partialSum[l + s];
            partialCount[l] += partialCount[l + s];
        }
        barrier();
    }
    if (l == 0) {
        alpha[alphaOffset + uint(tj * (n / tile) + ti)] = partialCount[0] == 0u ? REAL(0) : partialSum[0] / REAL(partialCount[0]);
    }
}
