#version 450
#extension GL_GOOGLE_include_directive : require
// The sums of dev.eddy.sim.Diagnostics.energy/enstrophy, in float64 whatever REAL is (the device must
// have shaderFloat64), reduced with LANES invocations per workgroup in the order of its twin
// dev.eddy.codec.SpectralSums: lane t takes the elements t, t + LANES, … in order, then the lanes combine
// as a tree (t with t + s for s = LANES/2, …, 1). Mode 0: workgroup j reduces row j of a half spectrum (Grid
// layout) over i, Σ w|f̂|²/k² and Σ w|f̂|² (w = 1 for kx = 0 and Nyquist, 2 otherwise; the mean mode skipped),
// into rows[2j], rows[2j+1]; mode 1: one workgroup reduces the rows into rows[2n], rows[2n+1].
#include "codec_common.glsl"
const int LANES = 64;   // SpectralSums.LANES
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer F { REAL f[]; };
layout(std430, binding = 1) buffer Rows { double rows[]; };
layout(push_constant) uniform P { int n; int mode; };

shared double laneE[LANES];
shared double laneZ[LANES];

void main() {
    int t = int(gl_LocalInvocationID.x);
    double e = 0.0, z = 0.0;
    if (mode == 1) {
        for (int r = t; r < n; r += LANES) {
            e += rows[2 * r];
            z += rows[2 * r + 1];
        }
    } else {
        int j = int(gl_WorkGroupID.x);
        int half_ = n / 2 + 1;
        int ky = kyOf(j, n);
        for (int i = t; i < half_; i += LANES) {
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
    }
    laneE[t] = e;
    laneZ[t] = z;
    barrier();
    for (int s = LANES / 2; s > 0; s >>= 1) {
        if (t < s) {
            laneE[t] += laneE[t + s];
            laneZ[t] += laneZ[t + s];
        }
        barrier();
    }
    if (t == 0) {
        int r = mode == 1 ? n : int(gl_WorkGroupID.x);
        rows[2 * r] = laneE[0];
        rows[2 * r + 1] = laneZ[0];
    }
}
