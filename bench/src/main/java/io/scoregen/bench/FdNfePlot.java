package io.scoregen.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * FD against NFE on a log axis, one line per sampler (a row's label without its step count), the real-data floor as a
 * dashed line: the picture of {@link SamplerTable}.
 */
final class FdNfePlot {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 480;
    private static final int LEFT = 70;
    private static final int RIGHT = 150;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final Color[] COLOURS = {
        new Color(0x1f77b4),
        new Color(0xd62728),
        new Color(0x2ca02c),
        new Color(0x9467bd),
        new Color(0xff7f0e),
        new Color(0x8c564b),
        new Color(0x17becf)
    };

    private FdNfePlot() {}

    static void write(Path file, String title, List<SamplerTable.Measured> rows) throws IOException {
        Map<String, List<SamplerTable.Measured>> series = new LinkedHashMap<>();
        double floor = Double.NaN;
        double minNfe = Double.MAX_VALUE;
        double maxNfe = 0;
        double maxFd = 0;
        for (SamplerTable.Measured m : rows) {
            if (m.summary() == null) {
                floor = m.small().fd();
                continue;
            }
            // the label without its step count or tolerance: "heun 18 churn 30" is on the line "heun churn 30"
            String[] words = m.label().split(" ");
            String type = words[0]
                    + (words.length > 2 ? " " + String.join(" ", List.of(words).subList(2, words.length)) : "");
            series.computeIfAbsent(type, k -> new ArrayList<>()).add(m);
            minNfe = Math.min(minNfe, m.summary().nfe());
            maxNfe = Math.max(maxNfe, m.summary().nfe());
            maxFd = Math.max(maxFd, m.small().fd());
        }
        double logMin = Math.floor(Math.log10(minNfe));
        double logMax = Math.ceil(Math.log10(maxNfe));
        double yMax = niceCeiling(maxFd);

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString(title, LEFT, TOP - 15);
        g.drawString("score evaluations per sample (NFE, log scale)", LEFT + plotW / 2 - 130, HEIGHT - 12);
        g.drawString("FD", 20, TOP + plotH / 2);
        for (double e = logMin; e <= logMax; e++) {
            int x = x(Math.pow(10, e), logMin, logMax, plotW);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.BLACK);
            g.drawString(String.valueOf((long) Math.pow(10, e)), x - 10, TOP + plotH + 18);
        }
        for (int i = 0; i <= 5; i++) {
            double fd = yMax * i / 5;
            int y = y(fd, yMax, plotH);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.3g", fd), 25, y + 4);
        }
        if (!Double.isNaN(floor)) {
            int y = y(floor, yMax, plotH);
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {6, 4}, 0));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.drawString("real data", LEFT + plotW + 8, y + 4);
        }
        int legend = 0;
        for (Map.Entry<String, List<SamplerTable.Measured>> s : series.entrySet()) {
            Color colour = COLOURS[legend % COLOURS.length];
            g.setColor(colour);
            g.setStroke(new BasicStroke(2));
            int[] xs = s.getValue().stream()
                    .mapToInt(m -> x(m.summary().nfe(), logMin, logMax, plotW))
                    .toArray();
            int[] ys = s.getValue().stream()
                    .mapToInt(m -> y(m.small().fd(), yMax, plotH))
                    .toArray();
            g.drawPolyline(xs, ys, xs.length);
            for (int i = 0; i < xs.length; i++) {
                g.fillOval(xs[i] - 4, ys[i] - 4, 8, 8);
            }
            int ly = TOP + 20 + 20 * legend++;
            g.fillOval(LEFT + plotW + 12, ly - 8, 8, 8);
            g.drawString(s.getKey(), LEFT + plotW + 26, ly);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static int x(double nfe, double logMin, double logMax, int plotW) {
        return LEFT + (int) Math.round((Math.log10(nfe) - logMin) / (logMax - logMin) * plotW);
    }

    private static int y(double fd, double yMax, int plotH) {
        return TOP + plotH - (int) Math.round(fd / yMax * plotH);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code x}. */
    private static double niceCeiling(double x) {
        double power = Math.pow(10, Math.floor(Math.log10(x)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= x) {
                return m * power;
            }
        }
        return 10 * power;
    }
}
