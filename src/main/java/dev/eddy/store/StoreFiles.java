package dev.eddy.store;

import dev.eddy.io.AtomicFiles;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the stores of a run directory share: their per-step frame files, and an HDF5 file written whole and atomically. */
final class StoreFiles {
    private StoreFiles() {
    }

    /** What {@link #writeHdf5} puts into the file. */
    @FunctionalInterface
    interface Hdf5Content {
        void write(WritableHdfFile h5) throws IOException;
    }

    /**
     * The steps of the files {@code <prefix><step>.bin} in {@code folder}, in order (none when the folder
     * does not exist).
     */
    static List<Long> steps(Path folder, String prefix) throws IOException {
        List<Long> steps = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return steps;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, prefix + "*.bin")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                steps.add(Long.parseLong(name.substring(prefix.length(), name.length() - 4)));
            }
        }
        steps.sort(null);
        return steps;
    }

    /** Writes {@code target} as jhdf writes it, to a temporary file that is synced, then renamed: a reader never sees half a file. */
    static void writeHdf5(Path target, Hdf5Content content) throws IOException {
        AtomicFiles.writeAt(target, tmp -> {
            try (WritableHdfFile h5 = HdfFile.write(tmp)) {
                content.write(h5);
            }
        });
    }
}
