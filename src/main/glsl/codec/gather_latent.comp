#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of CodecKernels_F64.gatherLatent: one invocation per latent mode (x = kx in 0..K, y = latent row
// ky + K in 0..2K): z = ω̂·scale into the latent column that starts at real zOffset of the matrix.
#include "codec_common.glsl"
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer Spectrum { REAL spectrum[]; };
layout(std430, binding = 1) writeonly buffer Latents { REAL z[]; };
layout(push_constant) uniform P { REAL scale; int n; int k; uint zOffset; };

void main() {
    int kx = int(gl_GlobalInvocationID.x);
    int r = int(gl_GlobalInvocationID.y);
    if (kx > k || r > 2 * k) return;
    int ky = r - k;
    int j = ky >= 0 ? ky : ky + n;
    int p = 2 * (j * (n / 2 + 1) + kx);
    uint q = zOffset + latentIndex(k, kx, ky);
    z[q] = spectrum[p] * scale;
    z[q + 1u] = spectrum[p + 1] * scale;
}
