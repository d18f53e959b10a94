package dev.eddy.sim;

import dev.eddy.sim.FlowDiagnostics.Budget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Whether an invariant's budget closes over a run: its change between the first and last diagnostics
 * samples against the time integral (trapezoid rule over the samples) of the rates that should cause it.
 * With a stable step the residual is the quadrature error of the sampling; a time integrator that injects
 * energy at the grid scale shows up as a residual of the size of the terms.
 *
 * @param change     value(last) − value(first)
 * @param integrated ∫ (forcing − viscous − sgs − drag + transfer) dt
 * @param terms      ∫ of each term: forcing, viscous, sgs, drag, transfer
 * @param relative   |change − integrated| / (∫|forcing| + ∫|viscous| + ∫|sgs| + ∫|drag|)
 */
public record BudgetClosure(double change, double integrated, Map<String, Double> terms, double relative) {

    public static BudgetClosure energy(List<DiagnosticSample> d) {
        return of(d, DiagnosticSample::energy, s -> s.flow().energyBudget());
    }

    public static BudgetClosure enstrophy(List<DiagnosticSample> d) {
        return of(d, DiagnosticSample::enstrophy, s -> s.flow().enstrophyBudget());
    }

    static BudgetClosure of(List<DiagnosticSample> d, ToDoubleFunction<DiagnosticSample> value,
                            Function<DiagnosticSample, Budget> budget) {
        double[] t = new double[5];
        for (int i = 1; i < d.size(); i++) {
            double h = d.get(i).time() - d.get(i - 1).time();
            double[] a = terms(budget.apply(d.get(i - 1)));
            double[] b = terms(budget.apply(d.get(i)));
            for (int q = 0; q < t.length; q++) {
                t[q] += 0.5 * h * (a[q] + b[q]);
            }
        }
        double integrated = t[0] - t[1] - t[2] - t[3] + t[4];
        double change = d.isEmpty() ? 0 : value.applyAsDouble(d.getLast()) - value.applyAsDouble(d.getFirst());
        double scale = Math.abs(t[0]) + Math.abs(t[1]) + Math.abs(t[2]) + Math.abs(t[3]);
        Map<String, Double> terms = new LinkedHashMap<>();
        String[] names = {"forcing", "viscous", "sgs", "drag", "transfer"};
        for (int q = 0; q < names.length; q++) {
            terms.put(names[q], t[q]);
        }
        return new BudgetClosure(change, integrated, terms, scale > 0 ? Math.abs(change - integrated) / scale : Double.NaN);
    }

    private static double[] terms(Budget b) {
        return new double[] {b.forcing(), b.viscous(), b.sgs(), b.drag(), b.transfer()};
    }
}
