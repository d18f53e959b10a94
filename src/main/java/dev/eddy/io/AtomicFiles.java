package dev.eddy.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Every file Eddy writes goes through here: written to a temporary file beside the target, forced to
 * disk, then renamed over the target in one step. A crash, a kill or a full disk leaves either the
 * old complete file or the new complete file, never a torn one.
 */
public final class AtomicFiles {
    /** Writes the content of one file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes the content of one file by its path: for writers (jhdf) that create the file they write themselves. */
    @FunctionalInterface
    public interface PathWriter {
        void write(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Like {@link #write}, for a writer that takes a path: it writes a temporary file beside the target, which is
     * then forced to disk and renamed over the target (deleted instead if anything fails).
     */
    public static void writeAt(Path target, PathWriter writer) throws IOException {
        Path tmp = temporaryBeside(target);
        try {
            writer.write(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            moveIntoPlace(tmp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    public static void write(Path target, Writer writer) throws IOException {
        write(target, writer, true);
    }

    /**
     * Like {@link #write} but without forcing the file to disk: for the many small files of a store that
     * {@link #force} makes durable together before its commit point (one journal commit for all of them
     * instead of one each). A kill still leaves the old or the new file, never a torn one; only a crash of
     * the machine before {@link #force} could, and the restart rebuilds those files from the checkpoint.
     */
    public static void writeUnforced(Path target, Writer writer) throws IOException {
        write(target, writer, false);
    }

    /** Forces files (and their directories) to disk: the durability half of {@link #writeUnforced}. */
    public static void force(java.util.Collection<Path> files) throws IOException {
        java.util.Set<Path> dirs = new java.util.LinkedHashSet<>();
        for (Path f : files) {
            if (Files.exists(f)) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    ch.force(true);
                }
            }
            dirs.add(f.toAbsolutePath().getParent());
        }
        for (Path d : dirs) {
            try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
                ch.force(true); // the renames (Linux allows opening a directory to sync it)
            } catch (IOException e) {
                // a file system that does not sync directories: the files themselves are forced
            }
        }
    }

    private static void write(Path target, Writer writer, boolean durable) throws IOException {
        Path tmp = temporaryBeside(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                writer.write(out);
                out.flush();
                if (durable) {
                    ch.force(true);
                }
            }
            FaultPoints.reach("atomic-write:" + target.toAbsolutePath().getParent().getFileName() + "/" + target.getFileName());
            moveIntoPlace(tmp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** A new empty temporary file beside the target, readable like any output (rw-r--r--). */
    public static Path temporaryBeside(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
        return tmp;
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public static void writeStringUnforced(Path target, String text) throws IOException {
        writeUnforced(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Deletes the temporary files a killed writer left in {@code dir} (names {@code .NAME.*.tmp});
     * a missing directory is fine.
     */
    public static void deleteStaleTemporaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Renames a finished temporary file over the target (used by writers that must produce the file themselves). */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically on this file system", e);
        }
    }
}
