// eddy_vkfft.cpp -- the bridge between Eddy's Java side (FFM) and VkFFT's Vulkan backend.
//
// Include order matters: real glslang C interface first, then the legacy-layout adapter (which
// redirects glslang_resource_t/glslang_input_t/glslang_shader_* by macro), then vkFFT.h.
// See glslang_legacy_adapter.h for why.
#ifndef VKFFT_BACKEND
#define VKFFT_BACKEND 0
#endif
#include <vulkan/vulkan.h>
#include <glslang/Include/glslang_c_interface.h>
#include "glslang_legacy_adapter.h"

// vkFFT.h lives in /usr/include, so GCC treats it as a system header (no warnings from it);
// -Wall -Wextra apply to our own code.
#include <vkFFT.h>

#include "eddy_vkfft.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <clocale>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

// What a plan transforms. The value is part of the disk cache key.
enum class PlanKind : uint32_t {
    Real2D = 0,  // 2D R2C/C2R on the padded layout (eddy_fft_plan_create)
    Columns = 1, // C2C along y of every column of a compact complex array (eddy_fft_plan_create_columns)
};

// The transform a plan does, independent of the device: the disk cache key holds all of it.
struct PlanShape {
    PlanKind kind = PlanKind::Real2D;
    uint32_t nx = 0;    // Real2D: reals per row; 0 for Columns
    uint32_t width = 0; // Columns: complex values per row, each a column transformed; 0 for Real2D
    uint32_t ny = 0, batch = 0;
    int doublePrecision = 0;
    uint32_t dealiasCutoff = 0; // Real2D only. 0: the plain transform; c > 0: modes with |kx| > c or |ky| > c are skipped
};

struct EddyFftPlan {
    // VkFFT keeps POINTERS to these in its configuration: they must live as long as the plan.
    VkPhysicalDevice physicalDevice = VK_NULL_HANDLE;
    VkDevice device = VK_NULL_HANDLE;
    VkQueue queue = VK_NULL_HANDLE;
    VkCommandPool commandPool = VK_NULL_HANDLE;
    VkFence fence = VK_NULL_HANDLE;
    VkBuffer buffer = VK_NULL_HANDLE;
    uint64_t bufferSize = 0;
    VkCommandBuffer commandBuffer = VK_NULL_HANDLE; // the one being recorded into by append
    VkFFTApplication app{};
    bool initialized = false;
    int loadedFromCache = 0;
    PlanShape shape;
};

namespace {

void set_err(char* err, int errLen, const char* fmt, ...) {
    if (!err || errLen <= 0) return;
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(err, (size_t)errLen, fmt, ap);
    va_end(ap);
    err[errLen - 1] = '\0';
}

const char* vkfft_result_name(int r) {
    switch (r) {
#define C(x) case x: return #x;
    C(VKFFT_SUCCESS)
    C(VKFFT_ERROR_MALLOC_FAILED)
    C(VKFFT_ERROR_INSUFFICIENT_CODE_BUFFER)
    C(VKFFT_ERROR_INSUFFICIENT_TEMP_BUFFER)
    C(VKFFT_ERROR_PLAN_NOT_INITIALIZED)
    C(VKFFT_ERROR_NULL_TEMP_PASSED)
    C(VKFFT_ERROR_INVALID_PHYSICAL_DEVICE)
    C(VKFFT_ERROR_INVALID_DEVICE)
    C(VKFFT_ERROR_INVALID_QUEUE)
    C(VKFFT_ERROR_INVALID_COMMAND_POOL)
    C(VKFFT_ERROR_INVALID_FENCE)
    C(VKFFT_ERROR_ONLY_FORWARD_FFT_INITIALIZED)
    C(VKFFT_ERROR_ONLY_INVERSE_FFT_INITIALIZED)
    C(VKFFT_ERROR_INVALID_CONTEXT)
    C(VKFFT_ERROR_INVALID_PLATFORM)
    C(VKFFT_ERROR_ENABLED_saveApplicationToString)
    C(VKFFT_ERROR_EMPTY_FILE)
    C(VKFFT_ERROR_EMPTY_FFTdim)
    C(VKFFT_ERROR_EMPTY_size)
    C(VKFFT_ERROR_EMPTY_bufferSize)
    C(VKFFT_ERROR_EMPTY_buffer)
    C(VKFFT_ERROR_EMPTY_tempBufferSize)
    C(VKFFT_ERROR_EMPTY_tempBuffer)
    C(VKFFT_ERROR_EMPTY_inputBufferSize)
    C(VKFFT_ERROR_EMPTY_inputBuffer)
    C(VKFFT_ERROR_EMPTY_outputBufferSize)
    C(VKFFT_ERROR_EMPTY_outputBuffer)
    C(VKFFT_ERROR_EMPTY_kernelSize)
    C(VKFFT_ERROR_EMPTY_kernel)
    C(VKFFT_ERROR_EMPTY_applicationString)
    C(VKFFT_ERROR_EMPRY_useCustomBluesteinPaddingPattern_arrays)
    C(VKFFT_ERROR_UNSUPPORTED_RADIX)
    C(VKFFT_ERROR_UNSUPPORTED_FFT_LENGTH)
    C(VKFFT_ERROR_UNSUPPORTED_FFT_LENGTH_R2C)
    C(VKFFT_ERROR_UNSUPPORTED_FFT_LENGTH_DCT)
    C(VKFFT_ERROR_UNSUPPORTED_FFT_OMIT)
    C(VKFFT_ERROR_FAILED_TO_ALLOCATE)
    C(VKFFT_ERROR_FAILED_TO_MAP_MEMORY)
    C(VKFFT_ERROR_FAILED_TO_ALLOCATE_COMMAND_BUFFERS)
    C(VKFFT_ERROR_FAILED_TO_BEGIN_COMMAND_BUFFER)
    C(VKFFT_ERROR_FAILED_TO_END_COMMAND_BUFFER)
    C(VKFFT_ERROR_FAILED_TO_SUBMIT_QUEUE)
    C(VKFFT_ERROR_FAILED_TO_WAIT_FOR_FENCES)
    C(VKFFT_ERROR_FAILED_TO_RESET_FENCES)
    C(VKFFT_ERROR_FAILED_TO_CREATE_DESCRIPTOR_POOL)
    C(VKFFT_ERROR_FAILED_TO_CREATE_DESCRIPTOR_SET_LAYOUT)
    C(VKFFT_ERROR_FAILED_TO_ALLOCATE_DESCRIPTOR_SETS)
    C(VKFFT_ERROR_FAILED_TO_CREATE_PIPELINE_LAYOUT)
    C(VKFFT_ERROR_FAILED_SHADER_PREPROCESS)
    C(VKFFT_ERROR_FAILED_SHADER_PARSE)
    C(VKFFT_ERROR_FAILED_SHADER_LINK)
    C(VKFFT_ERROR_FAILED_SPIRV_GENERATE)
    C(VKFFT_ERROR_FAILED_TO_CREATE_SHADER_MODULE)
    C(VKFFT_ERROR_FAILED_TO_CREATE_INSTANCE)
    C(VKFFT_ERROR_FAILED_TO_SETUP_DEBUG_MESSENGER)
    C(VKFFT_ERROR_FAILED_TO_FIND_PHYSICAL_DEVICE)
    C(VKFFT_ERROR_FAILED_TO_CREATE_DEVICE)
    C(VKFFT_ERROR_FAILED_TO_CREATE_FENCE)
    C(VKFFT_ERROR_FAILED_TO_CREATE_COMMAND_POOL)
    C(VKFFT_ERROR_FAILED_TO_CREATE_BUFFER)
    C(VKFFT_ERROR_FAILED_TO_ALLOCATE_MEMORY)
    C(VKFFT_ERROR_FAILED_TO_BIND_BUFFER_MEMORY)
    C(VKFFT_ERROR_FAILED_TO_FIND_MEMORY)
    C(VKFFT_ERROR_FAILED_TO_SYNCHRONIZE)
    C(VKFFT_ERROR_FAILED_TO_COPY)
    C(VKFFT_ERROR_FAILED_TO_CREATE_PROGRAM)
    C(VKFFT_ERROR_FAILED_TO_COMPILE_PROGRAM)
    C(VKFFT_ERROR_FAILED_TO_GET_CODE_SIZE)
    C(VKFFT_ERROR_FAILED_TO_GET_CODE)
    C(VKFFT_ERROR_FAILED_TO_DESTROY_PROGRAM)
    C(VKFFT_ERROR_FAILED_TO_LOAD_MODULE)
    C(VKFFT_ERROR_FAILED_TO_GET_FUNCTION)
    C(VKFFT_ERROR_FAILED_TO_SET_DYNAMIC_SHARED_MEMORY)
    C(VKFFT_ERROR_FAILED_TO_MODULE_GET_GLOBAL)
    C(VKFFT_ERROR_FAILED_TO_LAUNCH_KERNEL)
    C(VKFFT_ERROR_FAILED_TO_EVENT_RECORD)
    C(VKFFT_ERROR_FAILED_TO_ADD_NAME_EXPRESSION)
    C(VKFFT_ERROR_FAILED_TO_INITIALIZE)
    C(VKFFT_ERROR_FAILED_TO_SET_DEVICE_ID)
    C(VKFFT_ERROR_FAILED_TO_GET_DEVICE)
    C(VKFFT_ERROR_FAILED_TO_CREATE_CONTEXT)
    C(VKFFT_ERROR_FAILED_TO_CREATE_PIPELINE)
    C(VKFFT_ERROR_FAILED_TO_SET_KERNEL_ARG)
    C(VKFFT_ERROR_FAILED_TO_CREATE_COMMAND_QUEUE)
    C(VKFFT_ERROR_FAILED_TO_RELEASE_COMMAND_QUEUE)
    C(VKFFT_ERROR_FAILED_TO_ENUMERATE_DEVICES)
    C(VKFFT_ERROR_FAILED_TO_GET_ATTRIBUTE)
    C(VKFFT_ERROR_FAILED_TO_CREATE_EVENT)
    C(VKFFT_ERROR_FAILED_TO_CREATE_COMMAND_LIST)
    C(VKFFT_ERROR_FAILED_TO_DESTROY_COMMAND_LIST)
    C(VKFFT_ERROR_FAILED_TO_SUBMIT_BARRIER)
#undef C
    default: return "unknown VkFFT error";
    }
}

// ---- glslang process initialisation: once per process, never finalised ----------------------
// (VkFFT would otherwise initialise and finalise glslang around every plan creation.)
std::once_flag g_glslangOnce;
int g_glslangOk = 0;

bool ensure_glslang() {
    std::call_once(g_glslangOnce, [] { g_glslangOk = glslang_initialize_process(); });
    return g_glslangOk != 0;
}

// ---- kernel cache file ------------------------------------------------------------------------
constexpr char kMagic[8] = {'E', 'D', 'D', 'Y', 'F', 'F', 'T', 'C'};
constexpr uint32_t kFormatVersion = 3; // 2: the dealias cutoff in the header; 3: the plan kind and width
constexpr uint32_t kSpirvMagic = 0x07230203u;
constexpr uint64_t kMaxCacheBytes = 512ull << 20;

struct CacheHeader {
    char magic[8];
    uint32_t formatVersion;
    uint32_t headerSize;
    uint32_t vkfftVersion;
    uint32_t nx, ny, batch, doublePrecision;
    uint32_t vendorID, deviceID, driverVersion, apiVersion;
    uint8_t pipelineCacheUUID[VK_UUID_SIZE];
    uint32_t dealiasCutoff;
    uint32_t kind;  // PlanKind
    uint32_t width; // Columns: the number of columns; 0 for Real2D
    uint64_t payloadSize;  // bytes of VkFFT's saveApplicationString
    uint64_t payloadHash;  // FNV-1a 64 of the payload
    uint64_t headerHash;   // FNV-1a 64 of all header bytes before this field
};
static_assert(sizeof(CacheHeader) % 8 == 0, "header must keep the payload 8-byte aligned");

uint64_t fnv1a64(const void* data, size_t n, uint64_t h = 1469598103934665603ull) {
    const unsigned char* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

CacheHeader make_header(const EddyFftPlan& p) {
    CacheHeader h;
    std::memset(&h, 0, sizeof h);
    std::memcpy(h.magic, kMagic, sizeof kMagic);
    h.formatVersion = kFormatVersion;
    h.headerSize = sizeof(CacheHeader);
    h.vkfftVersion = (uint32_t)VkFFTGetVersion();
    h.nx = p.shape.nx;
    h.ny = p.shape.ny;
    h.batch = p.shape.batch;
    h.doublePrecision = (uint32_t)p.shape.doublePrecision;
    h.dealiasCutoff = p.shape.dealiasCutoff;
    h.kind = (uint32_t)p.shape.kind;
    h.width = p.shape.width;
    VkPhysicalDeviceProperties props;
    std::memset(&props, 0, sizeof props);
    vkGetPhysicalDeviceProperties(p.physicalDevice, &props);
    h.vendorID = props.vendorID;
    h.deviceID = props.deviceID;
    h.driverVersion = props.driverVersion;
    h.apiVersion = props.apiVersion;
    std::memcpy(h.pipelineCacheUUID, props.pipelineCacheUUID, VK_UUID_SIZE);
    return h;
}

// VkFFT's Vulkan save format is a sequence of [uint32 byteSize][SPIR-V words]. VkFFT reads it
// without any bounds checks, so check the structure before handing it over.
bool payload_well_formed(const uint32_t* w, size_t nwords) {
    if (nwords == 0) return false;
    size_t pos = 0;
    while (pos < nwords) {
        uint32_t bytes = w[pos];
        if (bytes == 0 || bytes % 4 != 0) return false;
        size_t words = bytes / 4;
        if (words > nwords - pos - 1) return false;
        if (w[pos + 1] != kSpirvMagic) return false;
        pos += 1 + words;
    }
    return pos == nwords;
}

// Returns true and fills `payload` if `path` holds a valid cache for `expect`. Never throws.
bool read_cache(const char* path, const CacheHeader& expect, std::vector<uint32_t>& payload,
                std::string& why) {
    FILE* f = std::fopen(path, "rb");
    if (!f) {
        why = "no cache file";
        return false;
    }
    bool ok = false;
    do {
        if (std::fseek(f, 0, SEEK_END) != 0) { why = "cannot seek"; break; }
        long len = std::ftell(f);
        if (len < 0) { why = "cannot tell size"; break; }
        if (std::fseek(f, 0, SEEK_SET) != 0) { why = "cannot seek"; break; }
        if ((uint64_t)len < sizeof(CacheHeader)) { why = "file shorter than header"; break; }
        if ((uint64_t)len > kMaxCacheBytes) { why = "file too large"; break; }
        CacheHeader h;
        if (std::fread(&h, sizeof h, 1, f) != 1) { why = "cannot read header"; break; }
        if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) { why = "bad magic"; break; }
        if (h.formatVersion != kFormatVersion || h.headerSize != sizeof(CacheHeader)) {
            why = "unknown format version";
            break;
        }
        if (fnv1a64(&h, offsetof(CacheHeader, headerHash)) != h.headerHash) {
            why = "header checksum mismatch";
            break;
        }
        // Compare every key field (everything before payloadSize).
        if (std::memcmp(&h, &expect, offsetof(CacheHeader, payloadSize)) != 0) {
            why = "cache made for another configuration/device/driver/VkFFT version";
            break;
        }
        if (h.payloadSize != (uint64_t)len - sizeof(CacheHeader)) { why = "payload size mismatch"; break; }
        if (h.payloadSize == 0 || h.payloadSize % 4 != 0) { why = "bad payload size"; break; }
        payload.assign(h.payloadSize / 4, 0u);
        if (std::fread(payload.data(), 1, h.payloadSize, f) != h.payloadSize) { why = "short read"; break; }
        if (fnv1a64(payload.data(), h.payloadSize) != h.payloadHash) { why = "payload checksum mismatch"; break; }
        if (!payload_well_formed(payload.data(), payload.size())) { why = "malformed payload"; break; }
        ok = true;
    } while (false);
    std::fclose(f);
    if (!ok) payload.clear();
    return ok;
}

std::atomic<unsigned> g_tmpCounter{0};

bool write_cache(const char* path, CacheHeader h, const void* payload, uint64_t size, std::string& why) {
    if (!payload || size == 0 || size % 4 != 0 ||
        !payload_well_formed(static_cast<const uint32_t*>(payload), size / 4)) {
        why = "VkFFT produced no cacheable payload";
        return false;
    }
    h.payloadSize = size;
    h.payloadHash = fnv1a64(payload, size);
    h.headerHash = fnv1a64(&h, offsetof(CacheHeader, headerHash));

    std::string tmp = std::string(path) + ".tmp." + std::to_string((long)getpid()) + "." +
                      std::to_string(g_tmpCounter.fetch_add(1));
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        why = std::string("cannot create ") + tmp + ": " + std::strerror(errno);
        return false;
    }
    auto write_all = [fd](const void* data, uint64_t n) {
        const char* p = static_cast<const char*>(data);
        while (n > 0) {
            ssize_t w = ::write(fd, p, n > (1u << 30) ? (1u << 30) : (size_t)n);
            if (w < 0) {
                if (errno == EINTR) continue;
                return false;
            }
            p += w;
            n -= (uint64_t)w;
        }
        return true;
    };
    bool ok = write_all(&h, sizeof h) && write_all(payload, size) && ::fsync(fd) == 0;
    int saved = errno;
    if (::close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && std::rename(tmp.c_str(), path) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        why = std::string("cannot write ") + path + ": " + std::strerror(saved);
        ::unlink(tmp.c_str());
    }
    return ok;
}

// ---- plan set-up -------------------------------------------------------------------------------

const char* precision_name(int dp) { return dp ? "float64" : "float32"; }

uint64_t required_bytes(uint32_t nx, uint32_t ny, uint32_t batch, int dp) {
    return (uint64_t)batch * ny * (nx / 2 + 1) * 2 * (dp ? 8u : 4u);
}

uint64_t required_bytes(const PlanShape& s) {
    switch (s.kind) {
    case PlanKind::Real2D: return required_bytes(s.nx, s.ny, s.batch, s.doublePrecision);
    case PlanKind::Columns: return (uint64_t)s.batch * s.ny * s.width * 2 * (s.doublePrecision ? 8u : 4u);
    }
    return 0;
}

// "128x64 batch 3 float32", for messages.
std::string describe(const PlanShape& s) {
    char d[128];
    if (s.kind == PlanKind::Real2D)
        std::snprintf(d, sizeof d, "%ux%u batch %u %s", s.nx, s.ny, s.batch, precision_name(s.doublePrecision));
    else
        std::snprintf(d, sizeof d, "%u columns of %u rows batch %u %s", s.width, s.ny, s.batch,
                      precision_name(s.doublePrecision));
    return d;
}

// VkFFT's largest radix kernel; a length with a larger prime factor goes to Rader or Bluestein.
constexpr uint32_t kLargestRadix = 13;

uint32_t largest_prime_factor(uint32_t n) {
    uint32_t largest = 1;
    for (uint32_t f = 2; (uint64_t)f * f <= n; ++f)
        while (n % f == 0) {
            largest = f;
            n /= f;
        }
    return n > 1 ? n : largest;
}

// Whether the shape can be planned; if not, the reason goes to err (prefixed with fn).
bool check_shape(const PlanShape& s, const char* fn, char* err, int errLen) {
    if (s.kind == PlanKind::Real2D) {
        if (s.nx < 2 || s.ny < 2) {
            set_err(err, errLen, "%s: nx and ny must be >= 2 (got nx=%u, ny=%u)", fn, s.nx, s.ny);
            return false;
        }
        if (s.nx & 1u) {
            set_err(err, errLen, "%s: nx must be even for the in-place R2C layout (got nx=%u)", fn, s.nx);
            return false;
        }
    } else {
        if (s.width < 1) {
            set_err(err, errLen, "%s: width must be >= 1 (got %u)", fn, s.width);
            return false;
        }
        if (s.ny < 2) {
            set_err(err, errLen, "%s: ny must be >= 2 (got %u)", fn, s.ny);
            return false;
        }
        const uint32_t prime = largest_prime_factor(s.ny);
        if (prime > kLargestRadix) {
            set_err(err, errLen,
                    "%s: ny = %u has the prime factor %u > %u: VkFFT %d transforms such lengths with Rader's or "
                    "Bluestein's algorithm, whose results were wrong (relative error 1) in fft_selftest on lavapipe",
                    fn, s.ny, prime, kLargestRadix, VkFFTGetVersion());
            return false;
        }
    }
    if (s.batch < 1) {
        set_err(err, errLen, "%s: batch must be >= 1 (got %u)", fn, s.batch);
        return false;
    }
    if (s.doublePrecision != 0 && s.doublePrecision != 1) {
        set_err(err, errLen, "%s: doublePrecision must be 0 or 1 (got %d)", fn, s.doublePrecision);
        return false;
    }
    if (s.dealiasCutoff != 0 && (3ull * s.dealiasCutoff >= s.nx || 3ull * s.dealiasCutoff >= s.ny)) {
        set_err(err, errLen, "%s: dealiasCutoff %u must be 0 or < nx/3 and < ny/3 (nx=%u, ny=%u)", fn,
                s.dealiasCutoff, s.nx, s.ny);
        return false;
    }
    return true;
}

VkFFTConfiguration make_config(EddyFftPlan* p) {
    const PlanShape& s = p->shape;
    VkFFTConfiguration c{};
    c.FFTdim = 2;
    c.size[1] = s.ny;
    c.size[2] = 1;
    c.numberBatches = s.batch;
    c.doublePrecision = s.doublePrecision ? 1 : 0;
    c.normalize = 0;
    switch (s.kind) {
    case PlanKind::Real2D:
        c.size[0] = s.nx; // fastest axis (x, contiguous within a row)
        c.performR2C = 1; // in place, default padded strides: row = nx/2+1 complex,
                          // batch stride = bufferStride[1] = ny*(nx/2+1) complex
        if (s.dealiasCutoff > 0) {
            // Frequency-domain zero padding: the inverse transform reads no mode outside the kept box
            // |kx|, |ky| <= c (it takes them as zero) and skips the y-transforms of the columns kx > c; the
            // forward transform computes and writes no mode outside the box (those words keep what they held).
            const uint64_t cut = s.dealiasCutoff;
            c.frequencyZeroPadding = 1;
            c.performZeropadding[0] = 1;
            c.fft_zeropad_left[0] = cut + 1;
            c.fft_zeropad_right[0] = s.nx / 2 + 1;
            c.performZeropadding[1] = 1;
            c.fft_zeropad_left[1] = cut + 1;
            c.fft_zeropad_right[1] = s.ny - cut;
        }
        break;
    case PlanKind::Columns:
        c.performR2C = 0;
        if (s.width == 1) {
            // One column is a contiguous 1D transform. VkFFT 1.2.26 refuses size[0] = 1 with the x axis
            // omitted (VKFFT_ERROR_UNSUPPORTED_RADIX), so plan it as what it is: 1D of length ny, `batch` times.
            c.FFTdim = 1;
            c.size[0] = s.ny;
            c.size[1] = 1;
            break;
        }
        c.size[0] = s.width;
        c.omitDimension[0] = 1; // x is only the batch of columns: no transform along it
        // Compact rows of `width` complex values. These are VkFFT's C2C defaults (initializeVkFFT: stride[0] =
        // size[0], stride[i] = stride[i-1]*size[i]), written out because the layout is this function's contract.
        c.bufferStride[0] = s.width;
        c.bufferStride[1] = (uint64_t)s.width * s.ny;
        c.bufferStride[2] = (uint64_t)s.width * s.ny; // the array (batch) stride
        break;
    }
    c.isCompilerInitialized = 1; // we initialise glslang once per process ourselves
    c.physicalDevice = &p->physicalDevice;
    c.device = &p->device;
    c.queue = &p->queue;
    c.commandPool = &p->commandPool;
    c.fence = &p->fence;
    c.buffer = &p->buffer;
    c.bufferSize = &p->bufferSize;
    c.bufferNum = 1;
    return c;
}

// initializeVkFFT, keeping the caller's locale intact (VkFFT switches to "C" while generating
// shader text and restores it through a pointer that setlocale may already have overwritten).
VkFFTResult init_app(EddyFftPlan* p, const VkFFTConfiguration& c) {
    const char* cur = std::setlocale(LC_ALL, nullptr);
    std::string saved = cur ? cur : "";
    std::memset(&p->app, 0, sizeof p->app);
    VkFFTResult r = initializeVkFFT(&p->app, c);
    if (!saved.empty()) std::setlocale(LC_ALL, saved.c_str());
    if (r != VKFFT_SUCCESS) {
        deleteVkFFT(&p->app); // idempotent: VkFFT usually already cleaned up
        std::memset(&p->app, 0, sizeof p->app);
    }
    return r;
}

// The body of both exported create functions: checks, then loads the kernels from the cache or compiles
// (and saves) them. fn names the exported function in messages.
int create_plan(const char* fn, const PlanShape& shape, uint64_t physicalDevice, uint64_t device, uint64_t queue,
                uint64_t commandPool, uint64_t fence, uint64_t buffer, uint64_t bufferSize, const char* cacheFile,
                EddyFftPlan** out, char* err, int errLen) {
    if (err && errLen > 0) err[0] = '\0';
    if (!out) {
        set_err(err, errLen, "%s: out must not be NULL", fn);
        return EDDY_FFT_ERR_INVALID_ARGUMENT;
    }
    *out = nullptr;
    if (!physicalDevice || !device || !queue || !commandPool || !fence || !buffer) {
        set_err(err, errLen,
                "%s: null Vulkan handle (physicalDevice=%#llx device=%#llx queue=%#llx "
                "commandPool=%#llx fence=%#llx buffer=%#llx)",
                fn, (unsigned long long)physicalDevice, (unsigned long long)device, (unsigned long long)queue,
                (unsigned long long)commandPool, (unsigned long long)fence, (unsigned long long)buffer);
        return EDDY_FFT_ERR_INVALID_ARGUMENT;
    }
    if (!check_shape(shape, fn, err, errLen)) return EDDY_FFT_ERR_INVALID_ARGUMENT;
    const uint64_t need = required_bytes(shape);
    if (bufferSize < need) {
        set_err(err, errLen, "%s: bufferSize %llu too small: %s needs %llu bytes", fn,
                (unsigned long long)bufferSize, describe(shape).c_str(), (unsigned long long)need);
        return EDDY_FFT_ERR_INVALID_ARGUMENT;
    }
    if (!ensure_glslang()) {
        set_err(err, errLen, "%s: glslang_initialize_process failed", fn);
        return EDDY_FFT_ERR_COMPILER_INIT;
    }

    EddyFftPlan* p = new (std::nothrow) EddyFftPlan();
    if (!p) {
        set_err(err, errLen, "%s: out of memory", fn);
        return EDDY_FFT_ERR_OUT_OF_MEMORY;
    }
    p->physicalDevice = reinterpret_cast<VkPhysicalDevice>(physicalDevice);
    p->device = reinterpret_cast<VkDevice>(device);
    p->queue = reinterpret_cast<VkQueue>(queue);
    p->commandPool = (VkCommandPool)commandPool;
    p->fence = (VkFence)fence;
    p->buffer = (VkBuffer)buffer;
    p->bufferSize = bufferSize;
    p->shape = shape;

    const bool useCache = cacheFile && cacheFile[0];
    CacheHeader key{};
    if (useCache) key = make_header(*p);

    // 1) Try the cache.
    if (useCache) {
        std::vector<uint32_t> payload;
        std::string why;
        if (read_cache(cacheFile, key, payload, why)) {
            VkFFTConfiguration c = make_config(p);
            c.loadApplicationFromString = 1;
            c.loadApplicationString = payload.data();
            VkFFTResult r = init_app(p, c);
            if (r == VKFFT_SUCCESS && p->app.currentApplicationStringPos == payload.size()) {
                p->initialized = true;
                p->loadedFromCache = 1;
            } else if (r == VKFFT_SUCCESS) {
                // Consumed a different amount than stored: do not trust it.
                deleteVkFFT(&p->app);
                std::memset(&p->app, 0, sizeof p->app);
                std::fprintf(stderr, "eddy_vkfft: cache %s did not match the plan's kernels; recompiling\n", cacheFile);
            } else {
                std::fprintf(stderr, "eddy_vkfft: loading cache %s failed (%d %s); recompiling\n", cacheFile,
                             (int)r, vkfft_result_name(r));
            }
        } else if (why != "no cache file") {
            std::fprintf(stderr, "eddy_vkfft: ignoring cache %s (%s); recompiling\n", cacheFile, why.c_str());
        }
    }

    // 2) Compile (and save).
    if (!p->initialized) {
        VkFFTConfiguration c = make_config(p);
        c.saveApplicationToString = useCache ? 1 : 0;
        VkFFTResult r = init_app(p, c);
        if (r != VKFFT_SUCCESS) {
            set_err(err, errLen, "initializeVkFFT failed for %s: VkFFT error %d (%s)", describe(shape).c_str(), (int)r,
                    vkfft_result_name(r));
            delete p;
            return (int)r;
        }
        p->initialized = true;
        p->loadedFromCache = 0;
        if (useCache) {
            std::string why;
            if (!write_cache(cacheFile, key, p->app.saveApplicationString, p->app.applicationStringSize, why))
                std::fprintf(stderr, "eddy_vkfft: warning: kernel cache not saved: %s\n", why.c_str());
        }
    }
    *out = p;
    return 0;
}

} // namespace

extern "C" {

EDDY_API uint64_t eddy_fft_required_buffer_size(uint32_t nx, uint32_t ny, uint32_t batch, int doublePrecision) {
    if (nx < 2 || ny < 2 || (nx & 1u) || batch < 1 || (doublePrecision != 0 && doublePrecision != 1)) return 0;
    return required_bytes(nx, ny, batch, doublePrecision);
}

EDDY_API int eddy_fft_plan_create(uint64_t physicalDevice, uint64_t device, uint64_t queue,
                                  uint64_t commandPool, uint64_t fence,
                                  uint32_t nx, uint32_t ny, uint32_t batch, int doublePrecision,
                                  uint32_t dealiasCutoff, uint64_t buffer, uint64_t bufferSize,
                                  const char* cacheFile, EddyFftPlan** out, char* err, int errLen) {
    PlanShape s;
    s.kind = PlanKind::Real2D;
    s.nx = nx;
    s.ny = ny;
    s.batch = batch;
    s.doublePrecision = doublePrecision;
    s.dealiasCutoff = dealiasCutoff;
    return create_plan("eddy_fft_plan_create", s, physicalDevice, device, queue, commandPool, fence, buffer,
                       bufferSize, cacheFile, out, err, errLen);
}

EDDY_API int eddy_fft_plan_create_columns(uint64_t physicalDevice, uint64_t device, uint64_t queue,
                                          uint64_t commandPool, uint64_t fence,
                                          uint32_t width, uint32_t ny, uint32_t batch, int doublePrecision,
                                          uint64_t buffer, uint64_t bufferSize,
                                          const char* cacheFile, EddyFftPlan** out, char* err, int errLen) {
    PlanShape s;
    s.kind = PlanKind::Columns;
    s.width = width;
    s.ny = ny;
    s.batch = batch;
    s.doublePrecision = doublePrecision;
    return create_plan("eddy_fft_plan_create_columns", s, physicalDevice, device, queue, commandPool, fence, buffer,
                       bufferSize, cacheFile, out, err, errLen);
}

EDDY_API int eddy_fft_append(EddyFftPlan* plan, uint64_t commandBuffer, int direction, char* err, int errLen) {
    if (err && errLen > 0) err[0] = '\0';
    if (!plan || !plan->initialized) {
        set_err(err, errLen, "eddy_fft_append: plan is NULL or not initialised");
        return EDDY_FFT_ERR_INVALID_ARGUMENT;
    }
    if (!commandBuffer) {
        set_err(err, errLen, "eddy_fft_append: commandBuffer is NULL");
        return EDDY_FFT_ERR_INVALID_ARGUMENT;
    }
    if (direction != -1 && direction != 1) {
        set_err(err, errLen, "eddy_fft_append: direction must be -1 (forward) or +1 (inverse), got %d",
                direction);
        return EDDY_FFT_ERR_INVALID_ARGUMENT;
    }
    // VkFFT keeps a pointer to the command buffer handle in its configuration: keep it in the plan.
    plan->commandBuffer = reinterpret_cast<VkCommandBuffer>(commandBuffer);
    VkFFTLaunchParams lp{};
    lp.commandBuffer = &plan->commandBuffer;
    lp.buffer = &plan->buffer; // same pointer as at creation: no descriptor-set update happens
    VkFFTResult r = VkFFTAppend(&plan->app, direction == 1 ? 1 : -1, &lp);
    plan->app.configuration.memory_barrier = nullptr; // pointed at VkFFTAppend's stack frame
    if (r != VKFFT_SUCCESS) {
        set_err(err, errLen, "VkFFTAppend (%s) failed: VkFFT error %d (%s)", direction == 1 ? "inverse" : "forward",
                (int)r, vkfft_result_name(r));
        return (int)r;
    }
    return 0;
}

EDDY_API int eddy_fft_plan_loaded_from_cache(const EddyFftPlan* plan) {
    return plan ? plan->loadedFromCache : 0;
}

EDDY_API void eddy_fft_plan_destroy(EddyFftPlan* plan) {
    if (!plan) return;
    if (plan->initialized) deleteVkFFT(&plan->app);
    delete plan;
}

EDDY_API int eddy_fft_version(void) {
    return VkFFTGetVersion();
}

} // extern "C"
