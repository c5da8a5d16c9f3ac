/* test-log-entry.c — the packet headers of a log entry, from bytes as
 * NFLOG copies them: whole, cut short anywhere, fragmented, with IPv6
 * extension headers; and the GVariant form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "pal-log-entry.h"

/* 192.0.2.1:40000 → 198.51.100.2:443, SYN+ACK, total length 60. */
static const guint8 ipv4_tcp[] = {
  0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
  192, 0, 2, 1, 198, 51, 100, 2,
  0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x12, 0xff, 0xff, 0, 0, 0, 0,
};

/* 2001:db8::1 → 2001:db8::2, hop-by-hop options, first fragment, UDP 53 → 5353. */
static const guint8 ipv6_udp[] = {
  0x60, 0, 0, 0, 0x00, 0x18, IPPROTO_HOPOPTS, 64,
  0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
  0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
  IPPROTO_FRAGMENT, 0, 1, 4, 0, 0, 0, 0,             /* hop-by-hop, 8 bytes */
  IPPROTO_UDP, 0, 0x00, 0x01, 0, 0, 0, 7,            /* fragment, offset 0, more */
  0x00, 0x35, 0x14, 0xe9, 0x00, 0x08, 0, 0,          /* UDP */
};

static GVariant *
to_variant (const PalLogEntry *entry)
{
  GVariant *variant = g_variant_ref_sink (pal_log_entry_to_variant (entry));

  g_assert_true (g_variant_is_of_type (variant, PAL_LOG_ENTRY_TYPE));
  return variant;
}

static void
test_ipv4_tcp (void)
{
  PalLogEntry entry;
  g_autoptr(GVariant) variant = NULL;
  const char *protocol, *source, *destination, *flags;
  guint16 sport, dport;
  gint16 icmp_type;
  guint32 length;

  pal_log_entry_init (&entry, PAL_LOG_KIND_LOG, 1);
  g_assert_true (pal_log_entry_parse_packet (&entry, AF_UNSPEC, ipv4_tcp, sizeof ipv4_tcp));
  entry.text = g_strdup ("web");
  variant = to_variant (&entry);
  g_variant_get (variant, "(xssssssss&s&s&sqqnn&su)", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                 NULL, NULL, &protocol, &source, &destination, &sport, &dport, &icmp_type, NULL,
                 &flags, &length);
  g_assert_cmpstr (protocol, ==, "tcp");
  g_assert_cmpstr (source, ==, "192.0.2.1");
  g_assert_cmpstr (destination, ==, "198.51.100.2");
  g_assert_cmpuint (sport, ==, 40000);
  g_assert_cmpuint (dport, ==, 443);
  g_assert_cmpint (icmp_type, ==, -1);
  g_assert_cmpstr (flags, ==, "syn,ack");
  g_assert_cmpuint (length, ==, 60);
  pal_log_entry_clear (&entry);
}

static void
test_ipv4_short (void)
{
  for (gsize length = 0; length <= sizeof ipv4_tcp; length++)
    {
      PalLogEntry entry;
      gboolean parsed;

      pal_log_entry_init (&entry, PAL_LOG_KIND_LOG, 1);
      /* A copy of exactly that length, so a read past it is caught by
       * valgrind or ASan. */
      {
        g_autofree guint8 *copy = g_memdup2 (ipv4_tcp, length);
        parsed = pal_log_entry_parse_packet (&entry, AF_INET, copy, length);
      }
      g_assert_cmpint (parsed, ==, length >= 20);
      g_assert_cmpint (entry.is_tcp, ==, length >= 20 + 14);
      g_assert_cmpuint (entry.sport, ==, length >= 24 ? 40000 : 0);
      pal_log_entry_clear (&entry);
    }
}

static void
test_ipv4_fragment (void)
{
  g_autofree guint8 *packet = g_memdup2 (ipv4_tcp, sizeof ipv4_tcp);
  PalLogEntry entry;

  packet[6] = 0x00;   /* fragment offset 8 × 8 bytes: no TCP header here */
  packet[7] = 0x08;
  pal_log_entry_init (&entry, PAL_LOG_KIND_LOG, 1);
  g_assert_true (pal_log_entry_parse_packet (&entry, AF_INET, packet, sizeof ipv4_tcp));
  g_assert_cmpuint (entry.protocol, ==, IPPROTO_TCP);
  g_assert_cmpuint (entry.sport, ==, 0);
  g_assert_false (entry.is_tcp);
}

static void
test_ipv4_bad (void)
{
  g_autofree guint8 *packet = g_memdup2 (ipv4_tcp, sizeof ipv4_tcp);
  PalLogEntry entry;

  pal_log_entry_init (&entry, PAL_LOG_KIND_LOG, 1);
  packet[0] = 0x44;   /* header length 16: impossible */
  g_assert_false (pal_log_entry_parse_packet (&entry, AF_INET, packet, sizeof ipv4_tcp));
  packet[0] = 0x4f;   /* 60 bytes of header, more than copied: addresses only */
  g_assert_true (pal_log_entry_parse_packet (&entry, AF_INET, packet, sizeof ipv4_tcp));
  g_assert_cmpuint (entry.sport, ==, 0);
  packet[0] = 0x65;   /* says IPv6 where IPv4 was promised */
  pal_log_entry_init (&entry, PAL_LOG_KIND_LOG, 1);
  g_assert_false (pal_log_entry_parse_packet (&entry, AF_INET, packet, sizeof ipv4_tcp));
  g_assert_cmpint (entry.family, ==, 0);
}

static void
test_ipv6_extensions (void)
{
  g_autoptr(GVariant) variant = NULL;
  const char *protocol, *source, *flags;
  guint16 sport, dport;
  PalLogEntry entry;
  guint32 length;

  pal_log_entry_init (&entry, PAL_LOG_KIND_ALERT, 1);
  g_assert_true (pal_log_entry_parse_packet (&entry, AF_UNSPEC, ipv6_udp, sizeof ipv6_udp));
  variant = to_variant (&entry);
  g_variant_get (variant, "(xssssssss&s&ssqqnn&su)", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                 NULL, NULL, &protocol, &source, NULL, &sport, &dport, NULL, NULL, &flags, &length);
  g_assert_cmpstr (protocol, ==, "udp");
  g_assert_cmpstr (source, ==, "2001:db8::1");
  g_assert_cmpuint (sport, ==, 53);
  g_assert_cmpuint (dport, ==, 5353);
  g_assert_cmpstr (flags, ==, "");
  g_assert_cmpuint (length, ==, 40 + 24);
}

static void
test_ipv6_short (void)
{
  for (gsize length = 0; length <= sizeof ipv6_udp; length++)
    {
      g_autofree guint8 *copy = g_memdup2 (ipv6_udp, length);
      PalLogEntry entry;

      pal_log_entry_init (&entry, PAL_LOG_KIND_LOG, 1);
      g_assert_cmpint (pal_log_entry_parse_packet (&entry, AF_INET6, copy, length), ==, length >= 40);
      g_assert_cmpuint (entry.sport, ==, length >= 56 + 4 ? 53 : 0);
    }
}

static void
test_ipv6_later_fragment (void)
{
  g_autofree guint8 *packet = g_memdup2 (ipv6_udp, sizeof ipv6_udp);
  PalLogEntry entry;

  packet[50] = 0x00;   /* offset 1 × 8 bytes */
  packet[51] = 0x08;
  pal_log_entry_init (&entry, PAL_LOG_KIND_LOG, 1);
  g_assert_true (pal_log_entry_parse_packet (&entry, AF_INET6, packet, sizeof ipv6_udp));
  g_assert_cmpuint (entry.protocol, ==, IPPROTO_UDP);
  g_assert_cmpuint (entry.sport, ==, 0);
}

/* A chain of extension headers longer than we follow ends the walk. */
static void
test_ipv6_long_chain (void)
{
  guint8 packet[40 + 16 * 8 + 8] = { 0x60, 0, 0, 0, 0, 0, IPPROTO_DSTOPTS, 64, };
  PalLogEntry entry;

  for (guint i = 0; i < 16; i++)
    packet[40 + i * 8] = IPPROTO_DSTOPTS;
  pal_log_entry_init (&entry, PAL_LOG_KIND_LOG, 1);
  g_assert_true (pal_log_entry_parse_packet (&entry, AF_INET6, packet, sizeof packet));
  g_assert_cmpuint (entry.sport, ==, 0);
  g_assert_cmpint (entry.icmp_type, ==, -1);
}

/* Random bytes never make it read too far or print invalid text. */
static void
test_random (void)
{
  GRand *rand = g_rand_new_with_seed (42);

  for (guint round = 0; round < 20000; round++)
    {
      gsize length = g_rand_int_range (rand, 0, 100);
      g_autofree guint8 *bytes = g_malloc (MAX (length, 1));
      g_autoptr(GVariant) variant = NULL;
      PalLogEntry entry;

      for (gsize i = 0; i < length; i++)
        bytes[i] = g_rand_int (rand);
      if (length > 0)
        bytes[0] = (bytes[0] & 0x0f) | (g_rand_boolean (rand) ? 0x40 : 0x60);
      pal_log_entry_init (&entry, PAL_LOG_KIND_LOG, 1);
      pal_log_entry_parse_packet (&entry, AF_UNSPEC, bytes, length);
      variant = to_variant (&entry);
    }
  g_rand_free (rand);
}

static void
test_kinds (void)
{
  PalLogEntry entry;
  g_autoptr(GVariant) variant = NULL;
  const char *kind, *text;

  g_assert_cmpstr (pal_log_kind_to_string (PAL_LOG_KIND_LOG), ==, "log");
  g_assert_cmpstr (pal_log_kind_to_string (PAL_LOG_KIND_SUPPRESSED), ==, "suppressed");
  g_assert_cmpstr (pal_log_kind_to_string (PAL_LOG_KIND_ERROR), ==, "error");
  g_assert_null (pal_log_kind_to_string (PAL_LOG_KIND_LAST + 1));

  pal_log_entry_init (&entry, PAL_LOG_KIND_CONFLICT, 7);
  entry.text = g_strdup ("Someone else changed the table");
  g_strlcpy (entry.in, "eth\xff", sizeof entry.in);   /* names are bytes to Linux */
  variant = to_variant (&entry);
  g_variant_get (variant, "(x&s&ssssssssssqqnnsu)", NULL, &kind, &text, NULL, NULL, NULL, NULL, NULL,
                 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  g_assert_cmpstr (kind, ==, "conflict");
  g_assert_cmpstr (text, ==, "Someone else changed the table");
  pal_log_entry_clear (&entry);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/log-entry/ipv4-tcp", test_ipv4_tcp);
  g_test_add_func ("/net/log-entry/ipv4-short", test_ipv4_short);
  g_test_add_func ("/net/log-entry/ipv4-fragment", test_ipv4_fragment);
  g_test_add_func ("/net/log-entry/ipv4-bad", test_ipv4_bad);
  g_test_add_func ("/net/log-entry/ipv6-extensions", test_ipv6_extensions);
  g_test_add_func ("/net/log-entry/ipv6-short", test_ipv6_short);
  g_test_add_func ("/net/log-entry/ipv6-later-fragment", test_ipv6_later_fragment);
  g_test_add_func ("/net/log-entry/ipv6-long-chain", test_ipv6_long_chain);
  g_test_add_func ("/net/log-entry/random", test_random);
  g_test_add_func ("/net/log-entry/kinds", test_kinds);

  return g_test_run ();
}
