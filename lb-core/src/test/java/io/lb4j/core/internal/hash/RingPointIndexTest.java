package io.lb4j.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The indexed ring lookup must give exactly the point the plain binary search gave before it (keys
 * keep their endpoints across versions), for any sorted points, including duplicates, clusters that
 * fill one bucket, the extremes of the signed range and values on bucket edges.
 */
class RingPointIndexTest {
  private static final long[] EXTREMES = {
    0, -1, 1, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, Long.MAX_VALUE - 1
  };

  /** How the generated points are spread over the 64-bit space. */
  enum Shape { UNIFORM, CLUSTERED, FEW_DISTINCT, EXTREMES_AND_BUCKET_EDGES }

  /** The reference: the first index whose point is ≥ hash (signed), or points.length. */
  private static int referenceFirstAtOrAfter(long[] points, long hash) {
    int lo = 0;
    int hi = points.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (points[mid] < hash) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static Gen<Integer> pointCounts() {
    return arbitrary().pick(1, 2, 3, 4, 15, 16, 17, 255, 4096, 160_000)
        .mix(integers().between(0, 5000), 60);
  }

  /** A value on the edge of bucket {@code bucket} of a {@code bits}-bit index, shifted by delta. */
  private static long bucketEdge(int bits, long bucket, long delta) {
    return ((bucket << (Long.SIZE - bits)) ^ Long.MIN_VALUE) + delta;
  }

  private static long[] sortedPoints(int count, long seed, Shape shape) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] points = new long[count];
    long center = random.nextLong();
    long[] pool = random.longs(1 + random.nextInt(4)).toArray();
    for (int i = 0; i < count; i++) {
      switch (shape) {
        case UNIFORM -> points[i] = random.nextLong();
        case CLUSTERED -> points[i] = center + random.nextLong(1L << 30);
        case FEW_DISTINCT -> points[i] = pool[random.nextInt(pool.length)];
        case EXTREMES_AND_BUCKET_EDGES -> {
          int bits = 1 + random.nextInt(RingPointIndex.MAX_BUCKET_BITS);
          points[i] = random.nextInt(4) == 0
              ? EXTREMES[random.nextInt(EXTREMES.length)]
              : bucketEdge(bits, random.nextLong(1L << bits), random.nextInt(3) - 1);
        }
      }
    }
    Arrays.sort(points);
    return points;
  }

  /** The extremes, every point and its neighbours, every bucket's edges (sampled if many), noise. */
  private static long[] probes(long[] points, int buckets, long seed) {
    SplittableRandom random = new SplittableRandom(~seed);
    int bits = Integer.numberOfTrailingZeros(buckets);
    int edgeSamples = Math.min(buckets, 512);
    long[] probes = new long[EXTREMES.length + 3 * points.length + 3 * edgeSamples + 256];
    int p = 0;
    for (long extreme : EXTREMES) {
      probes[p++] = extreme;
    }
    for (long point : points) {
      probes[p++] = point - 1;
      probes[p++] = point;
      probes[p++] = point + 1;
    }
    for (int i = 0; i < edgeSamples; i++) {
      long bucket = buckets <= 512 ? i : random.nextLong(buckets);
      for (long delta = -1; delta <= 1; delta++) {
        probes[p++] = bucketEdge(bits, bucket, delta);
      }
    }
    while (p < probes.length) {
      probes[p++] = random.nextLong();
    }
    return probes;
  }

  @Test
  void indexedLookupFindsTheSamePointAsAPlainBinarySearch() {
    qt().withFixedSeed(20261128L).withExamples(400)
        .forAll(pointCounts(), longs().all(), arbitrary().enumValues(Shape.class))
        .checkAssert((count, seed, shape) -> {
          long[] points = sortedPoints(count, seed, shape);
          RingPointIndex index = new RingPointIndex(points);
          for (long hash : probes(points, index.buckets(), seed)) {
            int expected = referenceFirstAtOrAfter(points, hash);
            if (index.firstAtOrAfter(hash) != expected) {
              assertThat(index.firstAtOrAfter(hash))
                  .as("hash %d over %d %s points", hash, count, shape).isEqualTo(expected);
            }
          }
        });
  }

  @Test
  void anEmptyIndexFindsNothing() {
    RingPointIndex index = new RingPointIndex(new long[0]);
    for (long hash : EXTREMES) {
      assertThat(index.firstAtOrAfter(hash)).isZero();
    }
  }

  @Test
  void bucketCountIsTheLargestPowerOfTwoNotAboveThePointCountWithinOneToTwentyBits() {
    assertThat(new RingPointIndex(new long[0]).buckets()).isEqualTo(2);
    assertThat(new RingPointIndex(new long[1]).buckets()).isEqualTo(2);
    assertThat(new RingPointIndex(new long[3]).buckets()).isEqualTo(2);
    assertThat(new RingPointIndex(new long[4]).buckets()).isEqualTo(4);
    assertThat(new RingPointIndex(new long[160_000]).buckets()).isEqualTo(1 << 17);
    assertThat(new RingPointIndex(new long[HashRing.MAX_POINTS]).buckets()).isEqualTo(1 << 20);
    assertThat(new RingPointIndex(new long[2 * HashRing.MAX_POINTS]).buckets()).isEqualTo(1 << 20);
  }

  private static HashRing ring(int endpoints, int vnodesPerWeight, int maxWeight, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Endpoint> list = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      list.add(Endpoint.builder("10.9." + (i >> 8) + "." + (i & 255), 8000 + random.nextInt(1000))
          .weight(1 + random.nextInt(maxWeight)).build());
    }
    return new HashRing(Candidates.of(list), vnodesPerWeight);
  }

  /** The ring's lookup wraps past its largest point to point 0, as the plain search did. */
  private static void assertRingMatchesReference(HashRing ring, long seed) {
    long[] points = new long[ring.size()];
    for (int i = 0; i < points.length; i++) {
      points[i] = ring.hashOf(i);
    }
    for (long hash : probes(points, new RingPointIndex(points).buckets(), seed)) {
      int expected = referenceFirstAtOrAfter(points, hash);
      expected = expected == points.length ? 0 : expected;
      if (ring.pointFor(hash) != expected) {
        assertThat(ring.pointFor(hash)).as("hash %d over %d points", hash, points.length)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void ringLookupWrapsAndMatchesAPlainBinarySearchForRandomRings() {
    qt().withFixedSeed(20261129L).withExamples(40)
        .forAll(integers().between(1, 300), integers().between(1, 100), longs().all())
        .checkAssert((endpoints, vnodes, seed) ->
            assertRingMatchesReference(ring(endpoints, vnodes, 4, seed), seed));
  }

  @Test
  void aThousandEndpointRingOfDefaultSizeMatchesAPlainBinarySearch() {
    HashRing ring = ring(1000, 160, 1, 7L);
    assertThat(ring.size()).isEqualTo(160_000);
    assertRingMatchesReference(ring, 7L);
  }
}
