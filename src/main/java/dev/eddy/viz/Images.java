package dev.eddy.viz;

import dev.eddy.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** PNG encoding of rendered images; files are written atomically like every other Eddy output. */
public final class Images {
    private Images() {
    }

    public static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer in this Java runtime");
        }
        return out.toByteArray();
    }

    public static void writePng(Path file, BufferedImage image) throws IOException {
        byte[] bytes = png(image);
        AtomicFiles.write(file, out -> out.write(bytes));
    }
}
