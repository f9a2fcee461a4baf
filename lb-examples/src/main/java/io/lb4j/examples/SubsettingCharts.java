package io.lb4j.examples;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/** Draws {@link SubsettingLab}'s comparison as one PNG, headless. Stateless. */
final class SubsettingCharts {
  static final String FILE = "subsetting.png";

  private SubsettingCharts() {}

  /** Writes the chart into {@code dir}, creating it, and returns its path. */
  static Path write(List<SubsettingLab.Result> results, String subtitle, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (SubsettingLab.Result r : results) {
      String scheme = String.format(Locale.ROOT, "%s, %.0f conn./instance", r.scheme(),
          r.connectionsMean());
      data.addValue(r.connectionsMax() / r.connectionsMean(), "connections per instance, max/mean", scheme);
      data.addValue(r.requestsMax() / r.requestsMean(), "requests per instance, max/mean", scheme);
      data.addValue(1 + (double) r.instanceLeaveMoved() / r.assignments(),
          "1 + share of assignments moved when one instance leaves", scheme);
      data.addValue(1 + (double) r.clientLeaveMoved() / r.assignments(),
          "1 + share of assignments moved when one client leaves", scheme);
    }
    JFreeChart chart = ChartFactory.createBarChart("Subsetting: balance and stability (1.0 is ideal)",
        null, "ratio", data, PlotOrientation.HORIZONTAL, true, false, false);
    chart.addSubtitle(new TextTitle(subtitle));
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = (CategoryPlot) chart.getPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.getRangeAxis().setLowerBound(0.9);
    plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.35f);
    plot.getDomainAxis().setMaximumCategoryLabelLines(2);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    Path file = dir.resolve(FILE);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 200 + 110 * results.size());
    return file;
  }
}
