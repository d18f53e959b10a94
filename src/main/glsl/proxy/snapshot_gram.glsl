// Body of the snapshot Gram G = ZᵀZ, included by snapshot_gram.comp (latents in the run's precision) and
// snapshot_gram_wide.comp (float32 latents, float64 sums). The includer defines LATENT, the storage type of
// the latents; REAL is the type of the sums (build/compile-shaders.sh: float or double).
//
// Twin of dev.eddy.proxy.SnapshotGramKernels_F64.gram (accumulate() is the per-element math of both). Over
// the `columns` columns z_a = column `from` + a of Zs (column-major, d reals a column), invocation (a, b)
// writes G[a][b] = Σ_i z_a[i]·z_b[i], summed over i = 0 … d−1 in increasing order in one register with no
// fused multiply-add (precise): the same bits as the Java twin, on every run (no atomics; every entry has
// one owner), and G[a][b] and G[b][a] are the same bits.
//
// Tiling: a 16×16 workgroup owns a 16×16 block of G; the rows i come in chunks of 16 through shared memory
// (the block's 16 columns a and 16 columns b), so each latent value is read from global memory once per
// workgroup and chunk instead of once per entry. Only G (columns² sums) is written: it is all that crosses
// to the host.
layout(local_size_x = 16, local_size_y = 16) in;

const uint TILE = 16u;

layout(std430, binding = 0) readonly buffer Zs { LATENT zs[]; };
layout(std430, binding = 1) writeonly buffer G { REAL g[]; };

// The Java side (GpuSnapshotGram) writes the same offsets: three uints.
layout(push_constant) uniform Push {
    uint d;
    uint from;
    uint columns;
};

shared LATENT za[TILE][TILE]; // [column a of the block][row in chunk]
shared LATENT zb[TILE][TILE]; // [column b of the block][row in chunk]

// acc + a·b in the sums' precision, rounded twice (no FMA): float latents widen exactly to double, and the
// product of two floats is exact in double, so the wide variant matches the Java twin bit for bit.
REAL accumulate(REAL acc, LATENT a, LATENT b) {
    precise REAL r = acc + REAL(a) * REAL(b);
    return r;
}

void main() {
    uint la = gl_LocalInvocationID.y;
    uint lb = gl_LocalInvocationID.x;
    uint a0 = gl_WorkGroupID.y * TILE;
    uint b0 = gl_WorkGroupID.x * TILE;
    REAL acc = REAL(0);
    for (uint i0 = 0u; i0 < d; i0 += TILE) {
        // invocation (la, lb) loads row i0 + lb of column a0 + la and of column b0 + la
        uint i = i0 + lb;
        uint ca = a0 + la;
        uint cb = b0 + la;
        za[la][lb] = (i < d && ca < columns) ? zs[(from + ca) * d + i] : LATENT(0);
        zb[la][lb] = (i < d && cb < columns) ? zs[(from + cb) * d + i] : LATENT(0);
        barrier();
        uint n = min(TILE, d - i0);
        for (uint k = 0u; k < n; k++) {
            acc = accumulate(acc, za[la][k], zb[lb][k]);
        }
        barrier();
    }
    uint a = a0 + la;
    uint b = b0 + lb;
    if (a < columns && b < columns) {
        g[a * columns + b] = acc;
    }
}
