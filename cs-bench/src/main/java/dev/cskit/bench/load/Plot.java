/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The harness's plot, a PNG made with the JDK alone (headless AWT): calls against loss (left panel) and against
 * the server-side p99 forwarding delay (right panel), both on log scales with the targets dashed, cskit and the
 * relay.
 */
final class Plot {

    private static final int W = 1000;
    private static final int H = 420;
    private static final Color CSKIT = new Color(0xC0392B);
    private static final Color RELAY = new Color(0x2471A3);

    private Plot() {
    }

    static void write(List<Row> rows, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 20, 22);
        int maxCalls = rows.stream().mapToInt(r -> r.calls).max().orElse(1);
        panel(g, rows, 60, "loss % (log; 0 shown as 0.001; dashed: 0.1 %)", maxCalls,
                r -> Math.max(0.001, r.lossPercent), 0.001, 0.1);
        panel(g, rows, W / 2 + 40, "server forwarding p99, ms (log; dashed: 1 ms)", maxCalls,
                r -> Math.max(0.01, r.fwdP99 / 1000), 0.01, 1.0);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(CSKIT);
        g.drawString("■ cskit", W - 240, 22);
        g.setColor(RELAY);
        g.drawString("■ raw UDP relay (floor)", W - 175, 22);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    /** One panel, log scale from {@code floor} up. */
    private static void panel(Graphics2D g, List<Row> rows, int x0, String label, int maxCalls,
                              ToDoubleFunction<Row> y, double floor, double mark) {
        int w = W / 2 - 100;
        int top = 50;
        int h = H - 110;
        double max = Math.max(mark * 2, rows.stream().mapToDouble(y).max().orElse(1));
        double lo = Math.log10(floor);
        double hi = Math.log10(max) + 0.2;
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawRect(x0, top, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(label, x0, top - 8);
        g.drawString("calls", x0 + w / 2 - 15, top + h + 35);
        for (int i = 0; i <= 4; i++) {
            int calls = maxCalls * i / 4;
            int px = x0 + w * i / 4;
            g.drawString(String.valueOf(calls), px - 8, top + h + 16);
        }
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            double shown = Math.pow(10, v);
            g.drawString(String.format(Locale.ROOT, shown < 1 ? "%.3f" : "%.1f", shown), x0 - 48, top + h - h * i / 4 + 4);
        }
        double markY = Math.log10(mark);
        int my = top + h - (int) ((markY - lo) / (hi - lo) * h);
        g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        g.setColor(Color.GRAY);
        g.drawLine(x0, my, x0 + w, my);
        for (String server : List.of("relay", "cskit")) {
            g.setColor(server.equals("cskit") ? CSKIT : RELAY);
            g.setStroke(new BasicStroke(2));
            int px = -1;
            int py = -1;
            for (Row r : rows) {
                if (!r.server.equals(server)) {
                    continue;
                }
                double v = Math.log10(y.applyAsDouble(r));
                int x = x0 + (int) ((double) r.calls / maxCalls * w);
                int yy = top + h - (int) ((Math.min(hi, v) - lo) / (hi - lo) * h);
                g.fillOval(x - 4, yy - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, yy);
                }
                px = x;
                py = yy;
            }
        }
    }
}
