package io.lb4j.examples;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Draws the algorithm lab's results as PNG files with JFreeChart, without a display (it sets
 * {@code java.awt.headless} before touching AWT). Stateless.
 */
final class LabCharts {
  static final String P99_FILE = "p99.png";
  static final String LOAD_SHARE_FILE = "load-share.png";
  private static final int WIDTH = 900;

  private LabCharts() {}

  /** Writes both charts into {@code dir}, creating it, and returns their paths. */
  static List<Path> write(List<LabResult> results, List<String> backendLabels, String subtitle, Path dir)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    Path p99 = dir.resolve(P99_FILE);
    Path share = dir.resolve(LOAD_SHARE_FILE);
    save(p99Chart(results, subtitle), p99, results.size());
    save(loadShareChart(results, backendLabels, subtitle), share, results.size());
    return List.of(p99, share);
  }

  private static JFreeChart p99Chart(List<LabResult> results, String subtitle) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (LabResult result : results) {
      data.addValue(result.latencyMillis(50), "p50", result.algorithm());
      data.addValue(result.latencyMillis(99), "p99", result.algorithm());
    }
    JFreeChart chart = ChartFactory.createBarChart("p50 and p99 latency per algorithm (lower is better)", null,
        "milliseconds", data, PlotOrientation.HORIZONTAL, true, false, false);
    styled(chart, subtitle);
    return chart;
  }

  private static JFreeChart loadShareChart(
      List<LabResult> results, List<String> backendLabels, String subtitle) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (LabResult result : results) {
      for (int b = 0; b < result.backends(); b++) {
        data.addValue(100 * result.share(b), backendLabels.get(b), result.algorithm());
      }
    }
    JFreeChart chart = ChartFactory.createStackedBarChart("Load share per backend (% of requests)",
        null, "% of requests", data, PlotOrientation.HORIZONTAL, true, false, false);
    styled(chart, subtitle);
    ((CategoryPlot) chart.getPlot()).getRangeAxis().setRange(0, 100);
    return chart;
  }

  private static void styled(JFreeChart chart, String subtitle) {
    chart.addSubtitle(new TextTitle(subtitle));
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = (CategoryPlot) chart.getPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
  }

  private static void save(JFreeChart chart, Path file, int categories) throws IOException {
    int height = 160 + 40 * categories;
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, height);
  }
}
