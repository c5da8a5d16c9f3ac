/* test-kernel-matrix.c — every property, one test each: a rule that the
 * packets match moves, a rule with a value they do not match stays, and
 * "is-not" that value moves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel-test-util.h"

#define MATCH   "00000000-0000-4000-8000-0000000000a1"
#define MISS    "00000000-0000-4000-8000-0000000000a2"
#define NOT     "00000000-0000-4000-8000-0000000000a3"

typedef enum
{
  SEND_UDP4,           /* to 127.0.0.1:7701, nobody listening */
  SEND_UDP6,           /* to [::1]:7701, nobody listening */
  SEND_UDP4_SERVED,    /* to 127.0.0.1:7703, echoed */
  SEND_PING4,
  SEND_PING6,
  SEND_TCP_LISTENING,  /* to 127.0.0.1:7706 */
  SEND_TCP_CLOSED,     /* to 127.0.0.1:7705 */
  SEND_UDP4_RECORD_ROUTE,
  SEND_UDP4_AS_NOBODY,
  SEND_UDP4_IN_CGROUP,
  SEND_PEER_UDP,       /* from the veth peer to 10.99.0.1 */
  SEND_FORWARDED_FRAGMENTS, /* 3000 bytes from the second peer to the first, through us */
} Stimulus;

typedef struct
{
  const char *path;
  const char *property;
  const char *match;
  const char *miss;
  Stimulus    stimulus;
} Case;

/* Values that depend on the moment or the machine, filled in at run time. */
static char *time_match, *time_miss, *days_match, *days_miss, *dates_match;
static char *peer_mac, *our_mac, *cgroup_base;

static const Case cases[] = {
  { "/kernel/matrix/any", "any", "", NULL, SEND_UDP4 },
  { "/kernel/matrix/direction", "direction", "out", "forward", SEND_UDP4 },
  { "/kernel/matrix/direction-forward", "direction", "forward", "in, out", SEND_FORWARDED_FRAGMENTS },
  { "/kernel/matrix/interface", "interface", "lo", "eth9", SEND_UDP4 },
  { "/kernel/matrix/interface-wildcard", "interface", "l*", "eth*, wlan*", SEND_UDP6 },
  { "/kernel/matrix/interface-forward", "interface", "veth-pal0", "veth-pal5", SEND_FORWARDED_FRAGMENTS },
  { "/kernel/matrix/ip-version", "ip-version", "6", "4", SEND_UDP6 },
  { "/kernel/matrix/source-address", "source-address", "127.0.0.0/8", "10.0.0.0/8, ::2", SEND_UDP4 },
  { "/kernel/matrix/destination-address", "destination-address", "::1", "127.0.0.1, 2001:db8::-2001:db8::ff", SEND_UDP6 },
  { "/kernel/matrix/source-mac", "source-mac", "@peer", "02:00:00:00:00:99", SEND_PEER_UDP },
  { "/kernel/matrix/destination-mac", "destination-mac", "@ours", "02:00:00:00:00:98", SEND_PEER_UDP },
  { "/kernel/matrix/protocol", "protocol", "udp", "tcp, sctp", SEND_UDP4 },
  { "/kernel/matrix/source-port", "source-port", "7703", "7704, 1-1023", SEND_UDP4_SERVED },
  { "/kernel/matrix/destination-port", "destination-port", "7701", "7702", SEND_UDP4 },
  { "/kernel/matrix/icmp-type", "icmp-type", "echo-request", "timestamp-request", SEND_PING4 },
  { "/kernel/matrix/icmp-type-code", "icmp-type", "destination-unreachable/port-unreachable", "3/1", SEND_UDP4 },
  { "/kernel/matrix/icmpv6-type", "icmpv6-type", "echo-request", "nd-neighbor-solicit", SEND_PING6 },
  { "/kernel/matrix/tcp-flags", "tcp-flags", "syn,-ack", "fin,syn", SEND_TCP_CLOSED },
  { "/kernel/matrix/tcp-option", "tcp-option", "mss", "sack", SEND_TCP_LISTENING },
  { "/kernel/matrix/ip-option", "ip-option", "rr", "lsrr, ssrr", SEND_UDP4_RECORD_ROUTE },
  { "/kernel/matrix/fragment", "fragment", "first", "tiny", SEND_FORWARDED_FRAGMENTS },
  { "/kernel/matrix/connection-state", "connection-state", "new", "invalid, untracked", SEND_TCP_LISTENING },
  { "/kernel/matrix/listed-in", "listed-in", "trusted", "kept", SEND_UDP4 },
  { "/kernel/matrix/service", "service", "pal-probe.service", "pal-other.service", SEND_UDP4_IN_CGROUP },
  { "/kernel/matrix/user", "user", "65534", "1234-1240", SEND_UDP4_AS_NOBODY },
  { "/kernel/matrix/time-of-day", "time-of-day", "@time", "@time-miss", SEND_UDP4 },
  { "/kernel/matrix/day-of-week", "day-of-week", "@days", "@days-miss", SEND_UDP4 },
  { "/kernel/matrix/date-time", "date-time", "@dates", "2001-01-01 to 2001-12-31T12:00", SEND_UDP4 },
  { "/kernel/matrix/packet-length", "packet-length", "0-500", "1000-2000", SEND_UDP4 },
};

static const char *
resolve (const char *value)
{
  if (value == NULL || value[0] != '@')
    return value;
  if (g_str_equal (value, "@peer"))
    return peer_mac;
  if (g_str_equal (value, "@ours"))
    return our_mac;
  if (g_str_equal (value, "@time"))
    return time_match;
  if (g_str_equal (value, "@time-miss"))
    return time_miss;
  if (g_str_equal (value, "@days"))
    return days_match;
  if (g_str_equal (value, "@days-miss"))
    return days_miss;
  return dates_match;
}

/* Moments */

static char *
clock_text (GDateTime *moment)
{
  return g_date_time_format (moment, "%H:%M");
}

static void
prepare_times (void)
{
  static const char *const names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) from = g_date_time_add_minutes (now, -60);
  g_autoptr(GDateTime) to = g_date_time_add_minutes (now, 60);
  g_autoptr(GDateTime) later = g_date_time_add_minutes (now, 180);
  g_autoptr(GDateTime) latest = g_date_time_add_minutes (now, 240);
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *a = clock_text (from), *b = clock_text (to);
  g_autofree char *c = clock_text (later), *d = clock_text (latest);
  g_autofree char *y = g_date_time_format (yesterday, "%Y-%m-%d");
  g_autofree char *t = g_date_time_format (tomorrow, "%Y-%m-%d");
  int today = g_date_time_get_day_of_week (now) % 7;   /* 0 = Sunday */
  g_autoptr(GString) match = g_string_new (NULL), miss = g_string_new (NULL);

  time_match = g_strdup_printf ("%s-%s", a, b);
  time_miss = g_strdup_printf ("%s-%s", c, d);
  dates_match = g_strdup_printf ("%s to %s", y, t);
  /* Yesterday to tomorrow, so a kernel clock in another zone agrees. */
  for (int i = 0; i < 7; i++)
    {
      int distance = (i - today + 7) % 7;
      GString *into = distance <= 1 || distance == 6 ? match : miss;

      g_string_append_printf (into, "%s%s", into->len > 0 ? ", " : "", names[i]);
    }
  days_match = g_string_free (g_steal_pointer (&match), FALSE);
  days_miss = g_string_free (g_steal_pointer (&miss), FALSE);
}

/* Stimuli run in children: another user, another cgroup. */

static KernelVerdict
udp_as_nobody (gpointer data)
{
  if (setgid (65534) < 0 || setuid (65534) < 0)
    _exit (98);
  return kernel_udp_exchange ("127.0.0.1", 7701, FALSE, 32, 300);
}

static KernelVerdict
udp_in_cgroup (gpointer data)
{
  g_autofree char *procs = g_build_filename (data, "cgroup.procs", NULL);
  int fd = open (procs, O_WRONLY | O_CLOEXEC);

  /* Written in place: cgroupfs has no room for a temporary file. */
  if (fd < 0 || write (fd, "0", 1) != 1)
    _exit (98);
  close (fd);
  return kernel_udp_exchange ("127.0.0.1", 7701, FALSE, 32, 300);
}

static gboolean
make_cgroups (void)
{
  const char *units[] = { "pal-probe.service", "pal-other.service", NULL };

  cgroup_base = kernel_cgroups_make (units);
  return cgroup_base != NULL;
}

/* Sends a UDP datagram carrying a record-route IP option. */
static void
send_record_route (void)
{
  /* Record route: type 7, length 7, pointer 4, one slot; then end of list. */
  guint8 options[8] = { 7, 7, 4, 0, 0, 0, 0, 0 };
  struct sockaddr_in to = { AF_INET, htons (7701), { htonl (INADDR_LOOPBACK) } };
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (setsockopt (fd, IPPROTO_IP, IP_OPTIONS, options, sizeof options), ==, 0);
  g_assert_cmpint (sendto (fd, "x", 1, 0, (struct sockaddr *) &to, sizeof to), ==, 1);
  g_usleep (100 * 1000);
  close (fd);
}

static void
stimulate (Stimulus stimulus)
{
  switch (stimulus)
    {
    case SEND_UDP4:
      kernel_udp_exchange ("127.0.0.1", 7701, FALSE, 32, 300);
      break;
    case SEND_UDP6:
      kernel_udp_exchange ("::1", 7701, FALSE, 32, 300);
      break;
    case SEND_UDP4_SERVED:
      g_assert_cmpint (kernel_udp_exchange ("127.0.0.1", 7703, TRUE, 32, 1000), ==, KERNEL_ANSWERED);
      break;
    case SEND_PING4:
      g_assert_cmpint (kernel_ping ("127.0.0.1", 1000), ==, KERNEL_ANSWERED);
      break;
    case SEND_PING6:
      g_assert_cmpint (kernel_ping ("::1", 1000), ==, KERNEL_ANSWERED);
      break;
    case SEND_TCP_LISTENING:
      g_assert_cmpint (kernel_tcp_connect ("127.0.0.1", 7706, TRUE, 1000), ==, KERNEL_ANSWERED);
      break;
    case SEND_TCP_CLOSED:
      g_assert_cmpint (kernel_tcp_connect ("127.0.0.1", 7705, FALSE, 1000), ==, KERNEL_REFUSED);
      break;
    case SEND_UDP4_RECORD_ROUTE:
      send_record_route ();
      break;
    case SEND_UDP4_AS_NOBODY:
      g_assert_cmpint (kernel_in_child (udp_as_nobody, NULL), !=, 98);
      break;
    case SEND_UDP4_IN_CGROUP:
      {
        g_autofree char *probe = g_build_filename (cgroup_base, "system.slice", "pal-probe.service", NULL);

        g_assert_cmpint (kernel_in_child (udp_in_cgroup, probe), !=, 98);
        break;
      }
    case SEND_PEER_UDP:
      g_assert_cmpint (kernel_peer_udp_exchange ("10.99.0.1", 7701, 1000), ==, KERNEL_ANSWERED);
      break;
    case SEND_FORWARDED_FRAGMENTS:
      kernel_peer2_send_udp ("10.99.0.2", 7701, 3000);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
prepare_hosts (Stimulus stimulus)
{
  if (stimulus == SEND_PEER_UDP)
    {
      kernel_peer_setup ();
      peer_mac = g_strstrip (kernel_peer_run ("cat /sys/class/net/veth-pal1/address"));
      our_mac = kernel_link_address ("veth-pal0");
    }
  else if (stimulus == SEND_FORWARDED_FRAGMENTS)
    kernel_router_setup ();
  else if (stimulus == SEND_UDP4_IN_CGROUP && !make_cgroups ())
    g_error ("cannot make a cgroup of our own for the service test");
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalFirewall) firewall = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  const char *trusted[] = { "127.0.0.1", NULL };
  PalRule *rule;

  prepare_times ();
  prepare_hosts (c->stimulus);

  pal_document_set_enabled (document, TRUE);
  pal_document_set_trusted (document, trusted);
  rule = kernel_rule (MATCH, c->property, "is", resolve (c->match), "count", "");
  pal_document_append_rule (document, rule);
  g_object_unref (rule);
  /* any has no value that misses: "is-not" is the rule no packet meets. */
  rule = kernel_rule (MISS, c->property, c->miss != NULL ? "is" : "is-not", resolve (c->miss != NULL ? c->miss : ""),
                      "count", "");
  pal_document_append_rule (document, rule);
  g_object_unref (rule);
  if (c->miss != NULL)
    {
      rule = kernel_rule (NOT, c->property, "is-not", resolve (c->miss), "count", "");
      pal_document_append_rule (document, rule);
      g_object_unref (rule);
    }

  firewall = kernel_firewall ();
  kernel_apply (firewall, document);
  before = kernel_counters (firewall);
  stimulate (c->stimulus);
  after = kernel_counters (firewall);

  if (kernel_packets (after, MATCH) <= kernel_packets (before, MATCH))
    g_error ("%s is %s: no match", c->property, resolve (c->match));
  if (kernel_packets (after, MISS) != kernel_packets (before, MISS))
    g_error ("%s %s %s: matched", c->property, c->miss != NULL ? "is" : "is-not",
             resolve (c->miss != NULL ? c->miss : ""));
  if (c->miss != NULL && kernel_packets (after, NOT) <= kernel_packets (before, NOT))
    g_error ("%s is-not %s: no match", c->property, resolve (c->miss));
}

static void
run_isolated_case (void)
{
  /* kernel_test_add's bodies take no argument: find our case by path. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (g_str_equal (cases[i].path, g_test_get_path ()))
      run_case (&cases[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  kernel_test_init ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean root = cases[i].stimulus == SEND_PEER_UDP || cases[i].stimulus == SEND_FORWARDED_FRAGMENTS
                      || cases[i].stimulus == SEND_UDP4_IN_CGROUP || cases[i].stimulus == SEND_UDP4_AS_NOBODY;

      if (root)
        kernel_test_add_root (cases[i].path, run_isolated_case);
      else
        kernel_test_add (cases[i].path, run_isolated_case);
    }
  return g_test_run ();
}
