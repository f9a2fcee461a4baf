/** lb4j discovery from DNS SRV and A/AAAA records (dnsjava). Exports {@code io.lb4j.dns} only. */
module io.lb4j.dns {
  requires transitive io.lb4j.core;
  requires org.dnsjava;
  requires org.slf4j;

  exports io.lb4j.dns;
}
