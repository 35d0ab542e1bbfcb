package io.scoregen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.scoregen.job.Limits;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngImagesTest {

    @TempDir
    Path dir;

    @Test
    void loadsGreyImagesInNameOrderScaledToUnit() throws IOException {
        write(grey(3, 2, 10), dir.resolve("b.png"));
        write(grey(3, 2, 200), dir.resolve("a.png"));
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        DataSet set = DataSets.load(dir.toString());
        assertEquals(2, set.size());
        assertEquals(new Shape(1, 2, 3), set.exampleShape());
        assertEquals(ValueRange.UNIT, set.range());
        // a.png first: pixel (x, y) holds base + 10·y + x.
        assertArrayEquals(
                new float[] {200 / 255f, 201 / 255f, 202 / 255f, 210 / 255f, 211 / 255f, 212 / 255f},
                set.example(0),
                1e-7f);
        assertEquals(10 / 255f, set.example(1)[0], 1e-7f);
    }

    @Test
    void loadsRgbAsThreePlanes() throws IOException {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0x102030);
        rgb.setRGB(1, 0, 0xff0080);
        write(rgb, dir.resolve("x.png"));
        DataSet set = PngImages.fromDirectory(dir);
        assertEquals(new Shape(3, 1, 2), set.exampleShape());
        assertArrayEquals(
                new float[] {0x10 / 255f, 1f, 0x20 / 255f, 0f, 0x30 / 255f, 0x80 / 255f}, set.example(0), 1e-7f);
    }

    @Test
    void loadsPngsFromAZip() throws IOException {
        Path zip = dir.resolve("images.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < 3; i++) {
                out.putNextEntry(new ZipEntry("set/img" + i + ".png"));
                out.write(pngBytes(grey(4, 4, 50 * i)));
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("README"));
            out.write("not an image".getBytes());
            out.closeEntry();
        }
        DataSet set = DataSets.load(zip.toString());
        assertEquals(3, set.size());
        assertEquals(new Shape(1, 4, 4), set.exampleShape());
        assertEquals(100 / 255f, set.example(2)[0], 1e-7f);
    }

    @Test
    void namesTheOddFileWhenSizesOrKindsDiffer() throws IOException {
        write(grey(4, 4, 0), dir.resolve("a.png"));
        write(grey(4, 5, 0), dir.resolve("b.png"));
        IllegalArgumentException size =
                assertThrows(IllegalArgumentException.class, () -> PngImages.fromDirectory(dir));
        assertTrue(size.getMessage().startsWith(dir.resolve("b.png").toString()), size.getMessage());
        assertTrue(size.getMessage().contains("grey 4×5"), size.getMessage());

        Files.delete(dir.resolve("b.png"));
        write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), dir.resolve("c.png"));
        IllegalArgumentException kind =
                assertThrows(IllegalArgumentException.class, () -> PngImages.fromDirectory(dir));
        assertTrue(kind.getMessage().startsWith(dir.resolve("c.png").toString()), kind.getMessage());
        assertTrue(kind.getMessage().contains("RGB 4×4"), kind.getMessage());
    }

    @Test
    void reportsEmptyFoldersUndecodableFilesAndBadZips() throws IOException {
        IllegalArgumentException empty =
                assertThrows(IllegalArgumentException.class, () -> PngImages.fromDirectory(dir));
        assertTrue(empty.getMessage().contains("no .png images"), empty.getMessage());

        Files.writeString(dir.resolve("fake.png"), "this is not a PNG");
        IllegalArgumentException fake =
                assertThrows(IllegalArgumentException.class, () -> PngImages.fromDirectory(dir));
        assertTrue(fake.getMessage().startsWith(dir.resolve("fake.png").toString()), fake.getMessage());

        Path zip = dir.resolve("broken.zip");
        Files.writeString(zip, "not a zip");
        IllegalArgumentException badZip =
                assertThrows(IllegalArgumentException.class, () -> DataSets.load(zip.toString()));
        assertTrue(badZip.getMessage().startsWith(zip.toString()), badZip.getMessage());
    }

    /**
     * A 20000×20000 PNG is refused from its IHDR: the zip is a few kilobytes, the decoded image would be 400 M pixels
     * (the old loader allocated it, then its floats).
     */
    @Test
    void anImageOverThePixelBudgetIsRefusedFromItsHeader() throws IOException {
        int side = 20_000;
        Path zip = dir.resolve("bomb.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("huge.png"));
            out.write(greyPngHeaderAndOneRow(side, side));
            out.closeEntry();
        }
        assertTrue(Files.size(zip) < 64 * 1024, "small on disk: " + Files.size(zip));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSets.load(zip.toString()));
        long pixels = (long) side * side;
        assertEquals(
                zip + "!huge.png: too large: image of 20000×20000 = " + pixels + " pixels, the budget is "
                        + Limits.MAX_IMAGE_PIXELS,
                e.getMessage());
    }

    /**
     * Images each within the pixel budget but together over the float budget are refused at the first one, before the
     * data set's array is allocated: 2048×2048 grey is 2^22 values, so 2^26 / 2^22 + 1 = 17 of them are too many.
     */
    @Test
    void imagesTogetherOverTheFloatBudgetAreRefusedBeforeTheArrayIsAllocated() throws IOException {
        int side = 2048;
        int count = Math.toIntExact(Limits.MAX_FLOATS / ((long) side * side) + 1);
        byte[] png = pngBytes(grey(side, side, 0));
        Path zip = dir.resolve("many.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < count; i++) {
                out.putNextEntry(new ZipEntry("img" + i + ".png"));
                out.write(png);
                out.closeEntry();
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSets.load(zip.toString()));
        assertEquals(
                zip + ": too large: " + count + " images of grey 2048×2048 are " + (long) count * side * side
                        + " values, the budget is " + Limits.MAX_FLOATS,
                e.getMessage());
    }

    /** A zip's entry count is read from its central directory and refused over the budget. */
    @Test
    void aZipOfMoreEntriesThanTheBudgetIsRefused() throws IOException {
        Path zip = dir.resolve("entries.zip");
        try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(zip)))) {
            out.setLevel(0);
            for (int i = 0; i <= Limits.MAX_IMAGES; i++) {
                out.putNextEntry(new ZipEntry(i + ".png"));
                out.closeEntry();
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PngImages.fromZip(zip));
        assertEquals(
                zip + ": too large: more than " + Limits.MAX_IMAGES + " entries (the budget is " + Limits.MAX_IMAGES
                        + ")",
                e.getMessage());
    }

    /** An 8-bit grey PNG whose IHDR says {@code width}×{@code height}, with the pixel data of one row only. */
    private static byte[] greyPngHeaderAndOneRow(int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put(new byte[] {8, 0, 0, 0, 0});
        chunk(png, "IHDR", ihdr.array());
        ByteArrayOutputStream row = new ByteArrayOutputStream();
        try (DeflaterOutputStream zlib = new DeflaterOutputStream(row)) {
            zlib.write(new byte[1 + width]); // filter byte 0, then a row of black
        }
        chunk(png, "IDAT", row.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A grey image whose pixel (x, y) is {@code base + 10·y + x}. */
    static BufferedImage grey(int width, int height, int base) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, base + 10 * y + x);
            }
        }
        return image;
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        assertTrue(ImageIO.write(image, "png", file.toFile()));
    }

    private static byte[] pngBytes(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = bytes) {
            ImageIO.write(image, "png", out);
        }
        return bytes.toByteArray();
    }
}
