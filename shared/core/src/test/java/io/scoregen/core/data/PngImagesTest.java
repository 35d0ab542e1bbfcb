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
import java.util.List;
import java.util.Map;
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
        assertTrue(set.labels().isEmpty(), "one top-level folder is the zipped folder, not a class");
    }

    /**
     * Class sub-folders label their images: classes sorted by name, examples in path order; a folder without PNGs is no
     * class, and other files are ignored.
     */
    @Test
    void classSubFoldersLabelTheirImages() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        write(grey(2, 2, 10), Files.createDirectories(root.resolve("sneaker")).resolve("b.png"));
        write(grey(2, 2, 20), root.resolve("sneaker/a.png"));
        write(grey(2, 2, 30), Files.createDirectories(root.resolve("bag")).resolve("x.png"));
        write(
                grey(2, 2, 40),
                Files.createDirectories(root.resolve("ankle-boot")).resolve("z.png"));
        Files.writeString(root.resolve("bag/notes.txt"), "ignored");
        Files.createDirectories(root.resolve("empty"));
        DataSet set = DataSets.load(root.toString());
        assertEquals(
                List.of("ankle-boot", "bag", "sneaker"),
                set.classes().orElseThrow().names());
        // ankle-boot/z.png, bag/x.png, sneaker/a.png, sneaker/b.png
        assertArrayEquals(new int[] {0, 1, 2, 2}, set.labels().orElseThrow());
        assertEquals(40 / 255f, set.example(0)[0], 1e-7f);
        assertEquals(30 / 255f, set.example(1)[0], 1e-7f);
        assertEquals(20 / 255f, set.example(2)[0], 1e-7f);
        assertEquals(10 / 255f, set.example(3)[0], 1e-7f);
    }

    @Test
    void imagesInTheRootAloneStayUnlabelled() throws IOException {
        write(grey(2, 2, 10), dir.resolve("a.png"));
        Files.createDirectories(dir.resolve("no-images"));
        DataSet set = PngImages.fromDirectory(dir);
        assertTrue(set.labels().isEmpty());
        assertTrue(set.classes().isEmpty());
    }

    /** A zip's class folders label as a directory's do, at its top level or under one top-level folder. */
    @Test
    void aZipsClassFoldersLabelItsImages() throws IOException {
        Path wrapped = zip(
                "wrapped.zip",
                Map.of(
                        "data/t-shirt/1.png",
                        10,
                        "data/bag/2.png",
                        20,
                        "data/bag/3.png",
                        30,
                        "__MACOSX/data/._x.png",
                        0));
        DataSet set = DataSets.load(wrapped.toString());
        assertEquals(List.of("bag", "t-shirt"), set.classes().orElseThrow().names());
        assertArrayEquals(new int[] {0, 0, 1}, set.labels().orElseThrow());
        assertEquals(30 / 255f, set.example(1)[0], 1e-7f);
        assertEquals(10 / 255f, set.example(2)[0], 1e-7f);

        Path top = zip("top.zip", Map.of("sneaker/1.png", 10, "bag/2.png", 20));
        DataSet atTop = DataSets.load(top.toString());
        assertEquals(List.of("bag", "sneaker"), atTop.classes().orElseThrow().names());
        assertArrayEquals(new int[] {0, 1}, atTop.labels().orElseThrow());
        assertEquals(10 / 255f, atTop.example(1)[0], 1e-7f);
    }

    @Test
    void rootImagesBesideClassFoldersDeeperNestingAndBadFolderNamesAreRefused() throws IOException {
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        write(grey(2, 2, 0), mixed.resolve("loose.png"));
        write(grey(2, 2, 0), Files.createDirectories(mixed.resolve("bag")).resolve("x.png"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PngImages.fromDirectory(mixed));
        assertEquals(
                mixed + ": " + mixed.resolve("loose.png") + " lies in the root but " + mixed.resolve("bag/x.png")
                        + " in a class folder (put every image in a class folder, or none)",
                e.getMessage());

        Path deep = Files.createDirectories(dir.resolve("deep"));
        write(grey(2, 2, 0), Files.createDirectories(deep.resolve("bag")).resolve("x.png"));
        write(grey(2, 2, 0), Files.createDirectories(deep.resolve("bag/small")).resolve("y.png"));
        e = assertThrows(IllegalArgumentException.class, () -> PngImages.fromDirectory(deep));
        assertEquals(
                deep.resolve("bag/small/y.png")
                        + ": nested deeper than one class folder (expected CLASS/IMAGE.png or IMAGE.png)",
                e.getMessage());

        Path named = Files.createDirectories(dir.resolve("named"));
        write(grey(2, 2, 0), Files.createDirectories(named.resolve("Sneaker")).resolve("x.png"));
        e = assertThrows(IllegalArgumentException.class, () -> PngImages.fromDirectory(named));
        assertTrue(e.getMessage().startsWith(named + ": the class folders name the classes: "), e.getMessage());
        assertTrue(e.getMessage().contains("'Sneaker'"), e.getMessage());

        Path zip = zip("mixed.zip", Map.of("a.png", 0, "bag/b.png", 0));
        e = assertThrows(IllegalArgumentException.class, () -> PngImages.fromZip(zip));
        assertTrue(e.getMessage().startsWith(zip + ": " + zip + "!a.png lies in the root"), e.getMessage());
        Path deepZip = zip("deep.zip", Map.of("set/bag/b.png", 0, "set/bag/c/d.png", 0));
        e = assertThrows(IllegalArgumentException.class, () -> PngImages.fromZip(deepZip));
        assertTrue(e.getMessage().startsWith(deepZip + "!set/bag/c/d.png: nested deeper"), e.getMessage());
    }

    /** A zip in {@code dir} of 2×2 grey images, each entry's name mapped to its base value. */
    private Path zip(String name, Map<String, Integer> images) throws IOException {
        Path zip = dir.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, Integer> image : images.entrySet()) {
                out.putNextEntry(new ZipEntry(image.getKey()));
                out.write(pngBytes(grey(2, 2, image.getValue())));
                out.closeEntry();
            }
        }
        return zip;
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
