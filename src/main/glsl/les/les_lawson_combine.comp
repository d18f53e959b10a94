#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of LesKernels_F64.lawsonCombine with the decay factors computed in place (the CPU builds them
// as tables with LesKernels_F64.decay, the same formula): target = E(d0 dt) omega + sum_s dt c_s E(d_s dt) k_s.
// Member m = gl_WorkGroupID.z: its dt is read from its device step record (written by les_cfl_dt), so an
// adaptive step needs no host round trip, and its ν, μ and active flag from the parameter table (a
// stopped member is left as it is); the tableau's coefficients and delays are push constants fixed at
// record time.
#include "les_common.glsl"
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer Omega { REAL2 omega[]; };     // complex pairs: index = real index / 2
layout(std430, binding = 1) readonly buffer Stages { REAL2 k[]; };
layout(std430, binding = 2) writeonly buffer Target { REAL2 target[]; };
layout(std430, binding = 3) readonly buffer Step { REAL stepRecord[]; };   // member m's dt at m*STEP_RECORD
layout(std430, binding = 4) readonly buffer Params { REAL params[]; };
layout(push_constant) uniform P {   // ≤ 92 bytes for REAL = double (128 are guaranteed)
    REAL coef[4];   // tableau weights of the stages used (up to 4)
    REAL delay[4];  // their decay delays, in units of dt
    REAL omegaDelay;
    int n;
    int fieldLength;
    int used;       // number of stages used
    int slots;      // their stage slots, 8 bits each, slot of stage s = (slots >> 8s) & 255
    int members;
};

void main() {
    int i = int(gl_GlobalInvocationID.x);
    int j = int(gl_GlobalInvocationID.y);
    int member = int(gl_WorkGroupID.z);
    int half_ = n / 2 + 1;
    if (i >= half_ || j >= n) return;
    if (params[member * PARAMS + P_ACTIVE] == REAL(0)) return;
    int kx = i;
    int ky = kyOf(j, n);
    int p = (member * fieldLength) / 2 + j * half_ + i;   // pair index (fieldLength is even)
    REAL dt = stepRecord[member * STEP_RECORD];
    REAL nu = params[member * PARAMS + P_NU];
    REAL mu = params[member * PARAMS + P_MU];
    REAL e0 = omegaDelay == REAL(0) ? REAL(1) : decay(kx, ky, nu, mu, omegaDelay * dt);
    REAL2 w0 = omega[p];
    REAL re = e0 * w0.x;
    REAL im = e0 * w0.y;
    for (int s = 0; s < used; s++) {
        REAL w = dt * coef[s];
        if (delay[s] != REAL(0)) w = w * decay(kx, ky, nu, mu, delay[s] * dt);
        int q = (((slots >> (8 * s)) & 255) * members * fieldLength) / 2 + p;
        REAL2 ks = k[q];
        re += w * ks.x;
        im += w * ks.y;
    }
    target[p] = REAL2(re, im);
}
