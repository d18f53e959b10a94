package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.numerics.Precision;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every shader the build compiled becomes a compute pipeline on the device, in both precisions:
 * catches SPIR-V the driver rejects before a kernel's parity test would. Uses a generous layout
 * (8 storage buffers, 128 bytes of push constants: the Vulkan minimum maxPushConstantsSize), which
 * is valid for any shader that uses fewer.
 */
class ShaderPipelinesTest extends GpuContextTest {
    @Test
    void everyCompiledShaderMakesAPipeline() throws IOException, URISyntaxException {
        Path dir = Path.of(ComputeKernel.class.getResource("/shaders").toURI());
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("_f32.spv"))
                    .map(n -> n.substring(0, n.length() - "_f32.spv".length())).sorted().toList();
        }
        assertTrue(names.contains("scale"), names.toString());
        for (String name : names) {
            for (Precision p : Precision.values()) {
                Assumptions.assumeTrue(ctx.supports(p), "device has no float64");
                try (ComputeKernel k = new ComputeKernel(ctx, name, p, 8, 128)) {
                    assertEquals(name, k.name());
                }
            }
        }
    }
}
