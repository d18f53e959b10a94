#version 450
// scale: x[i] = alpha * x[i] for i < count. The GPU twin of dev.eddy.gpu.kernels.Scale (whose
// static scale() is the per-point math and apply() the loop); ScaleParityTest checks one against
// the other. Compiled twice by build/compile-shaders.sh: REAL = float (scale_f32.spv) and
// REAL = double with REAL64 defined (scale_f64.spv).
//
// Push constants (the Java side writes the same offsets, see Scale.pushConstants):
//   offset 0: uint count      offset 8: REAL alpha   (8 so that a double is 8-aligned in both variants)
layout(local_size_x = 256) in;

layout(std430, set = 0, binding = 0) buffer Field { REAL x[]; };

layout(push_constant) uniform Push {
    layout(offset = 0) uint count;
    layout(offset = 8) REAL alpha;
};

REAL scale(REAL a, REAL v) { return a * v; }

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i < count) {
        x[i] = scale(alpha, x[i]);
    }
}
