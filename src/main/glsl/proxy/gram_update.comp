#version 450
#extension GL_GOOGLE_include_directive : require
// Gram update X Xᵀ, Y Xᵀ, Σ|y|² with latents and sums in the run's precision (REAL): gram_update_f32.spv
// for float32 runs on devices without shaderFloat64, gram_update_f64.spv for float64 runs. The body and
// its documentation are in gram_update.glsl; the Java twin is dev.eddy.proxy.GramKernels_F64 (and _F32).
#define LATENT REAL
#include "gram_update.glsl"
