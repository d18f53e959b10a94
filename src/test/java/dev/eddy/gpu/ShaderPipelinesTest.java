package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.numerics.Precision;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shader source becomes a compute pipeline on the device, in both precisions: catches a shader the
 * build did not compile, and SPIR-V the driver rejects, before a kernel's parity test would. Uses a
 * generous layout (8 storage buffers, 128 bytes of push constants: the Vulkan minimum
 * maxPushConstantsSize), which is valid for any shader that uses fewer.
 */
@Tag("gpu-parity")
class ShaderPipelinesTest extends GpuContextTest {
    /** SPIR-V's magic number, the first word of every module (SPIR-V specification §3.1). */
    static final int SPIRV_MAGIC = 0x07230203;

    static Stream<Arguments> shaders() {
        return ShaderSources.names().stream().flatMap(name -> Arrays.stream(Precision.values()).map(p -> Arguments.of(name, p)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("shaders")
    void isCompiledAndMakesAPipeline(String name, Precision p) throws IOException {
        GpuTests.needs(ctx, p);
        String resource = ComputeKernel.spirvResource(name, p);
        byte[] spirv;
        try (InputStream in = ComputeKernel.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is missing: src/main/glsl has " + name + ".comp, but the build did not compile it");
            spirv = in.readAllBytes();
        }
        assertTrue(spirv.length >= 20 && spirv.length % 4 == 0, resource + " is " + spirv.length + " bytes: not a SPIR-V module");
        assertEquals(SPIRV_MAGIC, ByteBuffer.wrap(spirv).order(ByteOrder.LITTLE_ENDIAN).getInt(0), resource + ": not SPIR-V");
        assertDoesNotThrow(() -> new ComputeKernel(ctx, name, p, 8, 128).close(), resource + " makes no pipeline on " + ctx.info().name());
    }
}
