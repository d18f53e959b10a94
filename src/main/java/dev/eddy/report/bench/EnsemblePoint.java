package dev.eddy.report.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of an ensemble benchmark: M members of one N stepped together, as {@code eddy bench --members}
 * writes them: an {@code eddy-bench/1} file of kind {@code ensemble} whose results hold
 * {@code n}, {@code members}, {@code precision} and {@code ms_per_member_step} (wall ms of one ensemble
 * step divided by the members; {@code ms_per_step} with {@code members} is read as well), and
 * optionally {@code device} — the format the README gives.
 */
public record EnsemblePoint(BenchSource source, String machine, int n, int members, String precision, double msPerMemberStep)
        implements Measurement {

    @Override
    public String key() {
        return String.join("|", "ensemble", machine, Integer.toString(n), precision, Integer.toString(members));
    }

    @Override
    public String what() {
        return "ensemble " + precision + " × " + members + " members";
    }

    static List<EnsemblePoint> read(BenchDoc doc, List<String> warnings) {
        List<EnsemblePoint> out = new ArrayList<>();
        int i = 0;
        for (JsonNode r : doc.rows()) {
            i++;
            Integer n = Fields.integer(r, "n");
            Integer members = Fields.integer(r, "members");
            Double perMember = Fields.number(r, "ms_per_member_step");
            Double perStep = Fields.number(r, "ms_per_step");
            if (perMember == null && perStep != null && members != null && members > 0) {
                perMember = perStep / members;
            }
            if (n == null || members == null || members < 1 || perMember == null) {
                warnings.add(doc.source().file() + ": result " + i + " has no n, members ≥ 1 or ms_per_member_step: left out");
                continue;
            }
            String device = Fields.text(r, "device");
            String machine = device != null ? device : doc.source().machine();
            out.add(new EnsemblePoint(doc.source(), machine, n, members, r.path("precision").asText("fp32"), perMember));
        }
        return out;
    }
}
