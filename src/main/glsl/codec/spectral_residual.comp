#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of CodecKernels_F64.spectralResidual: one invocation per mode (x = kx index i, y = row j):
// r̂ = ω̂·scale − L̂(Z), L̂(Z) = Z·gaussian on the latent modes. Replaces scatter_latent + inverse FFT of
// L̂ + residual in the encode (the inverse FFT is linear: one field transformed instead of two).
// The Gaussian comes from a table (filter[q/2] for latent index q) that the host fills with
// CodecKernels_F64/F32.gaussian: GLSL's exp is float-only, and the table makes the fp64 factors the
// Java twin's bits. Spectrum and Out may be the same buffer (in place: each invocation reads its own
// mode before writing it).
#include "codec_common.glsl"
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer Spectrum { REAL spectrum[]; };
layout(std430, binding = 1) readonly buffer Latents { REAL z[]; };
layout(std430, binding = 2) readonly buffer Filter { REAL filter_[]; };
layout(std430, binding = 3) writeonly buffer Out { REAL outField[]; };
layout(push_constant) uniform P { REAL scale; int n; int k; uint zOffset; };

void main() {
    int i = int(gl_GlobalInvocationID.x);
    int j = int(gl_GlobalInvocationID.y);
    int half_ = n / 2 + 1;
    if (i >= half_ || j >= n) return;
    int ky = kyOf(j, n);
    int kx = i;
    int p = 2 * (j * half_ + i);
    REAL re = spectrum[p] * scale;
    REAL im = spectrum[p + 1] * scale;
    if (abs(ky) <= k && kx <= k) {
        uint q = latentIndex(k, kx, ky);
        REAL f = filter_[q >> 1];
        re -= z[zOffset + q] * f;
        im -= z[zOffset + q + 1u] * f;
    }
    outField[p] = re;
    outField[p + 1] = im;
}
