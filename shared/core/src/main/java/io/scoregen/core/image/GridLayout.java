package io.scoregen.core.image;

/**
 * Where {@code count} tiles of {@code tileWidth × tileHeight} pixels go in a near-square grid:
 * {@code ceil(sqrt(count))} columns, as many rows as needed, {@link #PADDING} pixels around and between tiles, filled
 * row by row.
 */
public record GridLayout(int count, int columns, int rows, int tileWidth, int tileHeight) {

    public static final int PADDING = 2;

    public static GridLayout of(int count, int tileWidth, int tileHeight) {
        if (count <= 0 || tileWidth <= 0 || tileHeight <= 0) {
            throw new IllegalArgumentException("grid needs a positive count and tile size, got " + count + " tiles of "
                    + tileWidth + "×" + tileHeight);
        }
        int columns = (int) Math.ceil(Math.sqrt(count));
        int rows = (count + columns - 1) / columns;
        return new GridLayout(count, columns, rows, tileWidth, tileHeight);
    }

    public int width() {
        return columns * (tileWidth + PADDING) + PADDING;
    }

    public int height() {
        return rows * (tileHeight + PADDING) + PADDING;
    }

    /** Left edge of tile {@code index}. */
    public int x(int index) {
        return PADDING + (index % columns) * (tileWidth + PADDING);
    }

    /** Top edge of tile {@code index}. */
    public int y(int index) {
        return PADDING + (index / columns) * (tileHeight + PADDING);
    }
}
