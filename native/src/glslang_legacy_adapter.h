// glslang_legacy_adapter.h -- lets Debian's VkFFT 1.2.26 header work against glslang 12.
//
// Why: vkFFT.h (1.2.26) fills a `glslang_resource_t` POSITIONALLY, in the field order glslang
// had before version 12. glslang 12 inserted nine `max_*_ext` mesh-shader fields between
// `max_mesh_view_count_nv` and `max_dual_source_draw_buffers_ext`. Compiled as is, VkFFT's
// values slide by nine slots: the `limits` struct (non-inductive loops, general indexing, ...)
// ends up zero and every generated kernel fails to parse (VkFFT error 4014,
// "Non-constant-index-expression").
//
// How: this header must be included AFTER <glslang/Include/glslang_c_interface.h> (so the real
// types and prototypes are already declared and its include guard is set) and BEFORE <vkFFT.h>.
// It defines layout-compatible copies of the OLD structs and redirects, by macro, the three
// glslang entry points that take them. The adapter functions translate the old resource into a
// glslang 12 `glslang_resource_t` (starting from glslang_default_resource() so the new fields
// carry glslang's own defaults) and call the real functions. vkFFT.h itself is not modified.
#ifndef EDDY_GLSLANG_LEGACY_ADAPTER_H
#define EDDY_GLSLANG_LEGACY_ADAPTER_H

#ifndef GLSLANG_C_IFACE_H_INCLUDED
#error "include <glslang/Include/glslang_c_interface.h> before glslang_legacy_adapter.h"
#endif
#ifdef VKFFT_H
#error "glslang_legacy_adapter.h must be included before vkFFT.h"
#endif

#include <glslang/Public/resource_limits_c.h>
#include <cstddef>
#include <cstring>

namespace eddy_glslang_adapter {

// Number of leading int fields shared by the old and the new layout:
// max_lights ... max_mesh_view_count_nv.
constexpr std::size_t kCommonInts =
    offsetof(glslang_resource_t, max_mesh_view_count_nv) / sizeof(int) + 1;

// glslang 12 must look exactly like "old layout + nine ints" for the translation below to be right.
static_assert(offsetof(glslang_resource_t, max_mesh_output_vertices_ext) == kCommonInts * sizeof(int),
              "glslang: expected the *_ext mesh fields right after max_mesh_view_count_nv");
static_assert(offsetof(glslang_resource_t, max_dual_source_draw_buffers_ext) ==
                  (kCommonInts + 9) * sizeof(int),
              "glslang: expected nine *_ext mesh fields before max_dual_source_draw_buffers_ext");

// The pre-12 layout that vkFFT.h 1.2.26 initialises positionally. An aggregate with an int array
// first: brace elision lets VkFFT's flat initialiser fill it in order.
struct LegacyResource {
    int common[kCommonInts];              // max_lights .. max_mesh_view_count_nv
    int max_dual_source_draw_buffers_ext; // old position of this field
    glslang_limits_t limits;
};

// glslang_input_t is unchanged between the two versions except for the type of `resource`.
struct LegacyInput {
    glslang_source_t language;
    glslang_stage_t stage;
    glslang_client_t client;
    glslang_target_client_version_t client_version;
    glslang_target_language_t target_language;
    glslang_target_language_version_t target_language_version;
    const char* code;
    int default_version;
    glslang_profile_t default_profile;
    int force_default_version_and_profile;
    int forward_compatible;
    glslang_messages_t messages;
    const LegacyResource* resource;
};
static_assert(sizeof(LegacyInput) == sizeof(glslang_input_t), "glslang_input_t layout changed");
static_assert(offsetof(LegacyInput, resource) == offsetof(glslang_input_t, resource),
              "glslang_input_t layout changed");

// Translated copies live here for the duration of (and after) each call; one per thread.
struct Translated {
    glslang_resource_t resource;
    glslang_input_t input;
};

inline const glslang_input_t* translate(const LegacyInput* in) {
    static thread_local Translated t;
    if (!in) return nullptr;
    const glslang_resource_t* defaults = glslang_default_resource();
    std::memcpy(&t.resource, defaults, sizeof(glslang_resource_t));
    if (in->resource) {
        std::memcpy(&t.resource, in->resource->common, sizeof(in->resource->common));
        t.resource.max_dual_source_draw_buffers_ext = in->resource->max_dual_source_draw_buffers_ext;
        t.resource.limits = in->resource->limits;
    }
    t.input.language = in->language;
    t.input.stage = in->stage;
    t.input.client = in->client;
    t.input.client_version = in->client_version;
    t.input.target_language = in->target_language;
    t.input.target_language_version = in->target_language_version;
    t.input.code = in->code;
    t.input.default_version = in->default_version;
    t.input.default_profile = in->default_profile;
    t.input.force_default_version_and_profile = in->force_default_version_and_profile;
    t.input.forward_compatible = in->forward_compatible;
    t.input.messages = in->messages;
    t.input.resource = &t.resource;
    return &t.input;
}

inline glslang_shader_t* shader_create(const LegacyInput* in) {
    return ::glslang_shader_create(translate(in));
}
inline int shader_preprocess(glslang_shader_t* shader, const LegacyInput* in) {
    return ::glslang_shader_preprocess(shader, translate(in));
}
inline int shader_parse(glslang_shader_t* shader, const LegacyInput* in) {
    return ::glslang_shader_parse(shader, translate(in));
}

} // namespace eddy_glslang_adapter

// Redirect what vkFFT.h sees. The real declarations above are unaffected (already parsed).
#define glslang_resource_t eddy_glslang_adapter::LegacyResource
#define glslang_input_t eddy_glslang_adapter::LegacyInput
#define glslang_shader_create eddy_glslang_adapter::shader_create
#define glslang_shader_preprocess eddy_glslang_adapter::shader_preprocess
#define glslang_shader_parse eddy_glslang_adapter::shader_parse

#endif // EDDY_GLSLANG_LEGACY_ADAPTER_H
