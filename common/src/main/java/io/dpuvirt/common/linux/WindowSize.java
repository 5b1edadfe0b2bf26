package io.dpuvirt.common.linux;

/** struct winsize: a terminal's size in characters (and pixels, usually 0). */
public record WindowSize(int rows, int columns, int xPixels, int yPixels) {
    public WindowSize {
        for (int value : new int[] {rows, columns, xPixels, yPixels}) {
            if (value < 0 || value > 0xffff) {
                throw new IllegalArgumentException("window size values are 0-65535: " + rows + "x" + columns);
            }
        }
    }
}
