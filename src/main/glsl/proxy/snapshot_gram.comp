#version 450
#extension GL_GOOGLE_include_directive : require
// Snapshot Gram G = ZᵀZ with latents and sums in the run's precision (REAL): snapshot_gram_f32.spv for
// float32 runs on devices without shaderFloat64, snapshot_gram_f64.spv for float64 runs. The body and its
// documentation are in snapshot_gram.glsl; the Java twin is dev.eddy.proxy.SnapshotGramKernels_F64 (and _F32).
#define LATENT REAL
#include "snapshot_gram.glsl"
