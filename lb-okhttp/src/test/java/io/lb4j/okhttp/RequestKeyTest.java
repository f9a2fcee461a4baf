package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.Request;
import org.junit.jupiter.api.Test;

class RequestKeyTest {
  private final Request request = new Request.Builder()
      .url("http://orders/cart?user=u-42&user=u-43")
      .header("X-Tenant", "acme")
      .addHeader("Cookie", "theme=dark; SESSIONX=wrong")
      .addHeader("Cookie", "SESSION = s-1 ; lang=en")
      .tag(Long.class, 7L)
      .build();

  @Test
  void headerReadsTheFirstValue() {
    assertThat(RequestKey.header("X-Tenant").valueOrNull(request)).isEqualTo("acme");
    assertThat(RequestKey.header("X-Missing").valueOrNull(request)).isNull();
  }

  @Test
  void cookieFindsItsNameExactlyAcrossCookieHeaders() {
    assertThat(RequestKey.cookie("SESSION").valueOrNull(request)).isEqualTo("s-1");
    assertThat(RequestKey.cookie("lang").valueOrNull(request)).isEqualTo("en");
    assertThat(RequestKey.cookie("SESS").valueOrNull(request)).isNull();
  }

  @Test
  void queryParameterReadsTheFirstValue() {
    assertThat(RequestKey.queryParameter("user").valueOrNull(request)).isEqualTo("u-42");
    assertThat(RequestKey.queryParameter("page").valueOrNull(request)).isNull();
  }

  @Test
  void tagIsReadByType() {
    assertThat(RequestKey.tag(Long.class).valueOrNull(request)).isEqualTo("7");
    assertThat(RequestKey.tag(String.class).valueOrNull(request)).isNull();
  }
}
