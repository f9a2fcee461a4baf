package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's Java blocks marked {@code <!-- snippet: Name -->} are, line for line, the regions
 * {@code // snippet: Name} ... {@code // end snippet} of this project's sources (which the build
 * compiles), and no source here reaches into an lb4j {@code internal} package.
 */
class ReadmeSnippetsSyncTest {
  private static final Path README = Path.of(System.getProperty("lb4j.readme", "../../README.md"));
  private static final Pattern INTERNAL = Pattern.compile("io\\.lb4j\\.[\\w.]*internal\\b");
  private static final Path SOURCES = Path.of(System.getProperty("consumer.sources", "src"));

  @Test
  void everyMarkedReadmeSnippetIsVerbatimTheCompiledCopy() throws IOException {
    Map<String, String> readme = readmeSnippets(Files.readAllLines(README));
    Map<String, String> compiled = sourceRegions();

    assertFalse(readme.isEmpty(), "no <!-- snippet: Name --> marker in " + README);
    assertEquals(readme.keySet(), compiled.keySet(), "README markers vs. source regions");
    readme.forEach((name, text) ->
        assertEquals(text, compiled.get(name), "README snippet " + name + " differs from its copy"));
  }

  @Test
  void noConsumerSourceUsesAnInternalPackage() {
    for (Path file : javaFiles()) {
      assertFalse(INTERNAL.matcher(read(file)).find(), file + " uses an lb4j internal package");
    }
  }

  private static Map<String, String> readmeSnippets(List<String> lines) {
    Map<String, String> snippets = new TreeMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (!line.startsWith("<!-- snippet:")) {
        continue;
      }
      String name = line.substring("<!-- snippet:".length(), line.length() - "-->".length()).trim();
      assertEquals("```java", lines.get(i + 1), "a ```java block follows the marker " + name);
      List<String> block = new ArrayList<>();
      int j = i + 2;
      while (!lines.get(j).equals("```")) {
        block.add(lines.get(j++));
      }
      assertEquals(null, snippets.put(name, String.join("\n", block)), "marker " + name + " twice");
    }
    return snippets;
  }

  private static Map<String, String> sourceRegions() {
    Map<String, String> regions = new TreeMap<>();
    for (Path file : javaFiles()) {
      List<String> lines = List.of(read(file).split("\n", -1));
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).trim();
        if (!line.startsWith("// snippet:")) {
          continue;
        }
        String name = line.substring("// snippet:".length()).trim();
        int indent = lines.get(i).indexOf('/');
        List<String> region = new ArrayList<>();
        int j = i + 1;
        while (!lines.get(j).trim().equals("// end snippet")) {
          String l = lines.get(j++);
          region.add(l.isBlank() ? "" : l.substring(Math.min(indent, l.length() - l.stripLeading().length())));
        }
        assertEquals(null, regions.put(name, String.join("\n", region)), "region " + name + " twice");
      }
    }
    return regions;
  }

  private static List<Path> javaFiles() {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
