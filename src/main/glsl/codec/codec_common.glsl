// Per-point math of the codec: the GLSL twins of the static methods of dev.eddy.codec.CodecKernels_F64
// and TernaryKernels (same names, same operations). REAL is float or double: each shader is compiled
// twice by build/compile-shaders.sh (-DREAL=float -> *_f32.spv, -DREAL=double -> *_f64.spv).
//
// Byte layouts on the device. GLSL has no byte type without the 8-bit storage feature (not enabled
// by VulkanContext), so byte arrays live in uint words, little-endian, exactly as the Java byte[]
// lies in memory: the mask (one byte per cell, 0/1) has cell c in byte (c mod 4) of word c/4; the
// packed ternary code (format v1, docs/codec-format.md) has cell c in bits 2(c mod 16) of word c/16.
#ifndef REAL
#define REAL float
#endif

// Grid layout of dev.eddy.sim.Grid: n rows (ky in FFT order) of halfX = n/2+1 complex values,
// interleaved re/im; in physical space n rows of n reals with row stride 2*halfX.
int kyOf(int j, int n) { return j < n / 2 ? j : j - n; }

int rowStride(int n) { return 2 * (n / 2 + 1); }

// CodecKernels_F64.latentIndex: rows ky = -K..K, columns kx = 0..K, re/im interleaved.
uint latentIndex(int k, int kx, int ky) { return uint(2 * ((ky + k) * (k + 1) + kx)); }

// CodecKernels_F64.masked: coded when |r| exceeds the threshold strictly.
bool masked(REAL r, REAL threshold) { return abs(r) > threshold; }

// CodecKernels_F64.ternary: t = sign(r)·m in {-1, 0, +1}.
int ternary(REAL r, bool m) { return !m ? 0 : (r > REAL(0) ? 1 : (r < REAL(0) ? -1 : 0)); }

// TernaryKernels.code / value: 00 = 0, 01 = +1, 10 = -1 (11 is invalid and reads as 0).
uint code(int t) { return t == 0 ? 0u : (t > 0 ? 1u : 2u); }
int value(uint c) { return c == 1u ? 1 : (c == 2u ? -1 : 0); }

// TernaryKernels.majority: at least 5 of the 9 cells of a 3x3 neighbourhood set.
bool majority(uint setInNeighbourhood) { return setInNeighbourhood >= 5u; }

// Byte c of a byte array held in uint words.
#define BYTE_AT(words, c) (((words)[(c) >> 2] >> (8u * ((c) & 3u))) & 0xFFu)

// Linear index of an invocation of a 1D kernel dispatched as a 2D grid of workgroups (a 1D grid
// stops at 65535 groups: N = 32768 needs 2^20 groups of 256 for one invocation per mask word).
#define LINEAR_INVOCATION() (gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x) + gl_GlobalInvocationID.x)
