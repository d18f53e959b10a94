package dev.eddy.report.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which numbers are current: of the measurements with one key, the one from the newest file wins. What
 * each winning file supersedes is kept, in words, for the figure that shows it.
 *
 * @param kept  one measurement per key, in the order the keys were first met
 * @param notes "FILE (date) supersedes OLDER (date) for GPU LES fp32 at N = 256, 1024; …", one per pair of files
 */
public record Newest<T extends Measurement>(List<T> kept, List<String> notes) {

    public static <T extends Measurement> Newest<T> of(List<T> all) {
        Map<String, List<T>> byKey = new LinkedHashMap<>();
        for (T m : all) {
            byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
        }
        List<T> kept = new ArrayList<>();
        // (winner file, loser file) → what → the N it covers; sorted, so the notes never depend on the input order
        Map<String, Map<String, TreeSet<Integer>>> superseded = new TreeMap<>();
        for (List<T> same : byKey.values()) {
            same.sort((a, b) -> BenchSource.newestFirst(a.source(), b.source()));
            T winner = same.getFirst();
            kept.add(winner);
            for (T older : same.subList(1, same.size())) {
                if (!older.source().file().equals(winner.source().file())) {
                    superseded.computeIfAbsent(winner.source().name() + " (" + winner.source().dateText() + ") supersedes "
                                    + older.source().name() + " (" + older.source().dateText() + ")", k -> new TreeMap<>())
                            .computeIfAbsent(older.what(), k -> new TreeSet<>()).add(older.n());
                }
            }
        }
        List<String> notes = new ArrayList<>();
        superseded.forEach((pair, what) -> notes.add(pair + " for " + String.join("; ", what.entrySet().stream()
                .map(e -> e.getKey() + " at N = " + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(", "))).toList())));
        return new Newest<>(kept, notes);
    }

    /** The files the kept measurements come from, newest first, each once. */
    public List<BenchSource> sources() {
        return Measurement.sources(kept);
    }
}
