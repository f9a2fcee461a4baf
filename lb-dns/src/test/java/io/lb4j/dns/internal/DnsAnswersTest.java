package io.lb4j.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.lb4j.core.Endpoint;
import io.lb4j.core.discovery.RegistryAnswer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;

/** The SRV rules over generated answers, without a network: DnsAnswers is pure. */
class DnsAnswersTest {
  private static final Name SERVICE = Name.fromConstantString("_http._tcp.orders.test.");
  private final DnsAnswers answers = new DnsAnswers("test",
      new TtlBounds(Duration.ofSeconds(1), Duration.ofMinutes(5)));

  /** priority 0..3, weight 0..65535, port 0..3 (0 is invalid), target t0..t3 or "." (index 4). */
  private static Gen<int[]> records() {
    return integers().between(0, 3).zip(integers().between(0, 65_535), integers().between(0, 3),
        integers().between(0, 4), (priority, weight, port, target) ->
            new int[] {priority, weight, port, target});
  }

  private static SRVRecord srv(int[] r) {
    Name target = r[3] == 4 ? Name.root : Name.fromConstantString("t" + r[3] + ".orders.test.");
    return new SRVRecord(SERVICE, DClass.IN, 30, r[0], r[1], r[2], target);
  }

  @Test
  void onlyValidRecordsOfTheLowestPriorityAmongRealTargetsArePublishedWithWeightsInRange() {
    qt().withExamples(300).forAll(lists().of(records()).ofSizeBetween(0, 12))
        .checkAssert(generated -> {
          Message response = new Message();
          for (int[] record : generated) {
            response.addRecord(srv(record), Section.ANSWER);
          }
          RegistryAnswer answer = answers.srv(response);

          int lowest = generated.stream().filter(r -> r[3] != 4).mapToInt(r -> r[0]).min()
              .orElse(-1);
          Set<String> expectedIds = new HashSet<>();
          for (int[] r : generated) {
            if (r[3] != 4 && r[0] == lowest && r[2] > 0) {
              expectedIds.add("t" + r[3] + ".orders.test:" + r[2]);
            }
          }
          assertThat(answer.endpoints()).extracting(Endpoint::id)
              .containsExactlyInAnyOrderElementsOf(expectedIds);
          assertThat(answer.endpoints()).allSatisfy(endpoint ->
              assertThat(endpoint.weight()).isBetween(1, Endpoint.MAX_WEIGHT));
        });
  }

  @Test
  void weightsAreKeptBelowTheMaximumAndScaledInProportionAboveIt() {
    assertThat(DnsAnswers.scaledWeight(0, 100)).isEqualTo(1);
    assertThat(DnsAnswers.scaledWeight(70, 100)).isEqualTo(70);
    assertThat(DnsAnswers.scaledWeight(65_535, 65_535)).isEqualTo(Endpoint.MAX_WEIGHT);
    assertThat(DnsAnswers.scaledWeight(32_768, 65_535)).isEqualTo(5_000);
    assertThat(DnsAnswers.scaledWeight(1, 65_535)).isEqualTo(1);
  }

  @Test
  void answerWithoutRecordsRefreshesAtTheLowerBoundWhenThereIsNoSoa() {
    assertThat(answers.srv(new Message()).refreshAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(answers.addresses(List.of(new Message()), 80).endpoints()).isEmpty();
  }
}
