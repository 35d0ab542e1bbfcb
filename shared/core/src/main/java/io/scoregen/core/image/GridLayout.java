package io.scoregen.core.image;

/**
 * Where {@code count} tiles of {@code tileWidth × tileHeight} pixels go in a grid: by default near-square
 * ({@code ceil(sqrt(count))} columns), as many rows as needed, {@link #PADDING} pixels around and between tiles, filled
 * row by row.
 */
public record GridLayout(int count, int columns, int rows, int tileWidth, int tileHeight) {

    public static final int PADDING = 2;

    public static GridLayout of(int count, int tileWidth, int tileHeight) {
        return of(count, squareColumns(count), tileWidth, tileHeight);
    }

    /** The columns of a near-square grid of {@code count} tiles. */
    public static int squareColumns(int count) {
        return (int) Math.ceil(Math.sqrt(Math.max(count, 1)));
    }

    /** {@code columns} tiles a row (one row per class, one column per task's panel). */
    public static GridLayout of(int count, int columns, int tileWidth, int tileHeight) {
        if (count <= 0 || columns <= 0 || tileWidth <= 0 || tileHeight <= 0) {
            throw new IllegalArgumentException("grid needs a positive count, columns and tile size, got " + count
                    + " tiles in " + columns + " columns of " + tileWidth + "×" + tileHeight);
        }
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
