/* eddy_vkfft.h -- tiny C bridge around VkFFT (Vulkan backend) for Eddy's Java side (FFM).
 *
 * All Vulkan handles are passed as uint64_t: non-dispatchable handles are 64-bit values,
 * dispatchable ones (VkPhysicalDevice, VkDevice, VkQueue, VkCommandBuffer) are pointers.
 *
 * Threading: a plan must not be used from two threads at once. Plan creation may submit small
 * upload command buffers to `queue` (allocated from `commandPool`) and wait on `fence`, so the
 * caller must not use that queue/pool/fence concurrently, and `fence` must be unsignalled.
 * Appending only records commands; it never submits or waits.
 */
#ifndef EDDY_VKFFT_H
#define EDDY_VKFFT_H

#include <stdint.h>

#if defined(_WIN32)
#define EDDY_API __declspec(dllexport)
#else
#define EDDY_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct EddyFftPlan EddyFftPlan;

/* Error codes of the bridge itself (VkFFTResult values are passed through unchanged; they are
 * all < 10000). */
#define EDDY_FFT_ERR_INVALID_ARGUMENT 10001
#define EDDY_FFT_ERR_OUT_OF_MEMORY    10002
#define EDDY_FFT_ERR_COMPILER_INIT    10003

/* Creates a 2D real<->complex plan for `batch` fields packed contiguously in `buffer`.
 * Layout (in-place R2C, standard padded layout): each field is ny rows of (nx/2+1) complex values
 * = ny*(nx/2+1)*2 reals; in physical space the same memory holds ny rows of nx reals with row
 * stride 2*(nx/2+1) reals (padding at row end). Field f starts at f*ny*(nx/2+1)*2*elemSize bytes.
 * forward = R2C unnormalised; inverse = C2R unnormalised (inverse(forward(x)) == nx*ny*x).
 * doublePrecision: 0 = float32, 1 = float64 (the device must have shaderFloat64 enabled).
 * dealiasCutoff: 0 = the plain transform. c > 0 (3c < nx and 3c < ny) = a dealiased pair: the
 *   inverse transform treats every mode with kx > c or |ky| > c as zero without reading it, and the
 *   forward transform neither computes nor writes those modes (their words keep whatever they held;
 *   a reader of the forward output must only read modes with kx <= c and |ky| <= c).
 * cacheFile: NULL or a path. If it exists and is a valid cache for exactly this configuration
 *   (VkFFT version, device, driver, plan kind, nx, ny, batch, precision; checksummed), the compiled kernels
 *   are loaded from it; otherwise they are compiled and the file is (re)written atomically
 *   (temp file + rename). A corrupt or mismatched file falls back to compiling. Failing to write
 *   the cache is not an error (a warning goes to stderr).
 * Returns 0 on success; otherwise a non-zero code (a VkFFTResult or EDDY_FFT_ERR_*), a readable
 * NUL-terminated message in err (at most errLen bytes; err may be NULL), and *out set to NULL. */
EDDY_API int eddy_fft_plan_create(uint64_t physicalDevice, uint64_t device, uint64_t queue,
                                  uint64_t commandPool, uint64_t fence,
                                  uint32_t nx, uint32_t ny, uint32_t batch, int doublePrecision,
                                  uint32_t dealiasCutoff, uint64_t buffer, uint64_t bufferSize,
                                  const char* cacheFile,
                                  EddyFftPlan** out, char* err, int errLen);

/* Creates a "column" plan: a complex-to-complex FFT of length ny along y for every column of `batch`
 * compact complex arrays in `buffer`; the x axis is not transformed.
 * Layout: each array is ny rows of `width` complex values (interleaved re, im), row stride = width
 * complex, array stride = ny*width complex, array a starting at a*ny*width*2*elemSize bytes (so the
 * buffer needs at least batch*ny*width*2*elemSize bytes). width >= 1 (any), ny >= 2 with no prime
 * factor above 13: VkFFT does larger primes with Rader's or Bluestein's algorithm, and those gave wrong
 * results (relative error 1, in 2D R2C plans too) in fft_selftest on lavapipe, so they are refused.
 * forward = sum_y z[y] e^{-2 pi i k y/ny} (the sign of eddy_fft_plan_create's forward), inverse the same
 * with e^{+...}; both unnormalised (inverse(forward(z)) == ny*z).
 * doublePrecision and cacheFile as for eddy_fft_plan_create; the cache key includes the plan kind and
 * width, so a column plan never loads a 2D plan's cache file nor the other way round.
 * Appended with eddy_fft_append and destroyed with eddy_fft_plan_destroy like any plan.
 * Returns 0 on success; otherwise a non-zero code, a message in err, and *out set to NULL. */
EDDY_API int eddy_fft_plan_create_columns(uint64_t physicalDevice, uint64_t device, uint64_t queue,
                                          uint64_t commandPool, uint64_t fence,
                                          uint32_t width, uint32_t ny, uint32_t batch, int doublePrecision,
                                          uint64_t buffer, uint64_t bufferSize, const char* cacheFile,
                                          EddyFftPlan** out, char* err, int errLen);

/* Records the transform into commandBuffer (which must be in the recording state).
 * direction: -1 = forward (R2C, or the column plan's e^{-i} C2C), +1 = inverse (C2R, or e^{+i} C2C).
 * VkFFT inserts barriers between its own passes but none before the first one and none after
 * the last: the caller orders it against surrounding work. It binds its own pipelines and
 * descriptor sets, so the caller must re-bind its own afterwards. Never submits or waits and
 * never updates descriptor sets. On failure the command buffer may hold a partial transform. */
EDDY_API int eddy_fft_append(EddyFftPlan* plan, uint64_t commandBuffer, int direction,
                             char* err, int errLen);

/* 1 if the plan's kernels were loaded from the cache file, 0 if they were compiled. */
EDDY_API int eddy_fft_plan_loaded_from_cache(const EddyFftPlan* plan);

/* Destroys the plan (NULL is allowed). The GPU must no longer be using it. */
EDDY_API void eddy_fft_plan_destroy(EddyFftPlan* plan);

/* VkFFT version as an int, e.g. 10226 for 1.2.26. */
EDDY_API int eddy_fft_version(void);

/* Optional helper: number of bytes the plan's buffer needs (batch fields in the padded layout),
 * or 0 if the arguments are invalid. */
EDDY_API uint64_t eddy_fft_required_buffer_size(uint32_t nx, uint32_t ny, uint32_t batch,
                                                int doublePrecision);

#ifdef __cplusplus
}
#endif

#endif /* EDDY_VKFFT_H */
