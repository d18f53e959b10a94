package dev.eddy.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.eddy.config.ConfigException;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.CorruptFileException;
import dev.eddy.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part of an ensemble run apart from the rest (one Slurm array task): members [from, to) of
 * {@code ensemble}, run as an ensemble of their own ({@code ensemble.slice(from, to)}) in a directory of
 * their own. The part's directory holds this record beside the ordinary ensemble outputs, so that
 * {@code eddy ensemble merge} can tell which members each part holds and that all parts belong to one
 * ensemble.
 *
 * @param from     the first member (0-based)
 * @param to       one past the last member
 * @param ensemble the whole ensemble's settings
 */
public record EnsemblePart(int from, int to, EnsembleConfig ensemble) {
    public EnsemblePart {
        ConfigException.require(ensemble != null, "a part needs its ensemble's settings");
        ConfigException.require(0 <= from && from < to && to <= ensemble.size(), "--members-range " + from + ":" + to
                + " must lie within the ensemble's " + ensemble.size() + " members (0:" + ensemble.size() + " is all of them)");
    }

    /** "A:B": members A to B − 1 of {@code ensemble}, as {@code --members-range} gives them. */
    public static EnsemblePart parse(String range, EnsembleConfig ensemble) {
        int colon = range.indexOf(':');
        try {
            if (colon < 0) {
                throw new NumberFormatException();
            }
            return new EnsemblePart(Integer.parseInt(range.substring(0, colon).strip()), Integer.parseInt(range.substring(colon + 1).strip()),
                    ensemble);
        } catch (NumberFormatException e) {
            throw new ConfigException("--members-range takes A:B (members A to B − 1, counted from 0), got '" + range + "'");
        }
    }

    /** The part's own ensemble: its members, with the whole ensemble's shared settings. */
    public EnsembleConfig config() {
        return ensemble.slice(from, to);
    }

    /** "3:6". */
    public String range() {
        return from + ":" + to;
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(RunFiles.ENSEMBLE_PART), Json.write(this));
    }

    /** Whether {@code dir} is a part's directory. */
    public static boolean isPart(Path dir) {
        return Files.isRegularFile(dir.resolve(RunFiles.ENSEMBLE_PART));
    }

    public static EnsemblePart read(Path dir) throws IOException {
        Path file = dir.resolve(RunFiles.ENSEMBLE_PART);
        try {
            return Json.MAPPER.readValue(file.toFile(), EnsemblePart.class);
        } catch (JsonProcessingException e) {
            throw new CorruptFileException(file, "not a part's record: " + e.getOriginalMessage());
        }
    }
}
