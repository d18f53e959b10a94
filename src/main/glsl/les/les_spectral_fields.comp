#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of LesKernels_F64.spectralFields: one invocation per mode (i = kx index, j = row), member m =
// gl_WorkGroupID.z.
#include "les_common.glsl"
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer Omega { REAL omega[]; };
layout(std430, binding = 1) writeonly buffer Work { REAL work[]; };
layout(push_constant) uniform P { REAL scale; int n; int fieldLength; int sgs; int members; };

void main() {
    int i = int(gl_GlobalInvocationID.x);
    int j = int(gl_GlobalInvocationID.y);
    int member = int(gl_WorkGroupID.z);
    int half_ = n / 2 + 1;
    if (i >= half_ || j >= n) return;
    int kx = i;
    int ky = kyOf(j, n);
    int p = member * fieldLength + 2 * (j * half_ + i);
    int len = members * fieldLength;  // the work buffer's field stride
    REAL m = kept(j, i, n) ? scale : REAL(0);
    REAL wr = omega[p] * m;
    REAL wi = omega[p + 1] * m;
    REAL inv = inverseLaplacian(kx, ky);
    REAL pr = wr * inv;
    REAL pi = wi * inv;
    work[p] = -REAL(ky) * pi;
    work[p + 1] = REAL(ky) * pr;
    work[len + p] = REAL(kx) * pi;
    work[len + p + 1] = -REAL(kx) * pr;
    work[2 * len + p] = -REAL(kx) * wi;
    work[2 * len + p + 1] = REAL(kx) * wr;
    work[3 * len + p] = -REAL(ky) * wi;
    work[3 * len + p + 1] = REAL(ky) * wr;
    if (sgs != 0) {
        REAL a = -REAL(kx * ky);
        REAL b = REAL(0.5) * REAL(kx * kx - ky * ky);
        work[4 * len + p] = a * pr;
        work[4 * len + p + 1] = a * pi;
        work[5 * len + p] = b * pr;
        work[5 * len + p + 1] = b * pi;
    }
}
