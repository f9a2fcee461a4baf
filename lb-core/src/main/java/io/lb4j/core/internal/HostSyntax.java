package io.lb4j.core.internal;

/**
 * Checks that a string is a host an HTTP client can connect to, without any lookup: a DNS name, an
 * IPv4 address in dotted-quad form, or an IPv6 literal with or without brackets. Schemes, ports,
 * paths, spaces and zone ids are refused with a message saying which.
 */
public final class HostSyntax {
  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;

  private HostSyntax() {}

  /**
   * Returns {@code host} in canonical form (an IPv6 literal without brackets, anything else as
   * given), or throws {@link IllegalArgumentException} naming the value and the rule it breaks.
   */
  public static String canonical(String host) {
    if (host.isBlank()) {
      throw invalid(host, "must not be blank");
    }
    if (host.contains("://")) {
      throw invalid(host, "must not contain a scheme");
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw invalid(host, "must not contain spaces or control characters");
      }
      if (c == '/' || c == '?' || c == '#' || c == '@') {
        throw invalid(host, "must not contain a path, query, fragment or user info");
      }
    }
    if (host.startsWith("[") || host.endsWith("]")) {
      if (!host.startsWith("[") || !host.endsWith("]") || !isIpv6(host.substring(1, host.length() - 1))) {
        throw invalid(host, "must be an IPv6 literal inside the brackets");
      }
      return host.substring(1, host.length() - 1);
    }
    if (host.indexOf(':') >= 0) {
      if (isIpv6(host)) {
        return host;
      }
      int colon = host.lastIndexOf(':');
      throw host.indexOf(':') == colon && isDigits(host, colon + 1, host.length())
          ? invalid(host, "must not contain a port (give it separately)")
          : invalid(host, "is not a valid IPv6 literal");
    }
    if (isDigitsAndDots(host)) {
      if (!isIpv4(host)) {
        throw invalid(host, "is not a valid IPv4 address (four numbers 0 to 255)");
      }
      return host;
    }
    checkDnsName(host);
    return host;
  }

  /** {@code host:port}, with an IPv6 host in brackets so that the port stays unambiguous. */
  public static String address(String canonicalHost, int port) {
    return canonicalHost.indexOf(':') >= 0
        ? "[" + canonicalHost + "]:" + port
        : canonicalHost + ":" + port;
  }

  private static void checkDnsName(String host) {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.length() > MAX_NAME_LENGTH) {
      throw invalid(host, "is longer than " + MAX_NAME_LENGTH + " characters");
    }
    int start = 0;
    while (start <= name.length()) {
      int end = name.indexOf('.', start);
      if (end < 0) {
        end = name.length();
      }
      checkLabel(host, name, start, end);
      start = end + 1;
    }
  }

  private static void checkLabel(String host, String name, int start, int end) {
    int length = end - start;
    if (length == 0) {
      throw invalid(host, "has an empty label");
    }
    if (length > MAX_LABEL_LENGTH) {
      throw invalid(host, "has a label longer than " + MAX_LABEL_LENGTH + " characters");
    }
    if (name.charAt(start) == '-' || name.charAt(end - 1) == '-') {
      throw invalid(host, "has a label that starts or ends with '-'");
    }
    for (int i = start; i < end; i++) {
      char c = name.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!allowed) {
        throw invalid(host, "contains '" + c + "', not allowed in a DNS name");
      }
    }
  }

  static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !isDigits(part, 0, part.length())
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  static boolean isIpv6(String s) {
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
    String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
    int groups = countGroups(head, doubleColon < 0);
    int tailGroups = doubleColon >= 0 ? countGroups(tail, true) : 0;
    if (groups < 0 || tailGroups < 0) {
      return false;
    }
    int total = groups + tailGroups;
    return doubleColon >= 0 ? total <= 7 : total == 8;
  }

  /**
   * The number of 16-bit groups in a colon-separated run (an IPv4 tail counts two, allowed only
   * when {@code last}), or -1 if the run is malformed.
   */
  private static int countGroups(String run, boolean last) {
    if (run.isEmpty()) {
      return 0;
    }
    String[] groups = run.split(":", -1);
    int count = 0;
    for (int i = 0; i < groups.length; i++) {
      String group = groups[i];
      if (last && i == groups.length - 1 && group.indexOf('.') >= 0) {
        if (!isIpv4(group)) {
          return -1;
        }
        count += 2;
      } else if (group.isEmpty() || group.length() > 4 || !isHex(group)) {
        return -1;
      } else {
        count++;
      }
    }
    return count;
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigits(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigitsAndDots(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < '0' || c > '9') && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException invalid(String host, String rule) {
    return new IllegalArgumentException(
        "host must be a DNS name, an IPv4 address or an IPv6 literal; '" + host + "' " + rule);
  }
}
