package io.scoregen.core.degrade;

import io.scoregen.core.data.ValueRange;
import io.scoregen.job.ImageToImageTask;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Palette's JPEG restoration: the image quantised to 8 bits and compressed by the JDK's JPEG writer at a quality q
 * drawn uniformly from {@value #MIN_QUALITY} to {@value #MAX_QUALITY} (ImageIO's compression quality q/100), then
 * decoded. Grey images (1 channel) or RGB (3).
 */
public final class JpegCompression implements Degradation {

    public static final int MIN_QUALITY = 5;
    public static final int MAX_QUALITY = 50;

    @Override
    public Degraded apply(float[] clean, ImageSize size, ValueRange range, SplittableRandom rng) {
        int quality = MIN_QUALITY + rng.nextInt(MAX_QUALITY - MIN_QUALITY + 1);
        return new Degraded(compress(clean, size, range, quality), null, ImageToImageTask.JPEG);
    }

    /** {@code clean} through JPEG at {@code quality} (1 … 100), back in {@code range}. */
    public static float[] compress(float[] clean, ImageSize size, ValueRange range, int quality) {
        int c = size.channels();
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("JPEG takes 1 or 3 channels, got " + c);
        }
        BufferedImage image = new BufferedImage(
                size.width(), size.height(), c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < size.height(); y++) {
            for (int x = 0; x < size.width(); x++) {
                for (int ch = 0; ch < c; ch++) {
                    float v = range.mapTo(ValueRange.UNIT, clean[ch * size.pixels() + y * size.width() + x]);
                    raster.setSample(x, y, ch, Math.max(0, Math.min(255, Math.round(v * 255))));
                }
            }
        }
        Raster decoded = decode(encode(image, quality)).getRaster();
        float[] out = new float[size.values()];
        for (int y = 0; y < size.height(); y++) {
            for (int x = 0; x < size.width(); x++) {
                for (int ch = 0; ch < c; ch++) {
                    out[ch * size.pixels() + y * size.width() + x] =
                            ValueRange.UNIT.mapTo(range, decoded.getSample(x, y, ch) / 255f);
                }
            }
        }
        return out;
    }

    private static byte[] encode(BufferedImage image, int quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static BufferedImage decode(byte[] jpeg) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (image == null) {
                throw new IllegalStateException("the JDK's JPEG reader could not read its writer's output");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
