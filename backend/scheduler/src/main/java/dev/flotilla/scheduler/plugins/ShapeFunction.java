package dev.flotilla.scheduler.plugins;

import java.util.List;

/**
 * Upstream's broken linear function over a shape: the first point's score below it, the last
 * point's above it, and straight lines (integer arithmetic, as upstream) between neighbouring points.
 */
public record ShapeFunction(List<Point> points) {

    /** A utilization (0..100) and the score (0..100, already scaled from the configured 0..10) there. */
    public record Point(long utilization, long score) {
    }

    public ShapeFunction {
        points = List.copyOf(points);
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a shape needs at least one point");
        }
    }

    public long valueAt(long utilization) {
        for (int i = 0; i < points.size(); i++) {
            Point point = points.get(i);
            if (utilization <= point.utilization()) {
                if (i == 0) {
                    return point.score();
                }
                Point previous = points.get(i - 1);
                return previous.score() + (point.score() - previous.score()) * (utilization - previous.utilization())
                        / (point.utilization() - previous.utilization());
            }
        }
        return points.get(points.size() - 1).score();
    }
}
