#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of LesKernels_F64.spectralFields: one invocation per mode (i = kx index, j = row), member m =
// gl_WorkGroupID.z. The work buffer's rows are `width` complex values: n/2 + 1 (the padded layout of the
// 2D transforms), or the kept columns c + 1 alone (the compact layout of the fused step's column
// transforms and row stage); member m's field f at (f*members + m) * 2*n*width reals.
#include "les_common.glsl"
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer Omega { REAL2 omega[]; };   // complex pairs: index = real index / 2
layout(std430, binding = 1) writeonly buffer Work { REAL2 work[]; };
layout(push_constant) uniform P { REAL scale; int n; int fieldLength; int sgs; int members; int width; };

void main() {
    int i = int(gl_GlobalInvocationID.x);
    int j = int(gl_GlobalInvocationID.y);
    int member = int(gl_WorkGroupID.z);
    int half_ = n / 2 + 1;
    if (i >= width || j >= n) return;
    int kx = i;
    int ky = kyOf(j, n);
    int p = (member * fieldLength) / 2 + j * half_ + i;   // pair index (fieldLength is even)
    int q = member * n * width + j * width + i;           // its pair index in the work buffer
    int len = members * n * width;  // the work buffer's field stride, in pairs
    REAL m = kept(j, i, n) ? scale : REAL(0);
    REAL2 w = omega[p];
    REAL wr = w.x * m;
    REAL wi = w.y * m;
    REAL inv = inverseLaplacian(kx, ky);
    REAL pr = wr * inv;
    REAL pi = wi * inv;
    work[q] = REAL2(-REAL(ky) * pi, REAL(ky) * pr);
    work[len + q] = REAL2(REAL(kx) * pi, -REAL(kx) * pr);
    work[2 * len + q] = REAL2(-REAL(kx) * wi, REAL(kx) * wr);
    work[3 * len + q] = REAL2(-REAL(ky) * wi, REAL(ky) * wr);
    if (sgs != 0) {
        REAL a = -REAL(kx * ky);
        REAL b = REAL(0.5) * REAL(kx * kx - ky * ky);
        work[4 * len + q] = REAL2(a * pr, a * pi);
        work[5 * len + q] = REAL2(b * pr, b * pi);
    }
}
