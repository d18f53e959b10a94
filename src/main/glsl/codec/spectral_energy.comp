#version 450
#extension GL_GOOGLE_include_directive : require
// Twin of dev.eddy.sim.Diagnostics.energy/enstrophy's sums, in float64 whatever REAL is (the device must
// have shaderFloat64), in the same order: mode 0, invocation j sums row j of a half spectrum (Grid layout)
// over i in order, Σ w|f̂|²/k² and Σ w|f̂|² (w = 1 for kx = 0 and Nyquist, 2 otherwise; the mean mode
// skipped), into rows[2j], rows[2j+1]; mode 1, one invocation sums the rows in order into rows[2n], rows[2n+1].
#include "codec_common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer F { REAL f[]; };
layout(std430, binding = 1) buffer Rows { double rows[]; };
layout(push_constant) uniform P { int n; int mode; };

void main() {
    int j = int(gl_GlobalInvocationID.x);
    if (mode == 1) {
        if (j != 0) return;
        double e = 0.0, z = 0.0;
        for (int r = 0; r < n; r++) {
            e += rows[2 * r];
            z += rows[2 * r + 1];
        }
        rows[2 * n] = e;
        rows[2 * n + 1] = z;
        return;
    }
    if (j >= n) return;
    int half_ = n / 2 + 1;
    int ky = kyOf(j, n);
    double e = 0.0, z = 0.0;
    for (int i = 0; i < half_; i++) {
        int k2 = i * i + ky * ky;
        if (k2 == 0) continue;
        int p = 2 * (j * half_ + i);
        double re = double(f[p]);
        double im = double(f[p + 1]);
        double a2 = re * re + im * im;
        double w = (i == 0 || i == n / 2) ? 1.0 : 2.0;
        e += w * (a2 / double(k2));
        z += w * a2;
    }
    rows[2 * j] = e;
    rows[2 * j + 1] = z;
}
