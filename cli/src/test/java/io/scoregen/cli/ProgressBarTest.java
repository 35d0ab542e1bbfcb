package io.scoregen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void advanceClock(double seconds) {
        now.addAndGet((long) (seconds * 1e9));
    }

    @Test
    void plainModePrintsAtIntervalsWithRateAndEta() {
        try (ProgressBar bar = new ProgressBar("train", 100, out, false, now::get)) {
            advanceClock(1);
            bar.advance(10);
            assertEquals("", output(), "nothing before the interval has passed");
            advanceClock(9);
            bar.advance(40);
            // 50 done in 10 s: 5/s, 50 left: 10 s.
            assertEquals("train 50/100 (50%) 5.00/s ETA 10s" + System.lineSeparator(), output());
            advanceClock(5);
            bar.update(100);
            advanceClock(5);
        }
        String[] lines = output().split("\\R");
        assertEquals(2, lines.length, output());
        assertEquals("train 100/100 (100%) 5.00/s in 20s", lines[1]);
    }

    @Test
    void terminalModeRedrawsOneLineInPlace() {
        ProgressBar bar = new ProgressBar("sample", 4, out, true, now::get);
        advanceClock(2);
        bar.advance(1);
        bar.advance(1); // within the redraw interval: not drawn
        advanceClock(2);
        bar.advance(2);
        bar.close();
        String text = output();
        assertEquals(3, text.split("\r", -1).length - 1, "two redraws and the final line: " + text);
        assertTrue(text.contains("\rsample [#######.......................] 1/4 (25%) 0.50/s ETA 6s"), text);
        assertTrue(text.endsWith(System.lineSeparator()), "the final line ends the terminal line");
        assertTrue(text.strip().endsWith("4/4 (100%) 1.00/s in 4s"), text);
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), "a single terminal line");
    }

    @Test
    void formatsDurations() {
        assertEquals("45s", ProgressBar.duration(45.2));
        assertEquals("3m07s", ProgressBar.duration(187));
        assertEquals("2h05m", ProgressBar.duration(2 * 3600 + 5 * 60 + 30));
    }
}
