package dev.eddy.store;

import dev.eddy.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The exclusive lock a run or pipeline holds on its directory: an OS file lock ({@code fcntl}, through
 * {@link FileChannel#tryLock}) on {@code .eddy.lock}, which holds the holder's PID, host and start time.
 *
 * <p>The OS releases the lock when its process ends, however it ends, so a lock left by a process killed
 * with {@code kill -9} is free: the next run takes it over and says whose it was (the file still names the
 * dead holder, since only a clean close empties it). A second process that finds the lock held is refused
 * with the holder's PID. The file itself is never deleted: deleting it would let two processes lock two
 * different files of the same name.
 */
public final class RunLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The directory is in use by another Eddy process. */
    public static final class BusyException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BusyException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock of {@code dir} (created if missing) for {@code what} ("run", "pipeline").
     *
     * @param log told when a stale lock is taken over
     * @throws BusyException when another process holds it
     */
    public static RunLock acquire(Path dir, String what, Consumer<String> log) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("output path " + dir + " is a file, not a directory");
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(RunFiles.LOCK);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this very JVM (another run of the same process)
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        String holder = contents(ch);
        if (l == null) {
            ch.close();
            throw new BusyException(dir + " is in use by another Eddy process (" + (holder.isBlank() ? "holder unknown" : holder)
                    + "): wait for it to end, or stop it, then try again");
        }
        try {
            if (!holder.isBlank()) {
                log.accept("taking over the lock of " + dir + " left by a process that is no longer running (" + holder + ")");
            }
            ch.truncate(0);
            String me = "pid " + ProcessHandle.current().pid() + " on " + host() + ", " + what + " since " + Instant.now();
            ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            return new RunLock(ch, l);
        } catch (IOException | RuntimeException e) {
            l.release();
            ch.close();
            throw e;
        }
    }

    private static String contents(FileChannel ch) throws IOException {
        long size = Math.min(ch.size(), 4096);
        ByteBuffer b = ByteBuffer.allocate((int) size);
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // read until full
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    /** Empties the file (a clean end leaves nothing to take over) and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            channel.truncate(0);
            channel.force(true);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
