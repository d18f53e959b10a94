#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of LesKernels_F64.explicitTerm: N = mask(-A + i kx qx + i ky qy) + F, written into stage slot
// `stage` of the stages buffer (stage s occupies [s*members*fieldLength, (s+1)*members*fieldLength), member
// m at m*fieldLength within it); member m = gl_WorkGroupID.z, its forcing at m*forcingStride (0: one
// field for every member). The work buffer's rows are `width` complex values (les_spectral_fields).
#include "les_common.glsl"
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer Work { REAL2 work[]; };        // complex pairs: index = real index / 2
layout(std430, binding = 1) readonly buffer Forcing { REAL2 forcing[]; };
layout(std430, binding = 2) writeonly buffer Stages { REAL2 k[]; };
layout(push_constant) uniform P { int n; int fieldLength; int sgs; int hasForcing; int stage; int members; int forcingStride; int width; };

void main() {
    int i = int(gl_GlobalInvocationID.x);
    int j = int(gl_GlobalInvocationID.y);
    int member = int(gl_WorkGroupID.z);
    int half_ = n / 2 + 1;
    if (i >= half_ || j >= n) return;
    int kx = i;
    int ky = kyOf(j, n);
    int p = (member * fieldLength) / 2 + j * half_ + i;   // pair indices (fieldLength is even)
    int f = (member * forcingStride) / 2 + j * half_ + i;
    int len = (members * fieldLength) / 2;
    int q = member * n * width + j * width + i;   // the products' pair index in the work buffer
    int wlen = members * n * width;
    REAL re = REAL(0);
    REAL im = REAL(0);
    if (kept(j, i, n)) {
        REAL2 a = work[q];
        re = -a.x;
        im = -a.y;
        if (sgs != 0) {
            REAL2 s1 = work[wlen + q];
            REAL2 s2 = work[2 * wlen + q];
            re += -REAL(kx) * s1.y - REAL(ky) * s2.y;
            im += REAL(kx) * s1.x + REAL(ky) * s2.x;
        }
    }
    if (hasForcing != 0) {
        REAL2 g = forcing[f];
        re += g.x;
        im += g.y;
    }
    k[stage * len + p] = REAL2(re, im);
}
