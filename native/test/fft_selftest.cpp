// fft_selftest.cpp -- self-test of libeddy_vkfft.so through its public C API only.
//
// Creates its own Vulkan instance/device on whatever device exists (lavapipe on a CPU-only
// machine), and checks for float and double, sizes 64x64, 96x96, 128x64, 120x96, batch 1 and 3:
//   * forward R2C against a direct DFT computed in double precision,
//   * inverse(forward(x)) == nx*ny*x (separate submits, and both appended in one command buffer),
//   * plan creation without cache, with cache (compile + save) and from cache (load), with
//     bit-identical results from compiled and loaded plans,
//   * corrupt / truncated / foreign / unwritable cache files fall back to compiling,
//   * invalid arguments are rejected with a message,
//   * column plans (C2C along y only): forward against a direct DFT, inverse(forward) == ny*z, cache
//     load, a 2D plan's cache refused, invalid arguments.
// Usage: fft_selftest [workdir]   (cache files go to workdir/selftest_cache; default ".")
// Exit status 0 only if every check passed.
#include "eddy_vkfft.h"

#include <vulkan/vulkan.h>

#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace {

int g_failures = 0;
int g_checks = 0;

void check(bool ok, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void check(bool ok, const char* fmt, ...) {
    ++g_checks;
    if (ok) return;
    ++g_failures;
    va_list ap;
    va_start(ap, fmt);
    std::fprintf(stdout, "  FAIL: ");
    std::vfprintf(stdout, fmt, ap);
    std::fprintf(stdout, "\n");
    va_end(ap);
}

#define VK_CHECK(x)                                                                       \
    do {                                                                                  \
        VkResult r_ = (x);                                                                \
        if (r_ != VK_SUCCESS) {                                                           \
            std::fprintf(stderr, "Vulkan error %d at %s:%d: %s\n", (int)r_, __FILE__, __LINE__, #x); \
            std::exit(2);                                                                 \
        }                                                                                 \
    } while (0)

double now_ms() {
    using namespace std::chrono;
    return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

// ---- Vulkan context ---------------------------------------------------------------------------
struct Vk {
    VkInstance instance = VK_NULL_HANDLE;
    VkPhysicalDevice phys = VK_NULL_HANDLE;
    VkDevice device = VK_NULL_HANDLE;
    VkQueue queue = VK_NULL_HANDLE;
    uint32_t queueFamily = 0;
    VkCommandPool pool = VK_NULL_HANDLE;
    VkFence planFence = VK_NULL_HANDLE; // handed to the plans (VkFFT uploads LUTs with it)
    VkFence runFence = VK_NULL_HANDLE;  // our own submits
    bool float64 = false;
    VkPhysicalDeviceMemoryProperties mem{};
    VkPhysicalDeviceProperties props{};
};

Vk init_vulkan() {
    Vk vk;
    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "eddy fft_selftest";
    app.apiVersion = VK_API_VERSION_1_1;
    VkInstanceCreateInfo ici{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    ici.pApplicationInfo = &app;
    VK_CHECK(vkCreateInstance(&ici, nullptr, &vk.instance));

    uint32_t n = 0;
    VK_CHECK(vkEnumeratePhysicalDevices(vk.instance, &n, nullptr));
    if (n == 0) {
        std::fprintf(stderr, "no Vulkan physical device\n");
        std::exit(2);
    }
    std::vector<VkPhysicalDevice> devs(n);
    VK_CHECK(vkEnumeratePhysicalDevices(vk.instance, &n, devs.data()));
    uint32_t pick = 0;
    if (const char* e = std::getenv("EDDY_VK_DEVICE")) pick = (uint32_t)std::atoi(e);
    if (pick >= n) pick = 0;
    vk.phys = devs[pick];
    vkGetPhysicalDeviceProperties(vk.phys, &vk.props);
    vkGetPhysicalDeviceMemoryProperties(vk.phys, &vk.mem);

    uint32_t nq = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(vk.phys, &nq, nullptr);
    std::vector<VkQueueFamilyProperties> qf(nq);
    vkGetPhysicalDeviceQueueFamilyProperties(vk.phys, &nq, qf.data());
    bool found = false;
    for (uint32_t i = 0; i < nq; ++i)
        if (qf[i].queueFlags & VK_QUEUE_COMPUTE_BIT) {
            vk.queueFamily = i;
            found = true;
            break;
        }
    if (!found) {
        std::fprintf(stderr, "no compute queue\n");
        std::exit(2);
    }
    VkPhysicalDeviceFeatures have{};
    vkGetPhysicalDeviceFeatures(vk.phys, &have);
    VkPhysicalDeviceFeatures want{};
    vk.float64 = have.shaderFloat64 == VK_TRUE;
    want.shaderFloat64 = have.shaderFloat64;
    want.shaderInt64 = have.shaderInt64;

    float prio = 1.0f;
    VkDeviceQueueCreateInfo qci{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    qci.queueFamilyIndex = vk.queueFamily;
    qci.queueCount = 1;
    qci.pQueuePriorities = &prio;
    VkDeviceCreateInfo dci{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    dci.queueCreateInfoCount = 1;
    dci.pQueueCreateInfos = &qci;
    dci.pEnabledFeatures = &want;
    VK_CHECK(vkCreateDevice(vk.phys, &dci, nullptr, &vk.device));
    vkGetDeviceQueue(vk.device, vk.queueFamily, 0, &vk.queue);

    VkCommandPoolCreateInfo pci{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pci.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pci.queueFamilyIndex = vk.queueFamily;
    VK_CHECK(vkCreateCommandPool(vk.device, &pci, nullptr, &vk.pool));
    VkFenceCreateInfo fci{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VK_CHECK(vkCreateFence(vk.device, &fci, nullptr, &vk.planFence));
    VK_CHECK(vkCreateFence(vk.device, &fci, nullptr, &vk.runFence));
    return vk;
}

void destroy_vulkan(Vk& vk) {
    vkDestroyFence(vk.device, vk.runFence, nullptr);
    vkDestroyFence(vk.device, vk.planFence, nullptr);
    vkDestroyCommandPool(vk.device, vk.pool, nullptr);
    vkDestroyDevice(vk.device, nullptr);
    vkDestroyInstance(vk.instance, nullptr);
}

struct Buffer {
    VkBuffer buf = VK_NULL_HANDLE;
    VkDeviceMemory mem = VK_NULL_HANDLE;
    void* map = nullptr;
    uint64_t size = 0;
};

Buffer make_buffer(const Vk& vk, uint64_t size) {
    Buffer b;
    b.size = size;
    VkBufferCreateInfo bci{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    bci.size = size;
    bci.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    bci.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    VK_CHECK(vkCreateBuffer(vk.device, &bci, nullptr, &b.buf));
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(vk.device, b.buf, &req);
    const VkMemoryPropertyFlags want = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    uint32_t type = UINT32_MAX;
    for (uint32_t i = 0; i < vk.mem.memoryTypeCount; ++i)
        if ((req.memoryTypeBits & (1u << i)) && (vk.mem.memoryTypes[i].propertyFlags & want) == want) {
            type = i;
            break;
        }
    if (type == UINT32_MAX) {
        std::fprintf(stderr, "no host-visible coherent memory type\n");
        std::exit(2);
    }
    VkMemoryAllocateInfo mai{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    mai.allocationSize = req.size;
    mai.memoryTypeIndex = type;
    VK_CHECK(vkAllocateMemory(vk.device, &mai, nullptr, &b.mem));
    VK_CHECK(vkBindBufferMemory(vk.device, b.buf, b.mem, 0));
    VK_CHECK(vkMapMemory(vk.device, b.mem, 0, VK_WHOLE_SIZE, 0, &b.map));
    return b;
}

void destroy_buffer(const Vk& vk, Buffer& b) {
    vkUnmapMemory(vk.device, b.mem);
    vkDestroyBuffer(vk.device, b.buf, nullptr);
    vkFreeMemory(vk.device, b.mem, nullptr);
    b = Buffer{};
}

void barrier(VkCommandBuffer cb, VkPipelineStageFlags src, VkAccessFlags srcA, VkPipelineStageFlags dst,
             VkAccessFlags dstA) {
    VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    mb.srcAccessMask = srcA;
    mb.dstAccessMask = dstA;
    vkCmdPipelineBarrier(cb, src, dst, 0, 1, &mb, 0, nullptr, 0, nullptr);
}

struct Step {
    EddyFftPlan* plan;
    int direction;
};

// Records all steps into ONE command buffer (barrier before each append, as the Java side does),
// submits and waits. Returns false if an append failed.
bool run(const Vk& vk, const std::vector<Step>& steps) {
    VkCommandBufferAllocateInfo cai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    cai.commandPool = vk.pool;
    cai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    cai.commandBufferCount = 1;
    VkCommandBuffer cb;
    VK_CHECK(vkAllocateCommandBuffers(vk.device, &cai, &cb));
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    VK_CHECK(vkBeginCommandBuffer(cb, &bi));
    bool ok = true;
    for (const Step& s : steps) {
        barrier(cb, VK_PIPELINE_STAGE_HOST_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                VK_ACCESS_HOST_WRITE_BIT | VK_ACCESS_SHADER_WRITE_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
        char err[512];
        int rc = eddy_fft_append(s.plan, (uint64_t)(uintptr_t)cb, s.direction, err, sizeof err);
        if (rc != 0) {
            std::printf("  append failed: %d %s\n", rc, err);
            ok = false;
        }
    }
    barrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT, VK_PIPELINE_STAGE_HOST_BIT,
            VK_ACCESS_HOST_READ_BIT);
    VK_CHECK(vkEndCommandBuffer(cb));
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &cb;
    VK_CHECK(vkQueueSubmit(vk.queue, 1, &si, vk.runFence));
    VK_CHECK(vkWaitForFences(vk.device, 1, &vk.runFence, VK_TRUE, UINT64_MAX));
    VK_CHECK(vkResetFences(vk.device, 1, &vk.runFence));
    vkFreeCommandBuffers(vk.device, vk.pool, 1, &cb);
    return ok;
}

// ---- plan helpers -----------------------------------------------------------------------------
struct Cfg {
    uint32_t nx, ny, batch;
    int dp;
};

std::string cfg_name(const Cfg& c) {
    char s[96];
    std::snprintf(s, sizeof s, "%ux%u batch %u %s", c.nx, c.ny, c.batch, c.dp ? "double" : "float");
    return s;
}

EddyFftPlan* create_plan(const Vk& vk, const Cfg& c, const Buffer& b, const char* cache, double* ms, int* rcOut = nullptr,
                         std::string* msg = nullptr) {
    char err[512] = "(unset)";
    EddyFftPlan* p = reinterpret_cast<EddyFftPlan*>(0x1); // must be reset to NULL on failure
    double t0 = now_ms();
    int rc = eddy_fft_plan_create((uint64_t)(uintptr_t)vk.phys, (uint64_t)(uintptr_t)vk.device,
                                  (uint64_t)(uintptr_t)vk.queue, (uint64_t)vk.pool, (uint64_t)vk.planFence, c.nx,
                                  c.ny, c.batch, c.dp, 0u, (uint64_t)b.buf, b.size, cache, &p, err, sizeof err);
    if (ms) *ms = now_ms() - t0;
    if (rcOut) *rcOut = rc;
    if (msg) *msg = err;
    if (rc != 0) {
        check(p == nullptr, "failed plan_create must leave *out NULL");
        if (!rcOut) check(false, "plan_create(%s) failed: %d %s", cfg_name(c).c_str(), rc, err);
        return nullptr;
    }
    return p;
}

uint64_t field_reals(const Cfg& c) { return (uint64_t)c.ny * (c.nx / 2 + 1) * 2; }
uint64_t row_reals(const Cfg& c) { return (uint64_t)(c.nx / 2 + 1) * 2; }

template <typename T>
void fill_input(const Cfg& c, T* buf, std::vector<double>& x, uint32_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    x.assign((size_t)c.batch * c.ny * c.nx, 0.0);
    for (uint32_t f = 0; f < c.batch; ++f)
        for (uint32_t y = 0; y < c.ny; ++y) {
            T* row = buf + f * field_reals(c) + y * row_reals(c);
            for (uint32_t xx = 0; xx < c.nx; ++xx) {
                T v = (T)u(rng);
                row[xx] = v;
                x[((size_t)f * c.ny + y) * c.nx + xx] = (double)v; // exactly the value the GPU sees
            }
            for (uint64_t xx = c.nx; xx < row_reals(c); ++xx) row[xx] = (T)777.0; // padding junk
        }
}

// Direct (non-FFT) DFT, separable, double accumulation, exact twiddles via (k*j mod n).
void reference_forward(const Cfg& c, const std::vector<double>& x, std::vector<std::complex<double>>& X) {
    const uint32_t nx = c.nx, ny = c.ny, nh = nx / 2 + 1;
    std::vector<std::complex<double>> twx(nx), twy(ny);
    for (uint32_t m = 0; m < nx; ++m) twx[m] = std::polar(1.0, -2.0 * M_PI * m / nx);
    for (uint32_t m = 0; m < ny; ++m) twy[m] = std::polar(1.0, -2.0 * M_PI * m / ny);
    X.assign((size_t)c.batch * ny * nh, 0.0);
    std::vector<std::complex<double>> A((size_t)ny * nh);
    for (uint32_t f = 0; f < c.batch; ++f) {
        const double* xf = x.data() + (size_t)f * ny * nx;
        for (uint32_t y = 0; y < ny; ++y)
            for (uint32_t k = 0; k < nh; ++k) {
                std::complex<double> s = 0.0;
                for (uint32_t j = 0; j < nx; ++j) s += xf[(size_t)y * nx + j] * twx[((uint64_t)k * j) % nx];
                A[(size_t)y * nh + k] = s;
            }
        for (uint32_t ky = 0; ky < ny; ++ky)
            for (uint32_t k = 0; k < nh; ++k) {
                std::complex<double> s = 0.0;
                for (uint32_t y = 0; y < ny; ++y) s += A[(size_t)y * nh + k] * twy[((uint64_t)ky * y) % ny];
                X[((size_t)f * ny + ky) * nh + k] = s;
            }
    }
}

struct Err {
    double l2rel, maxrel;
};

template <typename T>
Err compare_spectrum(const Cfg& c, const T* buf, const std::vector<std::complex<double>>& X) {
    const uint32_t nh = c.nx / 2 + 1;
    double num = 0, den = 0, maxd = 0, maxr = 0;
    for (uint32_t f = 0; f < c.batch; ++f)
        for (uint32_t ky = 0; ky < c.ny; ++ky)
            for (uint32_t k = 0; k < nh; ++k) {
                const T* z = buf + f * field_reals(c) + (uint64_t)ky * row_reals(c) + 2 * k;
                std::complex<double> g((double)z[0], (double)z[1]);
                std::complex<double> r = X[((size_t)f * c.ny + ky) * nh + k];
                double d = std::abs(g - r);
                if (!std::isfinite(d)) d = INFINITY;
                num += d * d;
                den += std::norm(r);
                maxd = std::max(maxd, d);
                maxr = std::max(maxr, std::abs(r));
            }
    return {std::sqrt(num / den), maxd / maxr};
}

template <typename T>
Err compare_roundtrip(const Cfg& c, const T* buf, const std::vector<double>& x) {
    const double N = (double)c.nx * c.ny;
    double num = 0, den = 0, maxd = 0, maxr = 0;
    for (uint32_t f = 0; f < c.batch; ++f)
        for (uint32_t y = 0; y < c.ny; ++y)
            for (uint32_t xx = 0; xx < c.nx; ++xx) {
                double g = (double)buf[f * field_reals(c) + y * row_reals(c) + xx];
                double r = N * x[((size_t)f * c.ny + y) * c.nx + xx];
                double d = std::fabs(g - r);
                if (!std::isfinite(d)) d = INFINITY;
                num += d * d;
                den += r * r;
                maxd = std::max(maxd, d);
                maxr = std::max(maxr, std::fabs(r));
            }
    return {std::sqrt(num / den), maxd / maxr};
}

std::string g_cacheDir;

std::string cache_path(const Cfg& c) {
    char s[128];
    std::snprintf(s, sizeof s, "/vkfft_%ux%u_b%u_%s.bin", c.nx, c.ny, c.batch, c.dp ? "f64" : "f32");
    return g_cacheDir + s;
}

bool file_exists(const std::string& p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0;
}

std::vector<char> read_file(const std::string& p) {
    std::vector<char> d;
    FILE* f = std::fopen(p.c_str(), "rb");
    if (!f) return d;
    char tmp[65536];
    size_t n;
    while ((n = std::fread(tmp, 1, sizeof tmp, f)) > 0) d.insert(d.end(), tmp, tmp + n);
    std::fclose(f);
    return d;
}

void write_file(const std::string& p, const std::vector<char>& d) {
    FILE* f = std::fopen(p.c_str(), "wb");
    if (!f) {
        std::fprintf(stderr, "cannot write %s\n", p.c_str());
        std::exit(2);
    }
    if (!d.empty()) std::fwrite(d.data(), 1, d.size(), f);
    std::fclose(f);
}

struct Timing {
    std::string name;
    double noCache, compileSave, load;
};
std::vector<Timing> g_timings;

// ---- the per-configuration test -------------------------------------------------------------
template <typename T>
void test_config(const Vk& vk, const Cfg& c) {
    const double tol = c.dp ? 1e-12 : 1e-5;
    const uint64_t bytes = eddy_fft_required_buffer_size(c.nx, c.ny, c.batch, c.dp);
    check(bytes == field_reals(c) * c.batch * sizeof(T), "required_buffer_size");
    Buffer b = make_buffer(vk, bytes);
    T* data = static_cast<T*>(b.map);
    const std::string cp = cache_path(c);
    ::unlink(cp.c_str());

    Timing tm{cfg_name(c), 0, 0, 0};
    EddyFftPlan* p0 = create_plan(vk, c, b, nullptr, &tm.noCache);
    EddyFftPlan* p1 = create_plan(vk, c, b, cp.c_str(), &tm.compileSave);
    EddyFftPlan* p2 = create_plan(vk, c, b, cp.c_str(), &tm.load);
    g_timings.push_back(tm);
    if (!p0 || !p1 || !p2) {
        eddy_fft_plan_destroy(p0);
        eddy_fft_plan_destroy(p1);
        eddy_fft_plan_destroy(p2);
        destroy_buffer(vk, b);
        return;
    }
    check(eddy_fft_plan_loaded_from_cache(p0) == 0, "no-cache plan must report compiled");
    check(eddy_fft_plan_loaded_from_cache(p1) == 0, "first cached plan must report compiled");
    check(file_exists(cp), "cache file %s must exist after first plan", cp.c_str());
    check(eddy_fft_plan_loaded_from_cache(p2) == 1, "second cached plan must report loaded_from_cache");

    std::vector<double> x;
    std::vector<std::complex<double>> X;
    fill_input(c, data, x, 1234u + c.nx * 7u + c.ny * 13u + c.batch);
    reference_forward(c, x, X);
    std::vector<T> input(data, data + bytes / sizeof(T));

    // forward alone (compiled plan)
    check(run(vk, {{p0, -1}}), "append forward");
    Err ef = compare_spectrum(c, data, X);
    std::vector<T> fwd0(data, data + bytes / sizeof(T));
    // inverse alone (separate submit)
    check(run(vk, {{p0, +1}}), "append inverse");
    Err er = compare_roundtrip(c, data, x);
    std::vector<T> inv0(data, data + bytes / sizeof(T));
    // forward + inverse recorded into one command buffer
    std::memcpy(data, input.data(), bytes);
    check(run(vk, {{p0, -1}, {p0, +1}}), "append forward+inverse");
    Err ec = compare_roundtrip(c, data, x);
    // loaded-from-cache plan: bit-identical to the compiled one
    std::memcpy(data, input.data(), bytes);
    check(run(vk, {{p2, -1}}), "append forward (cached plan)");
    bool sameF = std::memcmp(data, fwd0.data(), bytes) == 0;
    check(run(vk, {{p2, +1}}), "append inverse (cached plan)");
    bool sameI = std::memcmp(data, inv0.data(), bytes) == 0;

    std::printf("  %-24s fwd-vs-DFT L2 %.2e max %.2e | inv(fwd) sep L2 %.2e max %.2e | one-cb L2 %.2e | cache identical %s\n",
                tm.name.c_str(), ef.l2rel, ef.maxrel, er.l2rel, er.maxrel, ec.l2rel,
                (sameF && sameI) ? "yes" : "NO");
    check(ef.l2rel < tol && ef.maxrel < tol, "%s forward vs DFT error %.3e/%.3e >= %.0e", tm.name.c_str(), ef.l2rel,
          ef.maxrel, tol);
    check(er.l2rel < tol && er.maxrel < tol, "%s roundtrip error %.3e/%.3e >= %.0e", tm.name.c_str(), er.l2rel,
          er.maxrel, tol);
    check(ec.l2rel < tol && ec.maxrel < tol, "%s one-command-buffer roundtrip error %.3e/%.3e >= %.0e",
          tm.name.c_str(), ec.l2rel, ec.maxrel, tol);
    check(sameF && sameI, "%s cached plan results differ from compiled plan", tm.name.c_str());

    eddy_fft_plan_destroy(p0);
    eddy_fft_plan_destroy(p1);
    eddy_fft_plan_destroy(p2);
    destroy_buffer(vk, b);
}

// ---- cache robustness -------------------------------------------------------------------------
template <typename T>
void test_cache_robustness(const Vk& vk, const Cfg& c, const Cfg& other) {
    const uint64_t bytes = eddy_fft_required_buffer_size(c.nx, c.ny, c.batch, c.dp);
    Buffer b = make_buffer(vk, bytes);
    T* data = static_cast<T*>(b.map);
    const std::string cp = cache_path(c);
    ::unlink(cp.c_str());

    std::vector<double> x;
    fill_input(c, data, x, 99u);
    std::vector<T> input(data, data + bytes / sizeof(T));
    double ms;
    EddyFftPlan* ref = create_plan(vk, c, b, cp.c_str(), &ms);
    if (!ref) {
        destroy_buffer(vk, b);
        return;
    }
    run(vk, {{ref, -1}});
    std::vector<T> refOut(data, data + bytes / sizeof(T));
    eddy_fft_plan_destroy(ref);
    const std::vector<char> good = read_file(cp);
    check(good.size() > 128, "cache file has content (%zu bytes)", good.size());

    auto attempt = [&](const char* what, const std::vector<char>& content, bool expectLoaded) {
        write_file(cp, content);
        double t;
        EddyFftPlan* p = create_plan(vk, c, b, cp.c_str(), &t);
        if (!p) return;
        int loaded = eddy_fft_plan_loaded_from_cache(p);
        std::memcpy(data, input.data(), bytes);
        run(vk, {{p, -1}});
        bool same = std::memcmp(data, refOut.data(), bytes) == 0;
        eddy_fft_plan_destroy(p);
        // after a fallback the file must have been rewritten with a valid cache
        bool rewritten = read_file(cp) == good;
        std::printf("  %-44s -> loaded_from_cache=%d, results identical=%s, cache valid afterwards=%s (%.1f ms)\n",
                    what, loaded, same ? "yes" : "NO", rewritten ? "yes" : "NO", t);
        check(loaded == (expectLoaded ? 1 : 0), "%s: loaded_from_cache=%d", what, loaded);
        check(same, "%s: results differ", what);
        check(rewritten, "%s: cache file not valid afterwards", what);
    };

    attempt("intact cache", good, true);
    {
        std::vector<char> d = good;
        for (size_t i = d.size() / 2; i < d.size() / 2 + 16 && i < d.size(); ++i) d[i] = (char)(d[i] ^ 0x5A);
        attempt("16 bytes flipped in the payload", d, false);
    }
    {
        std::vector<char> d = good;
        d[d.size() - 1] = (char)(d[d.size() - 1] ^ 0x01);
        attempt("last byte flipped", d, false);
    }
    {
        std::vector<char> d = good;
        d[16] = (char)(d[16] ^ 0x01); // inside the header (key fields)
        attempt("header byte flipped", d, false);
    }
    {
        std::vector<char> d = good;
        const uint32_t v2 = 2; // the format before the plan kind joined the key
        std::memcpy(d.data() + 8, &v2, sizeof v2);
        attempt("format version 2 (before plan kinds)", d, false);
    }
    attempt("truncated to half", std::vector<char>(good.begin(), good.begin() + good.size() / 2), false);
    attempt("truncated by 4 bytes", std::vector<char>(good.begin(), good.end() - 4), false);
    attempt("truncated to 10 bytes", std::vector<char>(good.begin(), good.begin() + 10), false);
    attempt("empty file", std::vector<char>(), false);
    {
        std::vector<char> d(good.size());
        std::mt19937 rng(7);
        for (char& ch : d) ch = (char)(rng() & 0xFF);
        attempt("random garbage of the same size", d, false);
    }
    {
        std::vector<char> d = good;
        d.insert(d.end(), 64, '\0');
        attempt("64 extra bytes appended", d, false);
    }
    {
        // a valid cache of another configuration under this name
        Buffer bo = make_buffer(vk, eddy_fft_required_buffer_size(other.nx, other.ny, other.batch, other.dp));
        const std::string op = cache_path(other) + ".foreign";
        ::unlink(op.c_str());
        EddyFftPlan* po = create_plan(vk, other, bo, op.c_str(), &ms);
        eddy_fft_plan_destroy(po);
        destroy_buffer(vk, bo);
        std::vector<char> foreign = read_file(op);
        ::unlink(op.c_str());
        std::string what = "valid cache of " + cfg_name(other);
        attempt(what.c_str(), foreign, false);
    }
    // unwritable location: plan works, nothing saved, no crash
    {
        double t;
        EddyFftPlan* p = create_plan(vk, c, b, "/nonexistent-dir/eddy/cache.bin", &t);
        check(p != nullptr, "plan with unwritable cache path must still be created");
        if (p) {
            check(eddy_fft_plan_loaded_from_cache(p) == 0, "unwritable cache: compiled");
            std::memcpy(data, input.data(), bytes);
            run(vk, {{p, -1}});
            check(std::memcmp(data, refOut.data(), bytes) == 0, "unwritable cache: results differ");
            std::printf("  %-44s -> plan created, loaded_from_cache=%d\n", "unwritable cache path",
                        eddy_fft_plan_loaded_from_cache(p));
            eddy_fft_plan_destroy(p);
        }
    }
    // no temp files left behind
    {
        std::string cmd = "ls " + g_cacheDir + " | grep -c '\\.tmp\\.' > /dev/null";
        check(std::system(cmd.c_str()) != 0, "temporary cache files left in %s", g_cacheDir.c_str());
    }
    destroy_buffer(vk, b);
}

void test_invalid_arguments(const Vk& vk) {
    Buffer b = make_buffer(vk, 1 << 16);
    struct Bad {
        Cfg c;
        uint64_t size;
        const char* what;
    } bad[] = {
        {{63, 64, 1, 0}, b.size, "odd nx"},
        {{1, 64, 1, 0}, b.size, "nx < 2"},
        {{0, 64, 1, 0}, b.size, "nx = 0"},
        {{64, 1, 1, 0}, b.size, "ny < 2"},
        {{64, 64, 0, 0}, b.size, "batch = 0"},
        {{64, 64, 1, 2}, b.size, "doublePrecision = 2"},
        {{64, 64, 1, 0}, 1000, "buffer too small"},
    };
    for (const Bad& t : bad) {
        Buffer bb = b;
        bb.size = t.size;
        int rc = 0;
        std::string msg;
        EddyFftPlan* p = create_plan(vk, t.c, bb, nullptr, nullptr, &rc, &msg);
        std::printf("  %-20s -> rc=%d \"%s\"\n", t.what, rc, msg.c_str());
        check(rc != 0 && p == nullptr && !msg.empty(), "%s must be rejected with a message", t.what);
        eddy_fft_plan_destroy(p);
    }
    // bad direction in append; NULL err buffer tolerated
    Cfg c{64, 64, 1, 0};
    double ms;
    EddyFftPlan* p = create_plan(vk, c, b, nullptr, &ms);
    if (p) {
        char err[256];
        int rc = eddy_fft_append(p, 0x1234, 0, err, sizeof err);
        std::printf("  %-20s -> rc=%d \"%s\"\n", "direction = 0", rc, err);
        check(rc != 0 && err[0] != '\0', "direction 0 must be rejected");
        rc = eddy_fft_append(p, 0, -1, nullptr, 0);
        check(rc != 0, "NULL command buffer must be rejected");
        eddy_fft_plan_destroy(p);
    }
    eddy_fft_plan_destroy(nullptr);
    check(eddy_fft_plan_loaded_from_cache(nullptr) == 0, "loaded_from_cache(NULL)");
    destroy_buffer(vk, b);
}

// ---- column plans (C2C along y only) ----------------------------------------------------------
struct ColCfg {
    uint32_t width, ny, batch;
    int dp;
};

EddyFftPlan* create_columns(const Vk& vk, const ColCfg& c, VkBuffer buf, uint64_t size, const char* cache,
                            int* rcOut = nullptr, std::string* msg = nullptr) {
    char err[512] = "(unset)";
    EddyFftPlan* p = reinterpret_cast<EddyFftPlan*>(0x1); // must be reset to NULL on failure
    int rc = eddy_fft_plan_create_columns((uint64_t)(uintptr_t)vk.phys, (uint64_t)(uintptr_t)vk.device,
                                          (uint64_t)(uintptr_t)vk.queue, (uint64_t)vk.pool, (uint64_t)vk.planFence,
                                          c.width, c.ny, c.batch, c.dp, (uint64_t)buf, size, cache, &p, err, sizeof err);
    if (rcOut) *rcOut = rc;
    if (msg) *msg = err;
    if (rc != 0) {
        check(p == nullptr, "failed plan_create_columns must leave *out NULL");
        if (!rcOut) check(false, "plan_create_columns(%u cols x %u, batch %u) failed: %d %s", c.width, c.ny, c.batch, rc, err);
        return nullptr;
    }
    return p;
}

// Forward against a direct DFT along y per column, inverse(forward) == ny*z, and the kernels from the cache
// (which a 2D plan's cache under the same name must not satisfy).
template <typename T>
void test_columns(const Vk& vk, const ColCfg& c) {
    const double tol = c.dp ? 1e-12 : 1e-5;
    const uint64_t n = (uint64_t)c.batch * c.ny * c.width; // complex values
    Buffer b = make_buffer(vk, n * 2 * sizeof(T));
    T* data = static_cast<T*>(b.map);
    std::mt19937_64 rng(4321u + c.width * 7u + c.ny);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<std::complex<double>> z(n);
    for (uint64_t i = 0; i < n; ++i) {
        data[2 * i] = (T)u(rng);
        data[2 * i + 1] = (T)u(rng);
        z[i] = {(double)data[2 * i], (double)data[2 * i + 1]};
    }
    std::vector<T> input(data, data + 2 * n);
    char name[96];
    std::snprintf(name, sizeof name, "%u cols x %u batch %u %s", c.width, c.ny, c.batch, c.dp ? "double" : "float");

    // a valid 2D-plan cache under the column plan's name: the key (kind, width) must refuse it
    const std::string cp = g_cacheDir + "/columns_" + std::to_string(c.width) + "x" + std::to_string(c.ny) + ".bin";
    ::unlink(cp.c_str());
    if (c.width % 2 == 0 && c.width >= 2) {
        Cfg twoD{c.width, c.ny, 1, c.dp};
        Buffer b2 = make_buffer(vk, eddy_fft_required_buffer_size(twoD.nx, twoD.ny, 1, twoD.dp));
        double ms;
        eddy_fft_plan_destroy(create_plan(vk, twoD, b2, cp.c_str(), &ms));
        destroy_buffer(vk, b2);
    }
    EddyFftPlan* p1 = create_columns(vk, c, b.buf, b.size, cp.c_str());
    EddyFftPlan* p2 = create_columns(vk, c, b.buf, b.size, cp.c_str());
    if (!p1 || !p2) {
        eddy_fft_plan_destroy(p1);
        eddy_fft_plan_destroy(p2);
        destroy_buffer(vk, b);
        return;
    }
    check(eddy_fft_plan_loaded_from_cache(p1) == 0, "%s: first column plan must compile", name);
    check(eddy_fft_plan_loaded_from_cache(p2) == 1, "%s: second column plan must load from cache", name);

    std::vector<std::complex<double>> tw(c.ny);
    for (uint32_t m = 0; m < c.ny; ++m) tw[m] = std::polar(1.0, -2.0 * M_PI * m / c.ny);
    check(run(vk, {{p1, -1}}), "append columns forward");
    double num = 0, den = 0;
    for (uint32_t a = 0; a < c.batch; ++a)
        for (uint32_t k = 0; k < c.ny; ++k)
            for (uint32_t x = 0; x < c.width; ++x) {
                std::complex<double> s = 0.0;
                for (uint32_t y = 0; y < c.ny; ++y)
                    s += z[((uint64_t)a * c.ny + y) * c.width + x] * tw[((uint64_t)k * y) % c.ny];
                const uint64_t i = ((uint64_t)a * c.ny + k) * c.width + x;
                num += std::norm(std::complex<double>((double)data[2 * i], (double)data[2 * i + 1]) - s);
                den += std::norm(s);
            }
    const double ef = std::sqrt(num / den);
    std::vector<T> fwd1(data, data + 2 * n);
    check(run(vk, {{p1, +1}}), "append columns inverse");
    num = den = 0;
    for (uint64_t i = 0; i < n; ++i) {
        num += std::norm(std::complex<double>((double)data[2 * i], (double)data[2 * i + 1]) - (double)c.ny * z[i]);
        den += std::norm((double)c.ny * z[i]);
    }
    const double er = std::sqrt(num / den);
    std::memcpy(data, input.data(), 2 * n * sizeof(T));
    check(run(vk, {{p2, -1}}), "append columns forward (cached plan)");
    const bool same = std::memcmp(data, fwd1.data(), 2 * n * sizeof(T)) == 0;
    std::printf("  %-28s fwd-vs-DFT L2 %.2e | inv(fwd) L2 %.2e | cache identical %s\n", name, ef, er, same ? "yes" : "NO");
    check(ef < tol, "%s forward vs DFT error %.3e >= %.0e", name, ef, tol);
    check(er < tol, "%s roundtrip error %.3e >= %.0e", name, er, tol);
    check(same, "%s cached column plan results differ", name);
    eddy_fft_plan_destroy(p1);
    eddy_fft_plan_destroy(p2);

    destroy_buffer(vk, b);
}

void test_columns_invalid_arguments(const Vk& vk) {
    const ColCfg c{5, 48, 1, 0};
    Buffer b = make_buffer(vk, (uint64_t)c.width * c.ny * 2 * sizeof(float));
    struct Bad {
        ColCfg c;
        const char* what;
    } bad[] = {
        {{0, c.ny, 1, 0}, "width = 0"},
        {{c.width, 1, 1, 0}, "ny = 1"},
        {{c.width, c.ny, 0, 0}, "batch = 0"},
        {{c.width, c.ny, 1, 2}, "doublePrecision = 2"},
        {{c.width, c.ny, 2, 0}, "buffer too small"},
        {{c.width, 17, 1, 0}, "ny = 17 (prime)"},
        {{1, 34, 1, 0}, "ny = 2*17, width 1"},
    };
    for (const Bad& t : bad) {
        int rc = 0;
        std::string msg;
        EddyFftPlan* p = create_columns(vk, t.c, b.buf, b.size, nullptr, &rc, &msg);
        std::printf("  %-20s -> rc=%d \"%s\"\n", t.what, rc, msg.c_str());
        check(rc != 0 && p == nullptr && !msg.empty(), "columns %s must be rejected with a message", t.what);
        eddy_fft_plan_destroy(p);
    }
    destroy_buffer(vk, b);
}

} // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const std::string work = argc > 1 ? argv[1] : ".";
    g_cacheDir = work + "/selftest_cache";
    ::mkdir(g_cacheDir.c_str(), 0755);

    Vk vk = init_vulkan();
    std::printf("eddy_vkfft self-test: VkFFT %d, device \"%s\" (vendor %#x, driver %#x, API %u.%u.%u), float64 %s\n",
                eddy_fft_version(), vk.props.deviceName, vk.props.vendorID, vk.props.driverVersion,
                VK_API_VERSION_MAJOR(vk.props.apiVersion), VK_API_VERSION_MINOR(vk.props.apiVersion),
                VK_API_VERSION_PATCH(vk.props.apiVersion), vk.float64 ? "yes" : "NO (double tests skipped)");
    check(eddy_fft_version() == 10226, "eddy_fft_version() == 10226 (got %d)", eddy_fft_version());

    std::printf("[1] invalid arguments\n");
    test_invalid_arguments(vk);

    std::printf("[2] accuracy (rel. errors: L2 and max-abs/max-ref; tol float 1e-5, double 1e-12)\n");
    const uint32_t sizes[][2] = {{64, 64}, {96, 96}, {128, 64}, {120, 96}};
    for (int dp = 0; dp <= 1; ++dp) {
        if (dp && !vk.float64) continue;
        for (auto& s : sizes)
            for (uint32_t batch : {1u, 3u}) {
                Cfg c{s[0], s[1], batch, dp};
                if (dp) test_config<double>(vk, c);
                else test_config<float>(vk, c);
            }
    }

    std::printf("[3] cache robustness\n");
    test_cache_robustness<float>(vk, Cfg{96, 96, 3, 0}, Cfg{128, 64, 3, 0});
    if (vk.float64) test_cache_robustness<double>(vk, Cfg{128, 64, 1, 1}, Cfg{128, 64, 1, 0});

    std::printf("[4] column plans (C2C along y only; tol float 1e-5, double 1e-12)\n");
    test_columns_invalid_arguments(vk);
    const ColCfg cols[] = {{5, 48, 1, 0}, {86, 64, 3, 0}, {1, 96, 2, 0}, {2049, 16, 1, 0}, {11, 256, 1, 0}};
    for (int dp = 0; dp <= 1; ++dp) {
        if (dp && !vk.float64) continue;
        for (ColCfg c : cols) {
            c.dp = dp;
            if (dp) test_columns<double>(vk, c);
            else test_columns<float>(vk, c);
        }
    }

    std::printf("[5] plan creation times (ms): no cache | with cache, compile+save | with cache, load\n");
    for (const Timing& t : g_timings)
        std::printf("  %-24s %9.1f | %9.1f | %9.1f\n", t.name.c_str(), t.noCache, t.compileSave, t.load);

    destroy_vulkan(vk);
    std::printf("%s: %d checks, %d failures\n", g_failures ? "FAILED" : "PASSED", g_checks, g_failures);
    return g_failures ? 1 : 0;
}
