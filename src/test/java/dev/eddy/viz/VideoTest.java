package dev.eddy.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("robustness")
class VideoTest {
    static final int FRAMES = 5;
    static final int N = 24; // odd-sized frames after decoration? side 504 + margins: checks the even padding

    static Video.Frames frames() {
        return new Video.Frames() {
            @Override
            public int count() {
                return FRAMES;
            }

            @Override
            public BufferedImage frame(int i) {
                double[] f = FieldImageTest.vortices(N, 0.3 * i);
                return FieldImage.render(f, N, new FieldImage.Style(1.3, "frame " + i, true, "ω"), Colormap.coolWarm());
            }
        };
    }

    @AfterEach
    void forget() {
        System.clearProperty("eddy.ffmpeg");
    }

    @Test
    void mp4WithFfmpeg(@TempDir Path tmp) throws Exception {
        assumeTrue(Video.ffmpeg() != null, "ffmpeg is not installed: the MP4 path cannot be tested here");
        Path ffprobe = Video.ffmpeg().resolveSibling("ffprobe");
        assumeTrue(Files.isExecutable(ffprobe), "ffprobe is not installed beside ffmpeg");
        Files.writeString(tmp.resolve("v.gif"), "stale");
        Video.Result r = Video.write(tmp.resolve("v"), frames(), 8, s -> { });
        assertEquals("mp4", r.format());
        assertTrue(Files.size(r.file()) > 1000);
        assertFalse(Files.exists(tmp.resolve("v.gif")), "the stale fallback is removed");
        BufferedImage first = frames().frame(0);
        assertEquals(first.getWidth() + (first.getWidth() & 1), r.width());
        assertEquals(first.getHeight() + (first.getHeight() & 1), r.height());
        assertEquals(0, r.width() % 2);
        assertEquals(0, r.height() % 2);

        Process p = new ProcessBuilder(ffprobe.toString(), "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames,width,height,pix_fmt,codec_name", "-of", "default=noprint_wrappers=1",
                r.file().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("codec_name=h264"), out);
        assertTrue(out.contains("pix_fmt=yuv420p"), out);
        assertTrue(out.contains("width=" + r.width()), out);
        assertTrue(out.contains("height=" + r.height()), out);
        assertTrue(out.contains("nb_read_frames=" + FRAMES), out);
    }

    @Test
    void gifWhenFfmpegIsAbsent(@TempDir Path tmp) throws Exception {
        System.setProperty("eddy.ffmpeg", "none"); // pretend there is no ffmpeg
        Files.writeString(tmp.resolve("v.mp4"), "stale");
        List<String> log = new ArrayList<>();
        Video.Result r = Video.write(tmp.resolve("v"), frames(), 8, log::add);
        assertEquals("gif", r.format());
        assertEquals(tmp.resolve("v.gif"), r.file());
        assertFalse(Files.exists(tmp.resolve("v.mp4")));
        assertEquals(1, log.size());
        assertTrue(log.getFirst().contains("ffmpeg not found"), log.getFirst());
        try (ImageInputStream in = ImageIO.createImageInputStream(r.file().toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertEquals(FRAMES, reader.getNumImages(true));
            BufferedImage f0 = reader.read(0);
            assertEquals(frames().frame(0).getWidth(), f0.getWidth());
            assertTrue(VizTestImages.colours(f0) > 20);
        }
    }
}
