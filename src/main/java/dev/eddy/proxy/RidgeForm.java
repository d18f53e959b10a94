package dev.eddy.proxy;

/**
 * Which size the ridge fit works at (design §4). With m pairs of latents of dimension d, the primal
 * form solves with the d×d Grams X Xᵀ and Y Xᵀ; the dual (snapshot) form with the m×m Grams XᵀX and XᵀY
 * by the push-through identity Y Xᵀ(X Xᵀ + λI)⁻¹ = Y (XᵀX + λI)⁻¹ Xᵀ. Both give the same A (tested to
 * 1e-10 in DualRidgeTest); the smaller matrix is the faster one.
 */
public enum RidgeForm {
    /** Dual when m &lt; d, primal otherwise. */
    AUTO,
    /** d×d Grams, explicit A. */
    PRIMAL,
    /** m×m Grams, A in factors. */
    DUAL;

    /** The form AUTO picks for m pairs of dimension d: dual when m &lt; d. */
    public static RidgeForm choose(int d, long pairs) {
        return pairs < d ? DUAL : PRIMAL;
    }

    /** This form, with AUTO resolved by {@link #choose}. */
    public RidgeForm resolve(int d, long pairs) {
        return this == AUTO ? choose(d, pairs) : this;
    }

    /** The fit map's value: "primal" or "dual". */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
