package dev.eddy.viz;

import dev.eddy.io.AtomicFiles;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * A video of rendered frames: an H.264 MP4 (yuv420p, so every player shows it) encoded by ffmpeg from
 * raw RGB frames on its standard input when ffmpeg is installed, otherwise an animated GIF written in
 * pure Java. The ffmpeg to use is {@code -Deddy.ffmpeg=PATH} or {@code EDDY_FFMPEG=PATH}, else
 * {@code ffmpeg} on the PATH; the value {@code none} pretends there is none (tests the fallback).
 */
public final class Video {
    /** Frames, rendered one at a time so that a long run never holds them all in memory. */
    public interface Frames {
        int count();

        BufferedImage frame(int index) throws IOException;
    }

    /** What was written: the file, its format ("mp4" or "gif"), frame count and size, and how. */
    public record Result(Path file, String format, int frames, int width, int height, String note) {
    }

    private Video() {
    }

    /** The ffmpeg executable to use, or null when there is none. */
    public static Path ffmpeg() {
        String chosen = System.getProperty("eddy.ffmpeg", System.getenv("EDDY_FFMPEG"));
        if (chosen != null && !chosen.isBlank()) {
            if (chosen.equals("none")) {
                return null;
            }
            Path p = Path.of(chosen);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "ffmpeg");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Writes {@code base.mp4} (with ffmpeg) or {@code base.gif} (without) and removes the other, stale one.
     *
     * @param base the output path without extension
     * @param fps  frames per second
     */
    public static Result write(Path base, Frames frames, int fps, Consumer<String> log) throws IOException {
        if (frames.count() == 0) {
            throw new IllegalArgumentException("a video needs at least one frame");
        }
        Path ffmpeg = ffmpeg();
        Path mp4 = sibling(base, ".mp4");
        Path gif = sibling(base, ".gif");
        Result r;
        if (ffmpeg != null) {
            r = mp4(ffmpeg, mp4, frames, fps);
            Files.deleteIfExists(gif);
        } else {
            r = gif(gif, frames, fps);
            Files.deleteIfExists(mp4);
            log.accept("video: ffmpeg not found (install it, or set EDDY_FFMPEG): wrote an animated GIF instead of an MP4: "
                    + gif);
        }
        return r;
    }

    private static Path sibling(Path base, String ext) {
        return base.resolveSibling(base.getFileName() + ext);
    }

    /** H.264 needs even dimensions in yuv420p: pad on white to the next even width and height. */
    static BufferedImage even(BufferedImage img) {
        int w = img.getWidth() + (img.getWidth() & 1);
        int h = img.getHeight() + (img.getHeight() & 1);
        if (w == img.getWidth() && h == img.getHeight() && img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static Result mp4(Path ffmpeg, Path target, Frames frames, int fps) throws IOException {
        BufferedImage first = even(frames.frame(0));
        int w = first.getWidth();
        int h = first.getHeight();
        Path tmp = AtomicFiles.temporaryBeside(target); // rw-r--r--, like every output (a plain temp file is 0600)
        ProcessBuilder pb = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", w + "x" + h, "-r", Integer.toString(fps), "-i", "pipe:0",
                "-an", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "18", "-preset", "medium",
                "-movflags", "+faststart", "-f", "mp4", tmp.toString());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = Thread.ofPlatform().daemon().start(() -> {
            try (InputStream in = p.getErrorStream()) {
                in.transferTo(err);
            } catch (IOException e) {
                err.writeBytes(("(reading ffmpeg's messages failed: " + e.getMessage() + ")").getBytes());
            }
        });
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(p.getOutputStream(), 1 << 20)) {
                byte[] rgb = new byte[w * h * 3];
                int[] row = new int[w];
                for (int i = 0; i < frames.count(); i++) {
                    BufferedImage img = i == 0 ? first : even(frames.frame(i));
                    if (img.getWidth() != w || img.getHeight() != h) {
                        throw new IOException("video frame " + i + " is " + img.getWidth() + "×" + img.getHeight()
                                + ", the first was " + w + "×" + h);
                    }
                    for (int y = 0, q = 0; y < h; y++) {
                        img.getRGB(0, y, w, 1, row, 0, w);
                        for (int x = 0; x < w; x++, q += 3) {
                            rgb[q] = (byte) (row[x] >> 16);
                            rgb[q + 1] = (byte) (row[x] >> 8);
                            rgb[q + 2] = (byte) row[x];
                        }
                    }
                    out.write(rgb);
                }
            } catch (IOException e) {
                p.destroyForcibly();
                throw new IOException("ffmpeg stopped taking frames (" + e.getMessage() + "): "
                        + err.toString().strip(), e);
            }
            int code = p.waitFor();
            drain.join(5000);
            if (code != 0) {
                throw new IOException("ffmpeg failed with exit code " + code + ": " + err.toString().strip());
            }
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            AtomicFiles.moveIntoPlace(tmp, target);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while ffmpeg was encoding " + target, e);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly(); // only on a failure above; the exception in flight says what went wrong
            }
            Files.deleteIfExists(tmp);
        }
        return new Result(target, "mp4", frames.count(), w, h, "H.264 (libx264, yuv420p) by " + ffmpeg);
    }

    private static Result gif(Path target, Frames frames, int fps) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        int[] size = new int[2];
        AtomicFiles.write(target, out -> {
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.prepareWriteSequence(null);
                for (int i = 0; i < frames.count(); i++) {
                    BufferedImage img = frames.frame(i);
                    size[0] = img.getWidth();
                    size[1] = img.getHeight();
                    IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
                    gifTiming(meta, Math.max(1, Math.round(100f / fps)), i == 0);
                    writer.writeToSequence(new IIOImage(img, null, meta), null);
                }
                writer.endWriteSequence();
            } finally {
                writer.dispose();
            }
        });
        return new Result(target, "gif", frames.count(), size[0], size[1], "animated GIF (javax.imageio; ffmpeg absent)");
    }

    /** Frame delay in 1/100 s, and on the first frame the NETSCAPE2.0 block that makes the GIF loop forever. */
    private static void gifTiming(IIOMetadata meta, int delayCentis, boolean first) throws IOException {
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delayCentis));
        gce.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0});
            apps.appendChild(app);
        }
        meta.setFromTree(format, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
