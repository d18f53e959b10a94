// Per-point math of the LES, the GLSL twins of the static methods of dev.eddy.sim.cpu.LesKernels_F64
// (same names, same operation order). REAL is float or double: each shader is compiled twice,
// -DREAL=float -> *_f32.spv and -DREAL=double -> *_f64.spv.
//
// Members: every kernel runs a batch of `members` members, member m = gl_WorkGroupID.z (the third
// dispatch dimension). A state holds member m at m*fieldLength; the work buffer holds field f of member
// m at f*members*fieldLength + m*fieldLength (the batched FFTs transform its first 6B or 3B fields). With
// members = 1 every index is a single run's (LesKernels_F64's class comment).
#ifndef REAL
#define REAL float
#endif
// A complex value (re, im) as one vector: kernels that read or write whole complex pairs declare their
// spectral buffers as REAL2[] (the same bytes as REAL[] with index p/2), so each pair moves in one
// 8-byte (16-byte in fp64) access instead of two scalar ones.
#ifdef REAL64
#define REAL2 dvec2
#else
#define REAL2 vec2
#endif

// The per-member parameter table of dev.eddy.sim.MemberParams: PARAMS reals per member.
const int PARAMS = 5;
const int P_NU = 0;
const int P_MU = 1;
const int P_CS_DELTA2 = 2;
const int P_DT_LIMIT = 3;
const int P_ACTIVE = 4;
// The per-member step record of les_cfl_dt: dt, max speed, (max|u| + max|v|)·K.
const int STEP_RECORD = 3;

bool finiteReal(REAL x) {
    return !(isnan(x) || isinf(x));
}

// Grid layout of dev.eddy.sim.Grid: n rows (ky in FFT order) of halfX = n/2+1 complex values,
// interleaved re/im; in physical space n rows of n reals with row stride 2*halfX.
int kyOf(int j, int n) { return j < n / 2 ? j : j - n; }

// K = (n-1)/3: |k| < n/3 is kept (3K < n, so no product of kept modes aliases onto a kept mode).
int dealiasCutoff(int n) { return (n - 1) / 3; }

bool kept(int j, int i, int n) {
    int c = dealiasCutoff(n);
    return i <= c && abs(kyOf(j, n)) <= c;
}

REAL inverseLaplacian(int kx, int ky) {
    int k2 = kx * kx + ky * ky;
    return k2 == 0 ? REAL(0) : REAL(1) / REAL(k2);
}

REAL eddyViscosity(REAL s11, REAL s12, REAL csDelta2) {
    return csDelta2 * REAL(2) * sqrt(s11 * s11 + s12 * s12);
}

REAL advection(REAL u, REAL v, REAL wx, REAL wy) {
    return u * wx + v * wy;
}

// exp in the run's precision. GLSL's exp() is float-only, so the float64 build (-DREAL64) evaluates
// exp(x) = 2^k · exp(r), r = x − k·ln2 with |r| ≤ ln2/2 (Cody–Waite split of ln2), and exp(r) by its
// Taylor series to degree 13 (remainder < 2e-17 relative): within an ulp or two of Java's Math.exp.
#ifdef REAL64
REAL realExp(REAL x) {
    if (x < REAL(-708)) return REAL(0);
    REAL k = floor(x * REAL(1.4426950408889634) + REAL(0.5));
    REAL r = (x - k * REAL(0.6931471803691238)) - k * REAL(1.9082149292705877e-10);
    REAL term = REAL(1);
    REAL sum = REAL(1);
    for (int i = 1; i <= 13; i++) {
        term *= r / REAL(i);
        sum += term;
    }
    return ldexp(sum, int(k));
}
#else
REAL realExp(REAL x) { return exp(x); }
#endif

REAL decay(int kx, int ky, REAL nu, REAL mu, REAL tau) {
    return realExp(-(nu * REAL(kx * kx + ky * ky) + mu) * tau);
}

// NaN-propagating max (a blown-up point must not hide behind max()'s ordering).
REAL maxNan(REAL a, REAL b) {
    return (b > a || isnan(b)) ? b : a;
}
