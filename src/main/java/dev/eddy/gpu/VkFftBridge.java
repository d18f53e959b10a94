package dev.eddy.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/** FFM down-calls into libeddy_vkfft.so (native/include/eddy_vkfft.h), loaded once per JVM. */
final class VkFftBridge {
    static final int ERR_LEN = 1024;

    final MethodHandle planCreate;
    final MethodHandle planCreateColumns;
    final MethodHandle append;
    final MethodHandle loadedFromCache;
    final MethodHandle destroy;
    final MethodHandle version;
    final MethodHandle requiredBufferSize;

    private static VkFftBridge instance;

    private VkFftBridge(SymbolLookup lib) {
        Linker linker = Linker.nativeLinker();
        planCreate = linker.downcallHandle(find(lib, "eddy_fft_plan_create"), FunctionDescriptor.of(JAVA_INT,
                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
        planCreateColumns = linker.downcallHandle(find(lib, "eddy_fft_plan_create_columns"), FunctionDescriptor.of(JAVA_INT,
                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
        append = linker.downcallHandle(find(lib, "eddy_fft_append"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
        loadedFromCache = linker.downcallHandle(find(lib, "eddy_fft_plan_loaded_from_cache"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        destroy = linker.downcallHandle(find(lib, "eddy_fft_plan_destroy"), FunctionDescriptor.ofVoid(ADDRESS));
        version = linker.downcallHandle(find(lib, "eddy_fft_version"), FunctionDescriptor.of(JAVA_INT));
        requiredBufferSize = linker.downcallHandle(find(lib, "eddy_fft_required_buffer_size"),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static MemorySegment find(SymbolLookup lib, String symbol) {
        return lib.find(symbol).orElseThrow(() -> new GpuException("libeddy_vkfft.so has no symbol " + symbol
                + " (a stale build? mvn clean package)"));
    }

    static synchronized VkFftBridge get() {
        if (instance == null) {
            VulkanInstance.loadLoader(); // the bridge links libvulkan.so.1: report a missing loader clearly first
            var path = NativeLibraries.locate("eddy_vkfft");
            try {
                instance = new VkFftBridge(SymbolLookup.libraryLookup(path, Arena.global()));
            } catch (IllegalArgumentException e) {
                throw new GpuUnavailableException("cannot load " + path + ": " + e.getMessage(), e);
            }
        }
        return instance;
    }

    /** VkFFT's version, e.g. 10226 for 1.2.26. */
    int vkfftVersion() {
        try {
            return (int) version.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new GpuException("native call failed: " + t, t);
    }
}
