#version 450
// dst[dstOffset + k] = src[srcOffset + k] for k < count (offsets and count in reals): a device-side copy
// of latent columns between buffers without a host round trip (the proxy's carried latent, a rollout's
// start state from the codec's latent matrix). Twin of dev.eddy.gpu.kernels.CopyColumns.apply;
// CopyColumnsParityTest checks one against the other.
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Source { REAL src[]; };
layout(std430, binding = 1) buffer Destination { REAL dst[]; };

// The Java side (CopyColumns.record) writes the same offsets: three uints.
layout(push_constant) uniform Push {
    uint srcOffset;
    uint dstOffset;
    uint count;
};

void main() {
    uint k = gl_GlobalInvocationID.x;
    if (k < count) {
        dst[dstOffset + k] = src[srcOffset + k];
    }
}
