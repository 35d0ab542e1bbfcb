package io.scoregen.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long loop: done/total, rate and estimated time left. On a terminal, one line redrawn in place at most
 * every {@link #REDRAW_NANOS}; elsewhere (logs, pipes), one plain line every {@link #PLAIN_INTERVAL_NANOS}.
 * {@link #close()} prints the final line.
 */
public final class ProgressBar implements AutoCloseable {

    static final long REDRAW_NANOS = 100_000_000L;
    static final long PLAIN_INTERVAL_NANOS = 10_000_000_000L;
    private static final int BAR_WIDTH = 30;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long start;
    private long done;
    private long lastPrinted;
    private int lastWidth;

    ProgressBar(String label, long total, PrintStream out, boolean terminal, LongSupplier nanoClock) {
        if (total <= 0) {
            throw new IllegalArgumentException("progress total must be positive, got " + total);
        }
        this.label = label;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        this.clock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.lastPrinted = start;
    }

    /** A bar on standard error: redrawn in place on a console, plain periodic lines otherwise. */
    public static ProgressBar start(String label, long total) {
        return new ProgressBar(label, total, System.err, System.console() != null, System::nanoTime);
    }

    /** Records {@code steps} more units of work. */
    public void advance(long steps) {
        update(done + steps);
    }

    /** Records that {@code completed} units of work are done. */
    public void update(long completed) {
        done = Math.min(Math.max(completed, 0), total);
        long now = clock.getAsLong();
        if (now - lastPrinted >= (terminal ? REDRAW_NANOS : PLAIN_INTERVAL_NANOS)) {
            print(now, false);
        }
    }

    @Override
    public void close() {
        print(clock.getAsLong(), true);
    }

    private void print(long now, boolean last) {
        lastPrinted = now;
        String line = line(now, last);
        if (terminal) {
            // Pad over the previous, possibly longer, line.
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length()))
                    + (last ? System.lineSeparator() : ""));
            lastWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    String line(long now, boolean last) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder text = new StringBuilder(label).append(' ');
        if (terminal) {
            int filled = (int) (BAR_WIDTH * done / total);
            text.append('[')
                    .append("#".repeat(filled))
                    .append(".".repeat(BAR_WIDTH - filled))
                    .append("] ");
        }
        text.append(done)
                .append('/')
                .append(total)
                .append(String.format(Locale.ROOT, " (%.0f%%) %.2f/s", 100.0 * done / total, rate));
        if (last) {
            text.append(" in ").append(duration(seconds));
        } else if (rate > 0) {
            text.append(" ETA ").append(duration((total - done) / rate));
        }
        return text.toString();
    }

    /** {@code 45s}, {@code 3m07s}, {@code 2h05m}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
