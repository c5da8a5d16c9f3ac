/* test-nflog.c — PalNflogReader against the kernel: a ruleset loaded by
 * nft (not by our compiler) logs chosen traffic to NFLOG groups 1 and 2;
 * the entries arrive in batches with the right fields, the rule's id and
 * name from the key of the prefix; a flood is cut to
 * the rate limit with every dropped entry counted, and the main loop keeps
 * running; events share the stream and reach the log writer with their
 * MESSAGE_ID.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net-test-util.h"
#include "pal-helper-error.h"
#include "pal-nflog-reader.h"

#define TIMEOUT_MS 10000

static const char ruleset[] =
  "table inet paltest {\n"
  "  chain input {\n"
  "    type filter hook input priority 0; policy accept;\n"
  "    tcp dport 7001 log group 1 prefix \"#7 tcp-in\"\n"
  "    udp dport 7002 log group 2 prefix \"#8 udp-alert\"\n"
  "    icmp type echo-request log group 1 prefix \"#9 ping4\"\n"
  "    icmpv6 type echo-request log group 1 prefix \"ping6\"\n"
  "    iifname \"v-here\" ip saddr 10.10.0.2 log group 1 prefix \"from-peer\"\n"
  "    udp dport 7003 log group 1 prefix \"flood\"\n"
  "    udp dport 7004 log group 4 prefix \"not-ours\"\n"
  "  }\n"
  "  chain output {\n"
  "    type filter hook output priority 0; policy accept;\n"
  "    tcp dport 7001 log group 1 prefix \"tcp-out\"\n"
  "  }\n"
  "}\n";

/* ---- what arrives ---- */

typedef struct
{
  GPtrArray *entries;   /* GVariant of PAL_LOG_ENTRY_TYPE */
  guint      batches;
} Received;

static void
entries_cb (PalNflogReader *reader,
            GVariant       *batch,
            Received       *received)
{
  gsize n = g_variant_n_children (batch);

  g_assert_true (g_variant_is_of_type (batch, PAL_LOG_ENTRIES_TYPE));
  received->batches++;
  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (received->entries, g_variant_get_child_value (batch, i));
}

static void
received_init (Received       *received,
               PalNflogReader *reader)
{
  received->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  received->batches = 0;
  g_signal_connect (reader, "entries", G_CALLBACK (entries_cb), received);
}

static const char *
entry_string (GVariant *entry,
              guint     field)
{
  const char *text;

  g_variant_get_child (entry, field, "&s", &text);
  return text;
}

enum { F_TIME, F_KIND, F_TEXT, F_RULE, F_NAME, F_HOOK, F_IN, F_OUT, F_MAC, F_PROTOCOL,
       F_SOURCE, F_DESTINATION, F_SPORT, F_DPORT, F_ICMP_TYPE, F_ICMP_CODE,
       F_TCP_FLAGS, F_LENGTH };

static GVariant *
find_entry (Received   *received,
            const char *text)
{
  for (guint i = 0; i < received->entries->len; i++)
    if (g_str_equal (entry_string (received->entries->pdata[i], F_TEXT), text))
      return received->entries->pdata[i];
  return NULL;
}

typedef struct
{
  Received           *received;
  const char * const *texts;
} Awaited;

static gboolean
all_arrived (gpointer data)
{
  Awaited *awaited = data;

  for (guint i = 0; awaited->texts[i] != NULL; i++)
    if (find_entry (awaited->received, awaited->texts[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
await_entries (Received           *received,
               const char * const *texts)
{
  Awaited awaited = { received, texts };

  if (!net_wait_for (all_arrived, &awaited, TIMEOUT_MS))
    for (guint i = 0; texts[i] != NULL; i++)
      if (find_entry (received, texts[i]) == NULL)
        g_error ("no entry “%s” arrived", texts[i]);
}

static void
assert_packet (GVariant   *entry,
               const char *kind,
               const char *hook,
               const char *in,
               const char *out,
               const char *protocol,
               const char *source,
               const char *destination)
{
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry_string (entry, F_KIND), ==, kind);
  g_assert_cmpstr (entry_string (entry, F_HOOK), ==, hook);
  g_assert_cmpstr (entry_string (entry, F_IN), ==, in);
  g_assert_cmpstr (entry_string (entry, F_OUT), ==, out);
  g_assert_cmpstr (entry_string (entry, F_PROTOCOL), ==, protocol);
  g_assert_cmpstr (entry_string (entry, F_SOURCE), ==, source);
  g_assert_cmpstr (entry_string (entry, F_DESTINATION), ==, destination);
}

static guint16
entry_u16 (GVariant *entry,
           guint     field)
{
  guint16 value;

  g_variant_get_child (entry, field, "q", &value);
  return value;
}

static gint16
entry_i16 (GVariant *entry,
           guint     field)
{
  gint16 value;

  g_variant_get_child (entry, field, "n", &value);
  return value;
}

/* ---- traffic ---- */

static void
fill_address (struct sockaddr_storage *storage,
              socklen_t               *length,
              const char              *address,
              guint16                  port)
{
  memset (storage, 0, sizeof *storage);
  if (strchr (address, ':') != NULL)
    {
      struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) storage;

      in6->sin6_family = AF_INET6;
      in6->sin6_port = htons (port);
      g_assert_cmpint (inet_pton (AF_INET6, address, &in6->sin6_addr), ==, 1);
      *length = sizeof *in6;
    }
  else
    {
      struct sockaddr_in *in = (struct sockaddr_in *) storage;

      in->sin_family = AF_INET;
      in->sin_port = htons (port);
      g_assert_cmpint (inet_pton (AF_INET, address, &in->sin_addr), ==, 1);
      *length = sizeof *in;
    }
}

/* A socket of that type bound to address:port. */
static int
bound_socket (int         type,
              const char *address,
              guint16     port)
{
  struct sockaddr_storage storage;
  socklen_t length;
  int fd, one = 1;

  fill_address (&storage, &length, address, port);
  fd = socket (storage.ss_family, type | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &storage, length), ==, 0);
  return fd;
}

static void
send_udp (int         fd,
          const char *address,
          guint16     port)
{
  struct sockaddr_storage storage;
  socklen_t length;

  fill_address (&storage, &length, address, port);
  g_assert_cmpint (sendto (fd, "x", 1, 0, (struct sockaddr *) &storage, length), ==, 1);
}

/* A SYN from a known port to a closed one (answered by a reset). */
static void
tcp_knock (const char *address,
           guint16     source_port,
           guint16     port)
{
  struct sockaddr_storage storage;
  socklen_t length;
  int fd = bound_socket (SOCK_STREAM, address, source_port);

  fill_address (&storage, &length, address, port);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &storage, length), <, 0);
  g_assert_cmpint (errno, ==, ECONNREFUSED);
  close (fd);
}

static PalNflogReader *
new_reader (guint rate_limit,
            guint capacity)
{
  g_autoptr(GError) error = NULL;
  PalNflogReader *reader = g_initable_new (PAL_TYPE_NFLOG_READER, NULL, &error,
                                           "rate-limit", rate_limit,
                                           "capacity", capacity,
                                           NULL);

  g_assert_no_error (error);
  g_assert_nonnull (reader);
  return reader;
}

/* What the keys of the ruleset's prefixes name, as the helper maps them
 * from the table it applied. */
static GHashTable *
log_rules (void)
{
  GHashTable *rules = pal_log_rules_new ();

  pal_log_rules_add (rules, 7, "0c4f2a3e-7d1b-4e55-9a0c-1b2c3d4e5f07", "TCP in");
  pal_log_rules_add (rules, 8, "0c4f2a3e-7d1b-4e55-9a0c-1b2c3d4e5f08", "UDP alert");
  pal_log_rules_add (rules, 10, "0c4f2a3e-7d1b-4e55-9a0c-1b2c3d4e5f10", "Not in the table");
  return rules;
}

static void
add_peer (void)
{
  g_free (net_run ("ip", "netns", "add", "peer", NULL));
  g_free (net_run ("ip", "link", "add", "v-here", "type", "veth", "peer", "name", "eth0",
                   "address", "02:00:00:00:00:0a", "netns", "peer", NULL));
  g_free (net_run ("ip", "address", "add", "10.10.0.1/24", "dev", "v-here", NULL));
  g_free (net_run ("ip", "link", "set", "v-here", "up", NULL));
  g_free (net_run ("ip", "-n", "peer", "address", "add", "10.10.0.2/24", "dev", "eth0", NULL));
  g_free (net_run ("ip", "-n", "peer", "link", "set", "eth0", "up", NULL));
}

static void
test_fields (void)
{
  g_autoptr(PalNflogReader) reader = new_reader (1000, 100);
  g_autoptr(GHashTable) rules = log_rules ();
  g_autoptr(GVariant) ring = NULL;
  const char * const texts[] = { "tcp-in", "tcp-out", "udp-alert", "ping4", "ping6", "from-peer", NULL };
  Received received;
  GVariant *entry;
  gint64 time;
  int fd;

  received_init (&received, reader);
  pal_nflog_reader_set_rules (reader, rules);
  net_nft_script (ruleset);
  add_peer ();

  tcp_knock ("127.0.0.1", 40001, 7001);
  fd = bound_socket (SOCK_DGRAM, "::1", 40002);
  send_udp (fd, "::1", 7002);
  close (fd);
  fd = bound_socket (SOCK_DGRAM, "127.0.0.1", 40004);
  send_udp (fd, "127.0.0.1", 7004);   /* group 4: not ours */
  close (fd);
  g_free (net_run ("ping", "-n", "-q", "-c", "1", "-w", "5", "127.0.0.1", NULL));
  g_free (net_run ("ping", "-n", "-q", "-6", "-c", "1", "-w", "5", "::1", NULL));
  g_free (net_run ("ip", "netns", "exec", "peer", "ping", "-n", "-q", "-c", "1", "-w", "5",
                   "10.10.0.1", NULL));
  await_entries (&received, texts);

  entry = find_entry (&received, "tcp-out");
  assert_packet (entry, "log", "output", "", "lo", "tcp", "127.0.0.1", "127.0.0.1");
  g_assert_cmpuint (entry_u16 (entry, F_SPORT), ==, 40001);
  g_assert_cmpuint (entry_u16 (entry, F_DPORT), ==, 7001);
  g_assert_cmpstr (entry_string (entry, F_TCP_FLAGS), ==, "syn");
  g_assert_cmpint (entry_i16 (entry, F_ICMP_TYPE), ==, -1);
  g_variant_get_child (entry, F_TIME, "x", &time);
  g_assert_cmpint (ABS (time - g_get_real_time ()), <, 60 * G_USEC_PER_SEC);
  g_assert_cmpstr (entry_string (entry, F_RULE), ==, "");   /* no key: not ours */
  g_assert_cmpstr (entry_string (entry, F_NAME), ==, "");

  entry = find_entry (&received, "tcp-in");
  assert_packet (entry, "log", "input", "lo", "", "tcp", "127.0.0.1", "127.0.0.1");
  g_assert_cmpuint (entry_u16 (entry, F_SPORT), ==, 40001);
  g_assert_cmpstr (entry_string (entry, F_RULE), ==, "0c4f2a3e-7d1b-4e55-9a0c-1b2c3d4e5f07");
  g_assert_cmpstr (entry_string (entry, F_NAME), ==, "TCP in");
  {
    guint32 length;

    g_variant_get_child (entry, F_LENGTH, "u", &length);
    g_assert_cmpuint (length, >=, 40);   /* IPv4 + TCP headers at least */
  }

  entry = find_entry (&received, "udp-alert");
  assert_packet (entry, "alert", "input", "lo", "", "udp", "::1", "::1");
  g_assert_cmpuint (entry_u16 (entry, F_SPORT), ==, 40002);
  g_assert_cmpuint (entry_u16 (entry, F_DPORT), ==, 7002);
  g_assert_cmpstr (entry_string (entry, F_TCP_FLAGS), ==, "");
  g_assert_cmpstr (entry_string (entry, F_RULE), ==, "0c4f2a3e-7d1b-4e55-9a0c-1b2c3d4e5f08");
  g_assert_cmpstr (entry_string (entry, F_NAME), ==, "UDP alert");

  entry = find_entry (&received, "ping4");
  assert_packet (entry, "log", "input", "lo", "", "icmp", "127.0.0.1", "127.0.0.1");
  g_assert_cmpint (entry_i16 (entry, F_ICMP_TYPE), ==, 8);
  g_assert_cmpint (entry_i16 (entry, F_ICMP_CODE), ==, 0);
  g_assert_cmpuint (entry_u16 (entry, F_SPORT), ==, 0);
  g_assert_cmpstr (entry_string (entry, F_RULE), ==, "");   /* a key the map does not know */

  entry = find_entry (&received, "ping6");
  assert_packet (entry, "log", "input", "lo", "", "icmpv6", "::1", "::1");
  g_assert_cmpint (entry_i16 (entry, F_ICMP_TYPE), ==, 128);

  entry = find_entry (&received, "from-peer");
  assert_packet (entry, "log", "input", "v-here", "", "icmp", "10.10.0.2", "10.10.0.1");
  g_assert_cmpstr (entry_string (entry, F_MAC), ==, "02:00:00:00:00:0a");

  g_assert_null (find_entry (&received, "not-ours"));
  g_assert_cmpuint (pal_nflog_reader_get_n_suppressed (reader), ==, 0);

  /* The ring holds the same entries. */
  ring = g_variant_ref_sink (pal_nflog_reader_get_entries (reader));
  g_assert_cmpuint (g_variant_n_children (ring), ==, received.entries->len);
  g_free (net_run ("ip", "netns", "del", "peer", NULL));
  g_ptr_array_unref (received.entries);
}

/* ---- the flood ---- */

#define FLOOD_PACKETS 20000
#define FLOOD_RATE 200

static void
flood (void)
{
  int fd = bound_socket (SOCK_DGRAM, "127.0.0.1", 40003);

  for (guint i = 0; i < FLOOD_PACKETS; i++)
    send_udp (fd, "127.0.0.1", 7003);
  close (fd);
}

/* Entries the reader has taken from the socket so far, kept or not. */
static guint64
n_handled (PalNflogReader *reader)
{
  return pal_nflog_reader_get_n_kept (reader) + pal_nflog_reader_get_n_suppressed (reader);
}

/* Runs the main loop one turn at a time until nothing is ready; returns
 * how many turns took entries from the socket. */
static guint
drain_by_turns (PalNflogReader *reader)
{
  guint turns = 0;
  guint64 before = n_handled (reader);

  while (g_main_context_iteration (NULL, FALSE))
    {
      guint64 after = n_handled (reader);

      turns += after != before;
      before = after;
    }
  return turns;
}

static guint64
count_suppressed (Received *received)
{
  guint64 total = 0;

  for (guint i = 0; i < received->entries->len; i++)
    if (g_str_equal (entry_string (received->entries->pdata[i], F_KIND), "suppressed"))
      total += g_ascii_strtoull (entry_string (received->entries->pdata[i], F_TEXT), NULL, 10);
  return total;
}

static guint
count_kind (Received   *received,
            const char *kind)
{
  guint n = 0;

  for (guint i = 0; i < received->entries->len; i++)
    n += g_str_equal (entry_string (received->entries->pdata[i], F_KIND), kind);
  return n;
}

static void
test_flood (void)
{
  g_autoptr(PalNflogReader) reader = new_reader (FLOOD_RATE, 4096);
  const char * const last[] = { "last", NULL };
  int sink, fd;
  Received received;
  gint64 start, elapsed;
  guint64 kept, suppressed;
  guint turns;

  received_init (&received, reader);
  net_nft_script (ruleset);
  net_nft_script ("add rule inet paltest input udp dport 7005 log group 1 prefix \"last\"\n");
  /* A listener that never reads: no port-unreachable replies. */
  sink = bound_socket (SOCK_DGRAM, "127.0.0.1", 7003);

  /* The flood piles up in the reader's socket while the main loop stands
   * still; then the loop runs one turn at a time. A reader that read until
   * the socket was empty would hold the loop for the whole pile in one
   * turn; ours reads a bounded amount per turn, so D-Bus and the batch
   * timer get theirs in between however long the flood lasts. */
  start = g_get_monotonic_time ();
  flood ();
  turns = drain_by_turns (reader);
  net_test_note ("%d packets; the reader took them in %u turns of the main loop", FLOOD_PACKETS, turns);
  g_assert_cmpuint (turns, >, 1);
  /* The bucket refills (at the rate), so the next entry is kept. */
  net_spin (500);

  /* One more, after the flood: the sequence numbers then also show
   * what the kernel dropped at its very end. */
  fd = bound_socket (SOCK_DGRAM, "127.0.0.1", 40005);
  send_udp (fd, "127.0.0.1", 7005);
  close (fd);
  await_entries (&received, last);
  pal_nflog_reader_flush (reader);
  elapsed = g_get_monotonic_time () - start;
  close (sink);

  kept = pal_nflog_reader_get_n_kept (reader);
  suppressed = pal_nflog_reader_get_n_suppressed (reader);
  net_test_note ("kept %" G_GUINT64_FORMAT ", suppressed %" G_GUINT64_FORMAT " in %" G_GINT64_FORMAT " ms",
                 kept, suppressed, elapsed / 1000);
  /* The bucket: a second's worth at once, then the rate. */
  g_assert_cmpuint (kept, <=, FLOOD_RATE + FLOOD_RATE * (elapsed / (double) G_USEC_PER_SEC) + 1);
  g_assert_cmpuint (kept, >=, FLOOD_RATE);
  g_assert_cmpuint (suppressed, >, 0);
  g_assert_cmpuint (kept + suppressed, ==, FLOOD_PACKETS + 1);
  /* What was dropped is told in the stream, to the entry. */
  g_assert_cmpuint (count_suppressed (&received), ==, suppressed);
  g_assert_cmpuint (count_kind (&received, "log"), ==, kept);
  g_assert_cmpuint (received.batches, >=, 2);
  g_ptr_array_unref (received.entries);
}

/* ---- events, the ring, the journal ---- */

typedef struct
{
  char *message_id;
  char *event;
  char *message;
} Written;

static Written written;

static GLogWriterOutput
writer (GLogLevelFlags   level,
        const GLogField *fields,
        gsize            n_fields,
        gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      char **slot = g_str_equal (fields[i].key, "MESSAGE_ID") ? &written.message_id
                    : g_str_equal (fields[i].key, "PALISADE_EVENT") ? &written.event
                    : g_str_equal (fields[i].key, "MESSAGE") ? &written.message : NULL;

      if (slot != NULL)
        {
          g_free (*slot);
          *slot = fields[i].length < 0 ? g_strdup (fields[i].value)
                                       : g_strndup (fields[i].value, fields[i].length);
        }
    }
  return G_LOG_WRITER_HANDLED;
}

static void
test_events (void)
{
  g_autoptr(PalNflogReader) reader = new_reader (1000, 5);
  g_autoptr(GVariant) ring = NULL;
  const char * const applied[] = { "Applied “Home”", NULL };
  Received received;
  GVariant *entry;

  g_log_set_writer_func (writer, NULL, NULL);
  received_init (&received, reader);

  pal_nflog_reader_add_event (reader, PAL_LOG_KIND_APPLIED, "Applied “Home”");
  g_assert_cmpstr (written.message_id, ==, PAL_LOG_MESSAGE_ID_APPLIED);
  g_assert_cmpstr (written.event, ==, "applied");
  g_assert_cmpstr (written.message, ==, "Applied “Home”");
  await_entries (&received, applied);
  entry = find_entry (&received, "Applied “Home”");
  g_assert_cmpstr (entry_string (entry, F_KIND), ==, "applied");
  g_assert_cmpstr (entry_string (entry, F_HOOK), ==, "");
  g_assert_cmpstr (entry_string (entry, F_PROTOCOL), ==, "");
  g_assert_cmpstr (entry_string (entry, F_SOURCE), ==, "");
  g_assert_cmpint (entry_i16 (entry, F_ICMP_TYPE), ==, -1);

  pal_nflog_reader_add_event (reader, PAL_LOG_KIND_BANNED, "Banned 192.0.2.7 for 15m");
  g_assert_cmpstr (written.message_id, ==, PAL_LOG_MESSAGE_ID_BANNED);
  pal_nflog_reader_add_event (reader, PAL_LOG_KIND_ERROR, "Bytes \xff are made valid");
  g_assert_cmpstr (written.message_id, ==, PAL_LOG_MESSAGE_ID_ERROR);
  g_assert_true (g_utf8_validate (written.message, -1, NULL));

  /* The ring keeps the last five, oldest first; one batch says all
   * that was new (a flush before the timer). */
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *text = g_strdup_printf ("event %u", i);
      pal_nflog_reader_add_event (reader, PAL_LOG_KIND_UNBANNED, text);
    }
  received.batches = 0;
  pal_nflog_reader_flush (reader);
  g_assert_cmpuint (received.batches, ==, 1);
  ring = g_variant_ref_sink (pal_nflog_reader_get_entries (reader));
  g_assert_cmpuint (g_variant_n_children (ring), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (ring, i);
      g_autofree char *text = g_strdup_printf ("event %u", i + 1);

      g_assert_cmpstr (entry_string (child, F_TEXT), ==, text);
    }
  g_ptr_array_unref (received.entries);
}

/* One reader per group and namespace: a second is told why it cannot. */
static void
test_busy (void)
{
  g_autoptr(PalNflogReader) first = new_reader (1000, 10);
  g_autoptr(PalNflogReader) second = NULL;
  g_autoptr(GError) error = NULL;

  second = pal_nflog_reader_new (&error);
  g_assert_null (second);
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "NFLOG group 1 is already read by another program"));
  /* Closing the first frees the groups. */
  g_clear_object (&first);
  g_clear_error (&error);
  second = pal_nflog_reader_new (&error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  net_test_init ();

  net_test_add ("/net/nflog/fields", test_fields);
  net_test_add ("/net/nflog/flood", test_flood);
  net_test_add ("/net/nflog/events", test_events);
  net_test_add ("/net/nflog/busy", test_busy);

  return g_test_run ();
}
