package io.scoregen.platform.messages;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A training job's loss over its steps, bounded: once {@link #MAX_POINTS} points are held, every other point is dropped
 * and from then on only every other reported point is taken (the stride doubles), so a curve of any length costs at
 * most {@link #MAX_POINTS} points and stays evenly thinned. The first point and the latest one are always kept.
 *
 * <p>Only steps beyond the latest one extend the curve (a report for the latest step replaces its loss), so the curve
 * is ascending and replaying reports changes nothing. Not thread-safe.
 */
public final class LossCurve {

    /** Most points {@link #points} returns. */
    public static final int MAX_POINTS = 512;

    /** One point, written as {@code [step, loss]}. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"step", "loss"})
    public record Point(long step, double loss) {}

    /** The sampled points, ascending; one short of the limit, leaving room for the latest point. */
    private final List<Point> sampled = new ArrayList<>();

    private long stride = 1;
    private long taken;
    private Point latest;

    public void add(long step, double loss) {
        if (latest != null && step < latest.step()) {
            return;
        }
        Point point = new Point(step, loss);
        if (latest != null && step == latest.step()) {
            latest = point;
            int last = sampled.size() - 1;
            if (sampled.get(last).step() == step) {
                sampled.set(last, point);
            }
            return;
        }
        latest = point;
        if (taken++ % stride == 0) {
            sampled.add(point);
            if (sampled.size() > MAX_POINTS - 1) {
                decimate();
            }
        }
    }

    /** Keeps the points at even positions (the first among them) and takes every other report from now on. */
    private void decimate() {
        List<Point> kept = new ArrayList<>(sampled.size() / 2 + 1);
        for (int i = 0; i < sampled.size(); i += 2) {
            kept.add(sampled.get(i));
        }
        sampled.clear();
        sampled.addAll(kept);
        stride *= 2;
    }

    /** At most {@link #MAX_POINTS} points, ascending by step, the first and the latest reported among them. */
    public List<Point> points() {
        List<Point> points = new ArrayList<>(sampled);
        if (latest != null && points.get(points.size() - 1).step() != latest.step()) {
            points.add(latest);
        }
        return List.copyOf(points);
    }
}
