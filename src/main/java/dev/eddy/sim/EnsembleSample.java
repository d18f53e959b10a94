package dev.eddy.sim;

import java.util.List;

/**
 * The diagnostics of every member at one ensemble step: member m's sample carries its own step and time
 * (members with their own dt keep their own times; a stopped member's are those of its frozen state) and
 * the dt and Courant number of its last step.
 *
 * @param step the ensemble's step: how many steps the ensemble has advanced
 */
public record EnsembleSample(long step, List<DiagnosticSample> members) {
    public EnsembleSample {
        members = List.copyOf(members);
    }
}
