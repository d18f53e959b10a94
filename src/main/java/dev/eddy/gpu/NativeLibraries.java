package dev.eddy.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Finds Eddy's own native libraries (the VkFFT bridge): the file itself when the classes run from a
 * directory (target/classes), else a copy extracted from the jar to
 * {@code ${EDDY_CACHE:-~/.cache/eddy}/native/<sha256 prefix>/}, so versions never overwrite each other.
 */
public final class NativeLibraries {
    static final String PLATFORM = "linux-x86-64";

    private NativeLibraries() {
    }

    /** Eddy's cache root: $EDDY_CACHE, else ~/.cache/eddy. */
    public static Path cacheRoot() {
        String env = System.getenv("EDDY_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "eddy");
    }

    /** The path of {@code lib<name>.so} ready for dlopen. */
    public static Path locate(String name) {
        String file = "lib" + name + ".so";
        String resource = "/native/" + PLATFORM + "/" + file;
        URL url = NativeLibraries.class.getResource(resource);
        if (url == null) {
            throw new GpuUnavailableException("the native library " + file + " is not in Eddy's jar (" + resource
                    + "): build with 'mvn package' on linux-x86-64 (needs g++, libvkfft-dev, glslang-dev; scripts/setup.sh)");
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            byte[] bytes;
            try (InputStream in = url.openStream()) {
                bytes = in.readAllBytes();
            }
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
            Path dir = cacheRoot().resolve("native").resolve(hash);
            Path target = dir.resolve(file);
            if (!Files.isRegularFile(target) || Files.size(target) != bytes.length) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, file, ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return target;
        } catch (IOException | URISyntaxException | NoSuchAlgorithmException e) {
            throw new GpuException("extracting " + file + " to " + cacheRoot().resolve("native") + ": " + e.getMessage(), e);
        }
    }
}
