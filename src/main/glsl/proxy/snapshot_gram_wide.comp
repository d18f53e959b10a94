#version 450
#extension GL_GOOGLE_include_directive : require
// Snapshot Gram of float32 latents with float64 sums: the variant GpuSnapshotGram uses for float32 runs when
// the device has shaderFloat64 (why: planning/proxy.md, "Gram precision"). Only snapshot_gram_wide_f64.spv is
// used (REAL = double); the _f32 build that build/compile-shaders.sh also makes is snapshot_gram_f32 again.
#define LATENT float
#include "snapshot_gram.glsl"
