#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of CodecKernels_F64.scatterLatent: one invocation per mode (x = kx index i, y = row j): L̂(Z) =
// Z·gaussian on the latent modes, zero elsewhere, from the latent column that starts at real zOffset
// of a column-major matrix (the codec's own latents, or a proxy's rollout). The Gaussian is the host
// table of spectral_residual.comp (filter[q/2]).
#include "codec_common.glsl"
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer Latents { REAL z[]; };
layout(std430, binding = 1) readonly buffer Filter { REAL filter_[]; };
layout(std430, binding = 2) writeonly buffer Spectrum { REAL spectrum[]; };
layout(push_constant) uniform P { int n; int k; uint zOffset; };

void main() {
    int i = int(gl_GlobalInvocationID.x);
    int j = int(gl_GlobalInvocationID.y);
    int half_ = n / 2 + 1;
    if (i >= half_ || j >= n) return;
    int ky = kyOf(j, n);
    int kx = i;
    int p = 2 * (j * half_ + i);
    if (abs(ky) <= k && kx <= k) {
        uint q = latentIndex(k, kx, ky);
        REAL f = filter_[q >> 1];
        spectrum[p] = z[zOffset + q] * f;
        spectrum[p + 1] = z[zOffset + q + 1u] * f;
    } else {
        spectrum[p] = REAL(0);
        spectrum[p + 1] = REAL(0);
    }
}
