// Body of the Gram update, included by gram_update.comp (latents in the run's precision) and
// gram_update_wide.comp (float32 latents, float64 sums). The includer defines LATENT, the storage type
// of the latents; REAL is the type of the Gram sums (build/compile-shaders.sh: float or double).
//
// Twin of dev.eddy.proxy.GramKernels_F64.update (accumulate() is the per-element math of both). Over
// `pairs` pairs (x_t, y_t), x_t = column xCol + t of Xs and y_t = column yCol + t of Ys (column-major,
// d reals a column), invocation (i, j) does
//     XX[i][j] ← (overwrite ? 0 : XX[i][j]) + Σ_t x_t[i]·x_t[j],   YX[i][j] likewise with y_t[i]·x_t[j],
// and the invocations with j = 0 also YY[i] ← … + Σ_t y_t[i]² (Σ|y|² is summed over i on the host).
// Each sum runs over t in increasing order in one register, with no fused multiply-add (precise), so
// the result is the same bits as the Java twin's rank-1 updates one pair at a time and does not depend
// on the device or on how the pairs are split between dispatches. No atomics: every entry has one owner.
//
// Tiling: a 16×16 workgroup owns a 16×16 block of entries; pairs come in chunks of 16 through shared
// memory (x and y rows of the block, x columns of the block), so each latent value is read from global
// memory once per workgroup and chunk instead of once per entry.
layout(local_size_x = 16, local_size_y = 16) in;

const uint TILE = 16u;

layout(std430, binding = 0) readonly buffer Xs { LATENT xs[]; };
layout(std430, binding = 1) readonly buffer Ys { LATENT ys[]; };
layout(std430, binding = 2) buffer XX { REAL xx[]; };
layout(std430, binding = 3) buffer YX { REAL yx[]; };
layout(std430, binding = 4) buffer YY { REAL yyRow[]; };

// The Java side (GpuGram) writes the same offsets: five uints.
layout(push_constant) uniform Push {
    uint d;
    uint xCol;
    uint yCol;
    uint pairs;
    uint overwrite;
};

shared LATENT xi[TILE][TILE]; // [pair in chunk][row of the block]
shared LATENT yi[TILE][TILE];
shared LATENT xj[TILE][TILE]; // [pair in chunk][column of the block]

// acc + a·b in the sums' precision, rounded twice (no FMA): float latents widen exactly to double, and
// the product of two floats is exact in double, so the wide variant matches the Java twin bit for bit.
REAL accumulate(REAL acc, LATENT a, LATENT b) {
    precise REAL r = acc + REAL(a) * REAL(b);
    return r;
}

void main() {
    uint li = gl_LocalInvocationID.y;
    uint lj = gl_LocalInvocationID.x;
    uint i0 = gl_WorkGroupID.y * TILE;
    uint j0 = gl_WorkGroupID.x * TILE;
    uint i = i0 + li;
    uint j = j0 + lj;
    bool inside = i < d && j < d;
    REAL axx = REAL(0);
    REAL ayx = REAL(0);
    REAL ayy = REAL(0);
    if (inside && overwrite == 0u) {
        axx = xx[i * d + j];
        ayx = yx[i * d + j];
        if (j == 0u) {
            ayy = yyRow[i];
        }
    }
    for (uint t0 = 0u; t0 < pairs; t0 += TILE) {
        // invocation (li, lj) loads pair t0 + li: row i0 + lj of x and y, column j0 + lj of x
        uint t = t0 + li;
        uint r = i0 + lj;
        uint c = j0 + lj;
        xi[li][lj] = (t < pairs && r < d) ? xs[(xCol + t) * d + r] : LATENT(0);
        yi[li][lj] = (t < pairs && r < d) ? ys[(yCol + t) * d + r] : LATENT(0);
        xj[li][lj] = (t < pairs && c < d) ? xs[(xCol + t) * d + c] : LATENT(0);
        barrier();
        uint n = min(TILE, pairs - t0);
        for (uint k = 0u; k < n; k++) {
            axx = accumulate(axx, xi[k][li], xj[k][lj]);
            ayx = accumulate(ayx, yi[k][li], xj[k][lj]);
            if (j == 0u) {
                ayy = accumulate(ayy, yi[k][li], yi[k][li]);
            }
        }
        barrier();
    }
    if (inside) {
        xx[i * d + j] = axx;
        yx[i * d + j] = ayx;
        if (j == 0u) {
            yyRow[i] = ayy;
        }
    }
}
