package dev.eddy.gpu;

import static dev.eddy.gpu.VkCheck.check;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import dev.eddy.numerics.Precision;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.util.Locale;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkComputePipelineCreateInfo;
import org.lwjgl.vulkan.VkDescriptorBufferInfo;
import org.lwjgl.vulkan.VkDescriptorPoolCreateInfo;
import org.lwjgl.vulkan.VkDescriptorPoolSize;
import org.lwjgl.vulkan.VkDescriptorSetAllocateInfo;
import org.lwjgl.vulkan.VkDescriptorSetLayoutBinding;
import org.lwjgl.vulkan.VkDescriptorSetLayoutCreateInfo;
import org.lwjgl.vulkan.VkPipelineLayoutCreateInfo;
import org.lwjgl.vulkan.VkPushConstantRange;
import org.lwjgl.vulkan.VkShaderModuleCreateInfo;
import org.lwjgl.vulkan.VkSpecializationInfo;
import org.lwjgl.vulkan.VkSpecializationMapEntry;
import org.lwjgl.vulkan.VkWriteDescriptorSet;

/**
 * One compute shader as a pipeline: SPIR-V {@code /shaders/<name>_<f32|f64>.spv} from the jar (built
 * from {@code src/main/glsl/<name>.comp} with REAL = float / double), a descriptor-set layout of
 * {@code storageBuffers} storage buffers at bindings 0.., and {@code pushConstantBytes} of push
 * constants. A new LES kernel is a .comp file, a Java twin, and one of these; it needs no new
 * Vulkan code. {@link #bind} makes a descriptor set for a choice of buffers; recording a dispatch
 * binds pipeline, set and push constants every time (so it is correct right after a VkFFT append).
 */
public final class ComputeKernel implements AutoCloseable {
    /** A descriptor set of this kernel bound to particular buffers. */
    public record Binding(ComputeKernel kernel, long descriptorSet, String buffers) {
    }

    private static final int MAX_SETS = 32;

    private final VulkanContext ctx;
    private final String name;
    private final Precision precision;
    private final int storageBuffers;
    private final int pushConstantBytes;
    private final long setLayout;
    private final long pipelineLayout;
    private final long pipeline;
    private final long descriptorPool;

    public ComputeKernel(VulkanContext ctx, String name, Precision precision, int storageBuffers, int pushConstantBytes) {
        this(ctx, name, precision, storageBuffers, pushConstantBytes, new int[0]);
    }

    /**
     * A kernel whose shader takes 32-bit specialisation constants: {@code specialization[i]} is constant_id i
     * (sizes the shader's arrays and loops are compiled for, its workgroup size through local_size_x_id).
     */
    public ComputeKernel(VulkanContext ctx, String name, Precision precision, int storageBuffers, int pushConstantBytes,
                         int... specialization) {
        ctx.requirePrecision(precision);
        this.ctx = ctx;
        this.name = name;
        this.precision = precision;
        this.storageBuffers = storageBuffers;
        this.pushConstantBytes = pushConstantBytes;
        String resource = spirvResource(name, precision);
        ByteBuffer code = loadSpirv(resource);
        try (MemoryStack stack = stackPush()) {
            LongBuffer p = stack.mallocLong(1);
            check(vkCreateShaderModule(ctx.device(), VkShaderModuleCreateInfo.calloc(stack).sType$Default().pCode(code), null, p),
                    "vkCreateShaderModule(" + resource + ")");
            long module = p.get(0);
            try {
                VkDescriptorSetLayoutBinding.Buffer bindings = VkDescriptorSetLayoutBinding.calloc(storageBuffers, stack);
                for (int i = 0; i < storageBuffers; i++) {
                    bindings.get(i).binding(i).descriptorType(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).descriptorCount(1)
                            .stageFlags(VK_SHADER_STAGE_COMPUTE_BIT);
                }
                check(vkCreateDescriptorSetLayout(ctx.device(), VkDescriptorSetLayoutCreateInfo.calloc(stack).sType$Default()
                        .pBindings(bindings), null, p), "vkCreateDescriptorSetLayout(" + name + ")");
                setLayout = p.get(0);
                VkPipelineLayoutCreateInfo plci = VkPipelineLayoutCreateInfo.calloc(stack).sType$Default()
                        .pSetLayouts(stack.longs(setLayout));
                if (pushConstantBytes > 0) {
                    plci.pPushConstantRanges(VkPushConstantRange.calloc(1, stack).stageFlags(VK_SHADER_STAGE_COMPUTE_BIT)
                            .offset(0).size(pushConstantBytes));
                }
                check(vkCreatePipelineLayout(ctx.device(), plci, null, p), "vkCreatePipelineLayout(" + name + ")");
                pipelineLayout = p.get(0);
                VkComputePipelineCreateInfo.Buffer cpci = VkComputePipelineCreateInfo.calloc(1, stack).sType$Default()
                        .layout(pipelineLayout);
                cpci.stage().sType$Default().stage(VK_SHADER_STAGE_COMPUTE_BIT).module(module).pName(stack.UTF8("main"));
                if (specialization.length > 0) {
                    VkSpecializationMapEntry.Buffer entries = VkSpecializationMapEntry.calloc(specialization.length, stack);
                    for (int i = 0; i < specialization.length; i++) {
                        entries.get(i).constantID(i).offset(4 * i).size(4);
                    }
                    cpci.stage().pSpecializationInfo(VkSpecializationInfo.calloc(stack).pMapEntries(entries)
                            .pData(specializationData(stack, specialization)));
                }
                check(vkCreateComputePipelines(ctx.device(), VK_NULL_HANDLE, cpci, null, p), "vkCreateComputePipelines(" + name + ")");
                pipeline = p.get(0);
                VkDescriptorPoolSize.Buffer sizes = VkDescriptorPoolSize.calloc(1, stack)
                        .type(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).descriptorCount(MAX_SETS * Math.max(1, storageBuffers));
                check(vkCreateDescriptorPool(ctx.device(), VkDescriptorPoolCreateInfo.calloc(stack).sType$Default()
                        .maxSets(MAX_SETS).pPoolSizes(sizes), null, p), "vkCreateDescriptorPool(" + name + ")");
                descriptorPool = p.get(0);
            } finally {
                vkDestroyShaderModule(ctx.device(), module, null);
                MemoryUtil.memFree(code);
            }
        }
    }

    private static ByteBuffer specializationData(MemoryStack stack, int[] values) {
        ByteBuffer b = stack.malloc(4 * values.length);
        for (int v : values) {
            b.putInt(v);
        }
        return b.flip();
    }

    public static String spirvResource(String name, Precision p) {
        return "/shaders/" + name + "_" + (p == Precision.FP64 ? "f64" : "f32") + ".spv";
    }

    private static ByteBuffer loadSpirv(String resource) {
        try (InputStream in = ComputeKernel.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new GpuException("SPIR-V " + resource + " is not in the jar (were the shaders compiled? mvn package)");
            }
            byte[] bytes = in.readAllBytes();
            ByteBuffer b = MemoryUtil.memAlloc(bytes.length);
            b.put(bytes).flip();
            return b;
        } catch (IOException e) {
            throw new GpuException("reading " + resource + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public Precision precision() {
        return precision;
    }

    public int pushConstantBytes() {
        return pushConstantBytes;
    }

    /** A descriptor set with {@code buffers} at bindings 0, 1, … (their whole ranges). */
    public Binding bind(DeviceBuffer... buffers) {
        if (buffers.length != storageBuffers) {
            throw new IllegalArgumentException("kernel '" + name + "' takes " + storageBuffers + " buffers, got " + buffers.length);
        }
        try (MemoryStack stack = stackPush()) {
            LongBuffer p = stack.mallocLong(1);
            check(vkAllocateDescriptorSets(ctx.device(), VkDescriptorSetAllocateInfo.calloc(stack).sType$Default()
                    .descriptorPool(descriptorPool).pSetLayouts(stack.longs(setLayout)), p),
                    "vkAllocateDescriptorSets(" + name + ", at most " + MAX_SETS + " bindings per kernel)");
            long set = p.get(0);
            VkWriteDescriptorSet.Buffer writes = VkWriteDescriptorSet.calloc(buffers.length, stack);
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < buffers.length; i++) {
                VkDescriptorBufferInfo.Buffer bi = VkDescriptorBufferInfo.calloc(1, stack).buffer(buffers[i].handle())
                        .offset(0).range(VK_WHOLE_SIZE);
                writes.get(i).sType$Default().dstSet(set).dstBinding(i).descriptorCount(1)
                        .descriptorType(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).pBufferInfo(bi);
                names.append(i == 0 ? "" : ",").append(buffers[i].name());
            }
            vkUpdateDescriptorSets(ctx.device(), writes, null);
            return new Binding(this, set, names.toString());
        }
    }

    /** Records pipeline + descriptor set + push constants + dispatch (record only). */
    void record(VkCommandBuffer cmd, Binding b, ByteBuffer push, int gx, int gy, int gz) {
        vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
        try (MemoryStack stack = stackPush()) {
            vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipelineLayout, 0, stack.longs(b.descriptorSet()), null);
        }
        if (pushConstantBytes > 0) {
            if (push == null || push.remaining() != pushConstantBytes) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "kernel '%s' needs %d bytes of push constants, got %s",
                        name, pushConstantBytes, push == null ? "none" : push.remaining()));
            }
            vkCmdPushConstants(cmd, pipelineLayout, VK_SHADER_STAGE_COMPUTE_BIT, 0, push);
        }
        vkCmdDispatch(cmd, gx, gy, gz);
    }

    @Override
    public void close() {
        if (ctx.abandoned()) {
            return; // the GPU may still be using it (VulkanContext#drain)
        }
        vkDestroyDescriptorPool(ctx.device(), descriptorPool, null);
        vkDestroyPipeline(ctx.device(), pipeline, null);
        vkDestroyPipelineLayout(ctx.device(), pipelineLayout, null);
        vkDestroyDescriptorSetLayout(ctx.device(), setLayout, null);
    }
}
