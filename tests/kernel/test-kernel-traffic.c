/* test-kernel-traffic.c — real packets over loopback and over a veth pair
 * between two namespaces: the verdict (answered, refused, timed out) and
 * exactly which rules' counters moved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kernel-test-util.h"

#define ID(n) "00000000-0000-4000-8000-0000000000" n
#define INCOMING     ID ("01")
#define PASS_TCP     ID ("02")
#define DROP_TCP     ID ("03")
#define RESET_TCP    ID ("04")
#define UDP_GROUP    ID ("05")
#define UDP_REJECT   ID ("06")
#define PING_DROP    ID ("07")
#define PING6        ID ("08")
#define EXIT_GROUP   ID ("09")
#define EXIT_RULE    ID ("10")
#define EXIT_DROP    ID ("11")
#define HOST_UNREACH ID ("12")
#define TRIGGER      ID ("13")
#define BANNED       ID ("14")
#define AUTHORIZE    ID ("15")
#define KEEP         ID ("16")
#define LIMIT        ID ("17")
#define FROM_PEER    ID ("18")
#define PEER_MAC     ID ("19")
#define EXTERNAL     ID ("20")
#define INTERNAL     ID ("21")
#define LOG          ID ("22")

static void
add (PalRule *parent,
     PalRule *child)
{
  pal_rule_append_child (parent, child);
  g_object_unref (child);
}

static void
add_top (PalDocument *document,
         PalRule     *rule)
{
  pal_document_append_rule (document, rule);
  g_object_unref (rule);
}

/* Incoming packets go through one group; outgoing ones meet only the
 * default verdict, so every exchange moves "default" too. */
static PalDocument *
loopback_document (void)
{
  PalDocument *document = pal_document_new ();
  PalRule *incoming = kernel_rule (INCOMING, "direction", "is", "in", "group", "");
  PalRule *udp = kernel_rule (UDP_GROUP, "protocol", "is", "udp", "group", "");
  PalRule *exit_group = kernel_rule (EXIT_GROUP, "destination-port", "is", "7300-7301", "group", "");

  pal_document_set_enabled (document, TRUE);
  add (incoming, kernel_rule (PASS_TCP, "destination-port", "is", "7001", "pass", ""));
  add (incoming, kernel_rule (DROP_TCP, "destination-port", "is", "7002", "drop", ""));
  add (incoming, kernel_rule (RESET_TCP, "destination-port", "is", "7003", "reject", ""));
  add (udp, kernel_rule (UDP_REJECT, "destination-port", "is", "7004", "reject", "port-unreachable"));
  add (udp, kernel_rule (HOST_UNREACH, "destination-port", "is", "7005", "reject", "host-unreachable"));
  add (incoming, udp);
  add (incoming, kernel_rule (PING_DROP, "destination-address", "is", "127.0.0.3", "drop", ""));
  add (incoming, kernel_rule (PING6, "icmpv6-type", "is", "echo-request", "count", ""));
  add (exit_group, kernel_rule (EXIT_RULE, "destination-port", "is", "7300", "exit-group", ""));
  add (exit_group, kernel_rule (EXIT_DROP, "any", "is", "", "drop", ""));
  add (incoming, exit_group);
  add_top (document, incoming);
  return document;
}

static void
check_exchange (const char         *what,
                PalFirewall        *firewall,
                KernelVerdict       verdict,
                KernelVerdict       expected,
                GHashTable         *before,
                const char * const *moved,
                const char * const *ignored)
{
  static const char *const names[] = { "answered", "refused", "timed out" };
  g_autoptr(GHashTable) after = kernel_counters (firewall);

  if (verdict != expected)
    g_error ("%s: %s, expected %s", what, names[verdict], names[expected]);
  kernel_assert_moved_ignoring (before, after, moved, ignored);
}

#define check(firewall, call, expected, before, moved) \
  check_exchange (#call, firewall, call, expected, before, moved, NULL)

/* Over the veth pair both sides also send neighbour discovery and
 * multicast listener reports of their own: those reach the default
 * verdict and the rule for outgoing traffic whenever they like. */
static const char *const background[] = { "default", ID ("99"), NULL };

#define check_veth(firewall, call, expected, before, moved) \
  check_exchange (#call, firewall, call, expected, before, moved, background)

static void
test_loopback (void)
{
  g_autoptr(PalDocument) document = loopback_document ();
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  const char *pass[] = { INCOMING, PASS_TCP, "default", NULL };
  const char *drop[] = { INCOMING, DROP_TCP, "default", NULL };
  const char *reset[] = { INCOMING, RESET_TCP, "default", NULL };
  const char *udp_reject[] = { INCOMING, UDP_GROUP, UDP_REJECT, "default", NULL };
  const char *host_unreach[] = { INCOMING, UDP_GROUP, HOST_UNREACH, "default", NULL };
  const char *ping[] = { INCOMING, "default", NULL };
  const char *ping_drop[] = { INCOMING, PING_DROP, "default", NULL };
  const char *ping6[] = { INCOMING, PING6, "default", NULL };
  const char *exited[] = { INCOMING, UDP_GROUP, EXIT_GROUP, EXIT_RULE, "default", NULL };
  const char *exit_drop[] = { INCOMING, UDP_GROUP, EXIT_GROUP, EXIT_DROP, "default", NULL };
  const char *udp_pass[] = { INCOMING, UDP_GROUP, "default", NULL };

  kernel_apply (firewall, document);

#define EXCHANGE(call, expected, moved) \
  G_STMT_START { \
    g_autoptr(GHashTable) before = kernel_counters (firewall); \
    check (firewall, call, expected, before, moved); \
  } G_STMT_END

  /* TCP over IPv4 and IPv6: answered, dropped, reset. */
  EXCHANGE (kernel_tcp_connect ("127.0.0.1", 7001, TRUE, 1000), KERNEL_ANSWERED, pass);
  EXCHANGE (kernel_tcp_connect ("::1", 7001, TRUE, 1000), KERNEL_ANSWERED, pass);
  EXCHANGE (kernel_tcp_connect ("127.0.0.1", 7002, TRUE, 400), KERNEL_TIMED_OUT, drop);
  EXCHANGE (kernel_tcp_connect ("::1", 7002, TRUE, 400), KERNEL_TIMED_OUT, drop);
  EXCHANGE (kernel_tcp_connect ("127.0.0.1", 7003, TRUE, 1000), KERNEL_REFUSED, reset);
  EXCHANGE (kernel_tcp_connect ("::1", 7003, TRUE, 1000), KERNEL_REFUSED, reset);

  /* UDP: echoed, refused with ICMP port or host unreachable. */
  EXCHANGE (kernel_udp_exchange ("127.0.0.1", 7010, TRUE, 64, 1000), KERNEL_ANSWERED, udp_pass);
  EXCHANGE (kernel_udp_exchange ("127.0.0.1", 7004, TRUE, 64, 1000), KERNEL_REFUSED, udp_reject);
  EXCHANGE (kernel_udp_exchange ("::1", 7004, TRUE, 64, 1000), KERNEL_REFUSED, udp_reject);
  EXCHANGE (kernel_udp_exchange ("127.0.0.1", 7005, TRUE, 64, 1000), KERNEL_REFUSED, host_unreach);

  /* ICMP and ICMPv6 echo. */
  EXCHANGE (kernel_ping ("127.0.0.1", 1000), KERNEL_ANSWERED, ping);
  EXCHANGE (kernel_ping ("127.0.0.3", 400), KERNEL_TIMED_OUT, ping_drop);
  EXCHANGE (kernel_ping ("::1", 1000), KERNEL_ANSWERED, ping6);

  /* exit-group leaves the group: its drop is not reached. */
  EXCHANGE (kernel_udp_exchange ("127.0.0.1", 7300, TRUE, 64, 1000), KERNEL_ANSWERED, exited);
  EXCHANGE (kernel_udp_exchange ("127.0.0.1", 7301, TRUE, 64, 400), KERNEL_TIMED_OUT, exit_drop);
#undef EXCHANGE

  /* Milliseconds since the last match: recent for what just matched. */
  g_assert_cmpuint (kernel_msecs (firewall, EXIT_DROP), <, 5000);
  g_assert_cmpuint (kernel_msecs (firewall, HOST_UNREACH), <, 60000);
}

/* An untouched rule reports "never"; a match a moment ago a small age. */
static void
test_last_match (void)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  guint64 first, later;

  pal_document_set_enabled (document, TRUE);
  add_top (document, kernel_rule (PING_DROP, "destination-address", "is", "127.0.0.3", "count", ""));
  add_top (document, kernel_rule (PING6, "destination-address", "is", "::3", "count", ""));
  kernel_apply (firewall, document);
  g_assert_cmpuint (kernel_msecs (firewall, PING6), ==, G_MAXUINT64);
  g_assert_cmpint (kernel_ping ("127.0.0.3", 300), ==, KERNEL_ANSWERED);
  first = kernel_msecs (firewall, PING_DROP);
  g_assert_cmpuint (first, <, 1000);
  g_usleep (300 * 1000);
  later = kernel_msecs (firewall, PING_DROP);
  g_assert_cmpuint (later, >=, first + 250);
  g_assert_cmpuint (later, <, first + 2000);
}

/* Actions with side effects: trigger bans (and drops) except trusted
 * peers, authorize and keep-address list, rate-limit drops the excess,
 * log goes to NFLOG. */
static void
test_actions (void)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  const char *trusted[] = { "127.0.0.2", NULL };
  PalRule *incoming = kernel_rule (INCOMING, "direction", "is", "in", "group", "");
  g_autofree char *listing = NULL;
  g_autofree char *triggered = NULL;
  g_autofree char *authorized = NULL;
  g_autofree char *kept = NULL;
  guint answered = 0;

  pal_document_set_enabled (document, TRUE);
  pal_document_set_trusted (document, trusted);
  add_top (document, kernel_rule (BANNED, "listed-in", "is", "triggered", "drop", ""));
  add_top (document, kernel_rule (TRIGGER, "destination-port", "is", "7400", "trigger", "10m"));
  add_top (document, kernel_rule (AUTHORIZE, "destination-port", "is", "7401", "authorize", ""));
  add_top (document, kernel_rule (KEEP, "destination-port", "is", "7402", "keep-address", "forever"));
  /* Limited on the way in only, so each ping takes one token. */
  add (incoming, kernel_rule (LIMIT, "destination-address", "is", "127.0.0.4", "rate-limit", "2/second burst 3"));
  add_top (document, incoming);
  add_top (document, kernel_rule (LOG, "destination-port", "is", "7403", "log", "palisade test"));
  kernel_apply (firewall, document);

  /* 2/second with a burst of 3: of 12 quick pings, most are dropped. */
  for (guint i = 0; i < 12; i++)
    answered += kernel_ping ("127.0.0.4", 100) == KERNEL_ANSWERED;
  g_assert_cmpuint (answered, >=, 3);
  g_assert_cmpuint (answered, <=, 6);

  listing = kernel_nft ("list", "table", "inet", "palisade", NULL);
  /* The prefix starts with the rule's key, which names it to the helper. */
  g_assert_true (g_regex_match_simple ("log prefix \"#[0-9]+ palisade test\" group 1", listing, 0, 0));

  /* Keep and authorize let the packet on; trigger drops it. */
  g_assert_cmpint (kernel_udp_exchange ("127.0.0.1", 7402, TRUE, 16, 1000), ==, KERNEL_ANSWERED);
  g_assert_cmpint (kernel_udp_exchange ("127.0.0.1", 7401, TRUE, 16, 1000), ==, KERNEL_ANSWERED);
  kept = kernel_nft ("list", "set", "inet", "palisade", "kept4", NULL);
  g_assert_nonnull (strstr (kept, "127.0.0.1"));
  authorized = kernel_nft ("list", "set", "inet", "palisade", "authorized4", NULL);
  g_assert_nonnull (strstr (authorized, "127.0.0.1"));
  /* The document's default duration, 15 minutes. */
  g_assert_nonnull (strstr (authorized, "timeout 15m"));

  g_assert_cmpint (kernel_udp_exchange ("127.0.0.1", 7400, TRUE, 16, 400), ==, KERNEL_TIMED_OUT);
  triggered = kernel_nft ("list", "set", "inet", "palisade", "triggered4", NULL);
  g_assert_nonnull (strstr (triggered, "127.0.0.1 timeout 10m"));
  /* Banned now: what used to pass is dropped by the listed-in rule. */
  g_assert_cmpint (kernel_udp_exchange ("127.0.0.1", 7402, TRUE, 16, 400), ==, KERNEL_TIMED_OUT);

  /* A trusted source is never banned. */
  g_clear_pointer (&triggered, g_free);
  g_assert_cmpint (kernel_tcp_connect ("127.0.0.2", 7400, TRUE, 300), ==, KERNEL_TIMED_OUT);
  triggered = kernel_nft ("list", "set", "inet", "palisade", "triggered4", NULL);
  g_assert_null (strstr (triggered, "127.0.0.2"));
}

/* Two hosts over a veth pair: MACs, the remote address, and external and
 * internal interfaces. */
static void
test_veth (void)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalInterfaceConfig) veth = pal_interface_config_new ("veth-pal0");
  g_autofree char *peer_mac = NULL;
  PalRule *from_peer;

  kernel_peer_setup ();
  peer_mac = g_strstrip (kernel_peer_run ("cat /sys/class/net/veth-pal1/address"));

  pal_document_set_enabled (document, TRUE);
  pal_interface_config_set_external (veth, TRUE);
  pal_document_set_interface (document, veth);
  add_top (document, kernel_rule (ID ("99"), "direction", "is", "out", "pass", ""));
  from_peer = kernel_rule (FROM_PEER, "source-address", "is", "10.99.0.2, fd99::2", "group", "");
  add (from_peer, kernel_rule (PEER_MAC, "source-mac", "is", peer_mac, "count", ""));
  add (from_peer, kernel_rule (EXTERNAL, "interface", "is", "external", "count", ""));
  add (from_peer, kernel_rule (INTERNAL, "interface", "is", "internal", "count", ""));
  add (from_peer, kernel_rule (DROP_TCP, "destination-port", "is", "7502", "drop", ""));
  add (from_peer, kernel_rule (RESET_TCP, "destination-port", "is", "7503", "reject", ""));
  add (from_peer, kernel_rule (TRIGGER, "destination-port", "is", "7504", "trigger", ""));
  add_top (document, from_peer);
  kernel_apply (firewall, document);

  {
    const char *answered[] = { FROM_PEER, PEER_MAC, EXTERNAL, NULL };
    const char *dropped[] = { FROM_PEER, PEER_MAC, EXTERNAL, DROP_TCP, NULL };
    const char *reset[] = { FROM_PEER, PEER_MAC, EXTERNAL, RESET_TCP, NULL };
    g_autoptr(GHashTable) before = kernel_counters (firewall);

#define EXCHANGE(call, expected, moved) \
    G_STMT_START { \
      g_autoptr(GHashTable) start = kernel_counters (firewall); \
        check_veth (firewall, call, expected, start, moved); \
    } G_STMT_END

    EXCHANGE (kernel_peer_tcp_connect ("10.99.0.1", 7501, 1000), KERNEL_ANSWERED, answered);
    EXCHANGE (kernel_peer_tcp_connect ("fd99::1", 7501, 1000), KERNEL_ANSWERED, answered);
    EXCHANGE (kernel_peer_udp_exchange ("10.99.0.1", 7510, 1000), KERNEL_ANSWERED, answered);
    EXCHANGE (kernel_peer_ping ("10.99.0.1", 1000), KERNEL_ANSWERED, answered);
    EXCHANGE (kernel_peer_ping ("fd99::1", 1000), KERNEL_ANSWERED, answered);
    EXCHANGE (kernel_peer_tcp_connect ("10.99.0.1", 7502, 400), KERNEL_TIMED_OUT, dropped);
    EXCHANGE (kernel_peer_tcp_connect ("fd99::1", 7503, 1000), KERNEL_REFUSED, reset);
#undef EXCHANGE
    g_assert_cmpuint (kernel_packets (before, INTERNAL), ==, 0);
  }

  /* The peer's address is banned, not ours. */
  g_assert_cmpint (kernel_peer_udp_exchange ("10.99.0.1", 7504, 400), ==, KERNEL_TIMED_OUT);
  {
    g_autofree char *triggered = kernel_nft ("list", "set", "inet", "palisade", "triggered4", NULL);

    g_assert_nonnull (strstr (triggered, "10.99.0.2"));
  }

  /* Internal now: the other rule counts. */
  pal_interface_config_set_external (veth, FALSE);
  pal_document_set_interface (document, veth);
  kernel_apply (firewall, document);
  {
    const char *answered[] = { FROM_PEER, PEER_MAC, INTERNAL, NULL };
    g_autoptr(GHashTable) start = kernel_counters (firewall);

    check_veth (firewall, kernel_peer_tcp_connect ("fd99::1", 7501, 1000), KERNEL_ANSWERED, start, answered);
  }

  /* Not filtered: the outline does not see the interface at all. */
  pal_interface_config_set_filter (veth, FALSE);
  pal_document_set_interface (document, veth);
  kernel_apply (firewall, document);
  {
    g_autoptr(GHashTable) start = kernel_counters (firewall);

    check_veth (firewall, kernel_peer_tcp_connect ("10.99.0.1", 7502, 1000), KERNEL_ANSWERED, start, NULL);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  kernel_test_init ();

  kernel_test_add ("/kernel/traffic/loopback", test_loopback);
  kernel_test_add ("/kernel/traffic/last-match", test_last_match);
  kernel_test_add ("/kernel/traffic/actions", test_actions);
  kernel_test_add_root ("/kernel/traffic/veth", test_veth);
  return g_test_run ();
}
