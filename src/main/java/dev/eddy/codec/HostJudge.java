package dev.eddy.codec;

/**
 * The verdict on decodes on the host: reference fields (slot 0 the truth, 1 a held field) and
 * {@link FieldErrors} of decoded fields against the truth. The CPU codec's, and the GPU codec's where
 * the device cannot sum in float64.
 */
final class HostJudge {
    private final int n;
    private final FieldErrors.Reference[] references = new FieldErrors.Reference[2];

    HostJudge(int n) {
        this.n = n;
    }

    void reference(int slot, double[] field) {
        references[slot] = FieldErrors.reference(n, field);
    }

    FieldErrors judge(double[] decoded) {
        return truth().compare(decoded);
    }

    FieldErrors judgeReference(int slot) {
        if (references[slot] == null) {
            throw new IllegalStateException("reference " + slot + " was never set");
        }
        return truth().compare(references[slot].field());
    }

    private FieldErrors.Reference truth() {
        if (references[0] == null) {
            throw new IllegalStateException("no truth field: call reference(0, sim) first");
        }
        return references[0];
    }
}
