package dev.eddy.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file Eddy wrote earlier is truncated, corrupt or of another version: the message says which and how. */
public final class CorruptFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptFileException(Path file, String why) {
        super(file + ": " + why);
    }
}
