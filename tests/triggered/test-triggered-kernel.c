/* test-triggered-kernel.c — PalTriggered against the real nf_tables, each
 * test in network namespaces of its own: bans by probe and by hand, the
 * trusted list, expiry, removal, persistence, import/export, scale.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "kernel-test-util.h"
#include "pal-helper-error.h"
#include "pal-triggered-values.h"
#include "pal-triggered.h"

#define ID(n) "00000000-0000-4000-8000-0000000000" n
#define BANNED  ID ("01")
#define TRIGGER ID ("02")

#define TRIGGER_PORT 7600
#define OPEN_PORT    7601

static void
add_top (PalDocument *document,
         PalRule     *rule)
{
  pal_document_append_rule (document, rule);
  g_object_unref (rule);
}

/* What IPNetSentryX's "suspicious activity" group does: drop what is
 * triggered, and trigger on a probe of the trigger port. */
static PalDocument *
trigger_document (const char * const *trusted)
{
  PalDocument *document = pal_document_new ();

  pal_document_set_enabled (document, TRUE);
  if (trusted != NULL)
    pal_document_set_trusted (document, trusted);
  add_top (document, kernel_rule (BANNED, "listed-in", "is", "triggered", "drop", ""));
  add_top (document, kernel_rule (TRIGGER, "destination-port", "is", G_STRINGIFY (TRIGGER_PORT), "trigger", "10m"));
  return document;
}

static PalTriggeredEntry *
find (GPtrArray  *entries,
      const char *address)
{
  for (guint i = 0; i < entries->len; i++)
    {
      PalTriggeredEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->address, address))
        return entry;
    }
  return NULL;
}

static GPtrArray *
list (PalTriggered *triggered)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = pal_triggered_list (triggered, &error);

  g_assert_no_error (error);
  return entries;
}

static PalTriggered *
new_triggered (void)
{
  g_autoptr(GError) error = NULL;
  PalTriggered *triggered = pal_triggered_new (&error);

  g_assert_no_error (error);
  return triggered;
}

static void
collect_entry (const char *address,
               guint64     seconds_left,
               const char *reason,
               gint64      when,
               gpointer    user_data)
{
  PalTriggeredEntry *entry = g_new0 (PalTriggeredEntry, 1);

  entry->address = g_strdup (address);
  entry->seconds_left = seconds_left;
  entry->reason = g_strdup (reason);
  entry->when = when;
  g_ptr_array_add (user_data, entry);
}

/* ListTriggeredValues' packed form says what the list says. */
static void
assert_values_match (PalTriggered *triggered)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) values = g_variant_ref_sink (pal_triggered_list_values (triggered, &error));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) decoded = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_triggered_entry_free);

  g_assert_no_error (error);
  g_assert_cmpint (pal_triggered_values_foreach (values, collect_entry, decoded, &error), ==, decoded->len);
  g_assert_no_error (error);
  entries = list (triggered);
  g_assert_cmpuint (decoded->len, ==, entries->len);
  for (guint i = 0; i < decoded->len; i++)
    {
      PalTriggeredEntry *got = g_ptr_array_index (decoded, i);
      PalTriggeredEntry *want = find (entries, got->address);

      g_assert_nonnull (want);
      g_assert_cmpstr (got->reason, ==, want->reason);
      /* Two reads, a second apart at most (a rule's element dates
       * itself from the time left). */
      g_assert_cmpint (ABS (got->when - want->when), <=, 1);
      g_assert_cmpuint (got->seconds_left - MIN (got->seconds_left, want->seconds_left), <=, 1);
      g_assert_cmpuint (want->seconds_left - MIN (got->seconds_left, want->seconds_left), <=, 1);
    }
}

/* ------------------------------------------------------------ by hand */

static void
test_manage (void)
{
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalDocument) document = trigger_document (NULL);
  g_autoptr(PalTriggered) triggered = new_triggered ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  const char *texts[] = { "10.1.0.1", "10.2.0.0/30", "10.3.0.1-10.3.0.3", "fd00::1", NULL };
  const char *again[] = { "10.1.0.1", NULL };
  const char *network[] = { "10.2.0.0/30", "10.9.9.9", NULL };
  const char *bad[] = { "10.1.0.1", "10.0.0.300", NULL };
  PalTriggeredEntry *entry;

  /* No table yet: nothing is banned, and nothing can be. */
  entries = list (triggered);
  g_assert_cmpuint (entries->len, ==, 0);
  g_clear_pointer (&entries, g_ptr_array_unref);
  g_assert_cmpint (pal_triggered_add (triggered, texts, 600, "x", 0, &error), ==, -1);
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED);
  g_clear_error (&error);

  kernel_apply (firewall, document);
  g_assert_cmpint (pal_triggered_add (triggered, texts, 600, "by hand: a test", 0, &error), ==, 9);
  g_assert_no_error (error);
  entries = list (triggered);
  g_assert_cmpuint (entries->len, ==, 9);
  entry = find (entries, "10.2.0.3");
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->reason, ==, "by hand: a test");
  g_assert_cmpuint (entry->seconds_left, <=, 600);
  g_assert_cmpuint (entry->seconds_left, >, 590);
  g_assert_cmpint (ABS (entry->when - g_get_real_time () / G_USEC_PER_SEC), <=, 2);
  g_assert_nonnull (find (entries, "fd00::1"));
  g_assert_nonnull (find (entries, "10.3.0.2"));
  g_clear_pointer (&entries, g_ptr_array_unref);
  assert_values_match (triggered);

  /* nft reads what we wrote: the reason as the comment, our TLV skipped. */
  listing = kernel_nft ("list", "set", "inet", "palisade", "triggered4", NULL);
  g_assert_nonnull (strstr (listing, "comment \"by hand: a test\""));

  /* Again: the new duration and reason replace the old. */
  g_assert_cmpint (pal_triggered_add (triggered, again, G_MAXUINT64, "forever now", 0, &error), ==, 1);
  entries = list (triggered);
  entry = find (entries, "10.1.0.1");
  g_assert_cmpuint (entry->seconds_left, ==, G_MAXUINT64);
  g_assert_cmpstr (entry->reason, ==, "forever now");
  g_clear_pointer (&entries, g_ptr_array_unref);
  /* Two reasons now, and one entry forever. */
  assert_values_match (triggered);

  /* Invalid input changes nothing and says which address. */
  g_assert_cmpint (pal_triggered_add (triggered, bad, 60, "", 0, &error), ==, -1);
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS);
  g_assert_nonnull (strstr (error->message, "Address 2"));
  g_clear_error (&error);
  g_assert_cmpint (pal_triggered_add (triggered, again, 0, "", 0, &error), ==, -1);
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS);
  g_clear_error (&error);

  /* Removal counts what was there. */
  g_assert_cmpint (pal_triggered_remove (triggered, network, &error), ==, 4);
  entries = list (triggered);
  g_assert_cmpuint (entries->len, ==, 5);
  g_assert_null (find (entries, "10.2.0.1"));
  g_clear_pointer (&entries, g_ptr_array_unref);

  g_assert_true (pal_triggered_flush (triggered, &error));
  entries = list (triggered);
  g_assert_cmpuint (entries->len, ==, 0);
}

static void
test_import_export (void)
{
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalDocument) document = trigger_document (NULL);
  g_autoptr(PalTriggered) triggered = new_triggered ();
  g_autoptr(GPtrArray) trusted = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *exported = NULL;
  const char *broken =
    "# a comment\n"
    "10.5.0.1\ttriggered\tport scan\t600\n"
    "10.5.0.300\ttriggered\tport scan\t600\n"
    "10.5.0.2\tkept\tport scan\t600\n"
    "10.5.0.3\ttriggered\tport scan\tsoon\n";
  const char *good =
    "10.5.0.1\ttriggered\tport scan\t600\r\n"
    "10.6.0.0-10.6.0.1\tTriggered\tssh\t15m\n"
    "fd00::5\ttriggered\t\tunlimited\n"
    "192.168.7.0/24\ttrusted\t\t\n"
    "\n";
  PalTriggeredEntry *entry;

  kernel_apply (firewall, document);
  g_assert_cmpint (pal_triggered_import (triggered, broken, trusted, &error), ==, -1);
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS);
  g_assert_nonnull (strstr (error->message, "line 3: "));
  g_assert_nonnull (strstr (error->message, "line 4: type “kept”"));
  g_assert_nonnull (strstr (error->message, "line 5: "));
  g_assert_null (strstr (error->message, "line 2"));
  g_clear_error (&error);
  entries = list (triggered);
  g_assert_cmpuint (entries->len, ==, 0);
  g_clear_pointer (&entries, g_ptr_array_unref);

  g_assert_cmpint (pal_triggered_import (triggered, good, trusted, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_cmpuint (trusted->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (trusted, 0), ==, "192.168.7.0/24");
  entries = list (triggered);
  entry = find (entries, "10.6.0.1");
  g_assert_cmpstr (entry->reason, ==, "ssh");
  g_assert_cmpuint (entry->seconds_left, <=, 900);
  g_assert_cmpuint (find (entries, "fd00::5")->seconds_left, ==, G_MAXUINT64);
  g_clear_pointer (&entries, g_ptr_array_unref);

  {
    const char *list_trusted[] = { "192.168.7.0/24", NULL };

    exported = pal_triggered_export (triggered, list_trusted, &error);
  }
  g_assert_no_error (error);
  g_assert_nonnull (strstr (exported, "192.168.7.0/24\ttrusted\t\t\n"));
  g_assert_nonnull (strstr (exported, "10.5.0.1\ttriggered\tport scan\t"));
  g_assert_nonnull (strstr (exported, "fd00::5\ttriggered\t\tforever\n"));
  /* What is exported imports again. */
  g_assert_true (pal_triggered_flush (triggered, &error));
  g_ptr_array_set_size (trusted, 0);
  g_assert_cmpint (pal_triggered_import (triggered, exported, trusted, &error), ==, 4);
  g_assert_no_error (error);
}

/* ------------------------------------------------------------ traffic */

static void
test_probe_bans (void)
{
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalDocument) document = trigger_document (NULL);
  g_autoptr(PalTriggered) triggered = new_triggered ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  const char *peer[] = { "10.99.0.2", NULL };

  kernel_peer_setup ();
  kernel_apply (firewall, document);
  g_assert_cmpint (kernel_peer_tcp_connect ("10.99.0.1", OPEN_PORT, 1000), ==, KERNEL_ANSWERED);
  /* The probe is dropped, and bans its source. */
  g_assert_cmpint (kernel_peer_udp_exchange ("10.99.0.1", TRIGGER_PORT, 400), ==, KERNEL_TIMED_OUT);
  entries = list (triggered);
  g_assert_nonnull (find (entries, "10.99.0.2"));
  /* A rule added it: no reason, its time derived from the timeout. */
  g_assert_cmpstr (find (entries, "10.99.0.2")->reason, ==, "");
  g_assert_cmpuint (find (entries, "10.99.0.2")->timeout, ==, 600);
  g_assert_cmpint (ABS (find (entries, "10.99.0.2")->when - g_get_real_time () / G_USEC_PER_SEC), <=, 2);
  assert_values_match (triggered);
  g_assert_cmpint (kernel_peer_tcp_connect ("10.99.0.1", OPEN_PORT, 500), ==, KERNEL_TIMED_OUT);

  /* Removed by hand: unbanned at once. */
  g_assert_cmpint (pal_triggered_remove (triggered, peer, &error), ==, 1);
  g_assert_cmpint (kernel_peer_tcp_connect ("10.99.0.1", OPEN_PORT, 1000), ==, KERNEL_ANSWERED);
}

static void
test_trusted_never_banned (void)
{
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  const char *trusted[] = { "10.99.0.0/24", NULL };
  g_autoptr(PalDocument) document = trigger_document (trusted);
  g_autoptr(PalTriggered) triggered = new_triggered ();
  g_autoptr(GPtrArray) entries = NULL;

  kernel_peer_setup ();
  kernel_apply (firewall, document);
  /* The same probe from a trusted network: dropped like any probe of
   * that port, but its source is not banned. */
  g_assert_cmpint (kernel_peer_udp_exchange ("10.99.0.1", TRIGGER_PORT, 400), ==, KERNEL_TIMED_OUT);
  entries = list (triggered);
  g_assert_null (find (entries, "10.99.0.2"));
  g_assert_cmpint (kernel_peer_tcp_connect ("10.99.0.1", OPEN_PORT, 1000), ==, KERNEL_ANSWERED);
}

static void
test_expiry (void)
{
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalDocument) document = trigger_document (NULL);
  g_autoptr(PalTriggered) triggered = new_triggered ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  const char *peer[] = { "10.99.0.2", NULL };

  kernel_peer_setup ();
  kernel_apply (firewall, document);
  g_assert_cmpint (pal_triggered_add (triggered, peer, 2, "short", 0, &error), ==, 1);
  g_assert_cmpint (kernel_peer_tcp_connect ("10.99.0.1", OPEN_PORT, 500), ==, KERNEL_TIMED_OUT);
  g_usleep (2500 * 1000);
  entries = list (triggered);
  g_assert_null (find (entries, "10.99.0.2"));
  g_assert_cmpint (kernel_peer_tcp_connect ("10.99.0.1", OPEN_PORT, 1000), ==, KERNEL_ANSWERED);
}

/* ------------------------------------------------------------ persistence */

static void
test_persistence (void)
{
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalDocument) document = trigger_document (NULL);
  g_autoptr(PalTriggered) triggered = new_triggered ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("palisade-triggered-XXXXXX", &error);
  g_autofree char *path = g_build_filename (directory, PAL_TRIGGERED_STATE_FILE, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *with_expired = NULL;
  const char *banned[] = { "10.7.0.1", "fd00::7", NULL };
  const char *forever[] = { "10.7.0.2", NULL };
  PalTriggeredEntry *entry;
  gint64 when;

  g_assert_no_error (error);
  kernel_apply (firewall, document);
  g_assert_cmpint (pal_triggered_add (triggered, banned, 300, "sshd: 10 failed logins", 0, &error), ==, 2);
  g_assert_cmpint (pal_triggered_add (triggered, forever, G_MAXUINT64, "by hand", 1000000, &error), ==, 1);
  g_assert_true (pal_triggered_save (triggered, directory, &error));
  g_assert_no_error (error);

  /* A reboot: the table is gone; applying makes empty sets. */
  g_free (kernel_nft ("delete", "table", "inet", "palisade", NULL));
  g_clear_object (&firewall);
  firewall = kernel_firewall ();
  kernel_apply (firewall, document);
  entries = list (triggered);
  g_assert_cmpuint (entries->len, ==, 0);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* One more entry that expired while the helper was away. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  with_expired = g_strdup_printf ("%s10.7.0.9\t%" G_GINT64_FORMAT "\t1\told\n", contents,
                                  g_get_real_time () / G_USEC_PER_SEC - 5);
  g_assert_true (g_file_set_contents (path, with_expired, -1, &error));

  g_assert_cmpint (pal_triggered_restore (triggered, directory, &error), ==, 3);
  g_assert_no_error (error);
  entries = list (triggered);
  g_assert_cmpuint (entries->len, ==, 3);
  entry = find (entries, "10.7.0.1");
  g_assert_cmpstr (entry->reason, ==, "sshd: 10 failed logins");
  g_assert_cmpuint (entry->seconds_left, <=, 300);
  g_assert_cmpuint (entry->seconds_left, >=, 295);
  when = entry->when;
  g_assert_cmpint (ABS (when - g_get_real_time () / G_USEC_PER_SEC), <=, 3);
  g_assert_nonnull (find (entries, "fd00::7"));
  entry = find (entries, "10.7.0.2");
  g_assert_cmpuint (entry->seconds_left, ==, G_MAXUINT64);
  g_assert_cmpint (entry->when, ==, 1000000);
  g_assert_null (find (entries, "10.7.0.9"));

  g_unlink (path);
  g_rmdir (directory);
}

/* ------------------------------------------------------------ scale */

static char **
many_addresses (guint n,
                guint8 second)
{
  char **texts = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    texts[i] = g_strdup_printf ("10.%u.%u.%u", second + i / 65536, (i / 256) % 256, i % 256);
  return texts;
}

static void
test_scale (void)
{
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalDocument) document = trigger_document (NULL);
  g_autoptr(PalTriggered) triggered = new_triggered ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ten_thousand = many_addresses (10000, 200);
  g_auto(GStrv) hundred_thousand = many_addresses (100000, 10);
  const char *one[] = { "192.0.2.99", NULL };
  gint64 start;
  double add_ms, one_ms, list_ms, nft_ms;

  kernel_apply (firewall, document);
  start = g_get_monotonic_time ();
  g_assert_cmpint (pal_triggered_add (triggered, (const char * const *) ten_thousand, 600, "scale", 0, &error),
                   ==, 10000);
  add_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_no_error (error);
  g_assert_cmpint (pal_triggered_add (triggered, (const char * const *) hundred_thousand, 600, "scale", 0, &error),
                   ==, 100000);
  /* One ban among 110,000 looks up its one address, not the sets. */
  start = g_get_monotonic_time ();
  g_assert_cmpint (pal_triggered_add (triggered, one, 600, "scale", 0, &error), ==, 1);
  one_ms = (g_get_monotonic_time () - start) / 1000.0;
  start = g_get_monotonic_time ();
  entries = list (triggered);
  list_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_cmpuint (entries->len, ==, 110001);
  start = g_get_monotonic_time ();
  g_free (kernel_nft ("list", "set", "inet", "palisade", "triggered4", NULL));
  nft_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_test_message ("add 10,000: %.0f ms; add 1 to 110,000: %.1f ms; list 110,001: %.0f ms (nft list set: %.0f ms)",
                  add_ms, one_ms, list_ms, nft_ms);
  /* The times are printed, not asserted: a loaded machine must not fail
   * this test. bench/triggered compares them with nft in the same run. */
}

/* One large call the way the fast paths take it: plain IPv4 and IPv6
 * mixed with texts only pal_value_parse() reads, names given twice, and
 * addresses already there (deleted and added again in the same batch).
 * What add_full reports is what the sets then say. */
static void
test_large_call (void)
{
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalDocument) document = trigger_document (NULL);
  g_autoptr(PalTriggered) triggered = new_triggered ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  const char *before[] = { "10.20.0.1", "fd00::20:2", "10.20.0.3", NULL };
  guint n_v4 = 0, n_v6 = 0;
  PalTriggeredEntry *entry;

  kernel_apply (firewall, document);
  g_assert_cmpint (pal_triggered_add (triggered, before, G_MAXUINT64, "earlier", 0, &error), ==, 3);
  for (guint i = 0; i < 9000; i++)
    {
      if (i % 3 == 2)
        g_ptr_array_add (texts, g_strdup_printf ("fd00::20:%x", i));
      else
        g_ptr_array_add (texts, g_strdup_printf ("10.20.%u.%u", i / 256, i % 256));
    }
  /* Twice, with spaces, a network and a range of three (two of them new). */
  g_ptr_array_add (texts, g_strdup ("10.20.0.1"));
  g_ptr_array_add (texts, g_strdup (" 10.20.0.4 "));
  g_ptr_array_add (texts, g_strdup ("10.21.0.0/30"));
  g_ptr_array_add (texts, g_strdup ("FD00::20:2"));
  g_ptr_array_add (texts, g_strdup ("10.21.0.3-10.21.0.5"));
  g_ptr_array_add (texts, NULL);
  for (guint i = 0; i < 9000; i++)
    (i % 3 == 2 ? n_v6++ : n_v4++);
  g_assert_cmpint (pal_triggered_add_full (triggered, (const char * const *) texts->pdata, 600, "large", 0, &added,
                                           &error), ==, n_v4 + n_v6 + 4 + 2);
  g_assert_no_error (error);
  g_assert_cmpuint (added->len, ==, n_v4 + n_v6 + 6);
  entries = list (triggered);
  g_assert_cmpuint (entries->len, ==, n_v4 + n_v6 + 6);
  for (guint i = 0; i < added->len; i++)
    {
      PalTriggeredEntry *want = g_ptr_array_index (added, i);

      entry = find (entries, want->address);
      g_assert_nonnull (entry);
      g_assert_cmpstr (entry->reason, ==, want->reason);
      g_assert_cmpint (entry->when, ==, want->when);
      g_assert_cmpuint (entry->timeout, ==, want->timeout);
    }
  /* What was there before has the new duration and reason now. */
  entry = find (entries, "fd00::20:2");
  g_assert_cmpstr (entry->reason, ==, "large");
  g_assert_cmpuint (entry->seconds_left, <=, 600);
  g_assert_cmpstr (find (entries, "10.20.0.3")->reason, ==, "large");
  g_assert_nonnull (find (entries, "10.21.0.5"));
  assert_values_match (triggered);

  /* A few addresses are looked up one by one, not by reading the sets:
   * the one there is replaced, the other added; removal counts what was
   * there. */
  {
    const char *few[] = { "fd00::20:5", "10.23.0.1", NULL };
    const char *gone[] = { "10.23.0.1", "10.23.0.2", NULL };

    g_assert_cmpint (pal_triggered_add (triggered, few, G_MAXUINT64, "few", 0, &error), ==, 2);
    g_assert_no_error (error);
    g_clear_pointer (&entries, g_ptr_array_unref);
    entries = list (triggered);
    g_assert_cmpuint (entries->len, ==, n_v4 + n_v6 + 7);
    g_assert_cmpstr (find (entries, "fd00::20:5")->reason, ==, "few");
    g_assert_cmpuint (find (entries, "fd00::20:5")->seconds_left, ==, G_MAXUINT64);
    g_assert_cmpint (pal_triggered_remove (triggered, gone, &error), ==, 1);
    g_assert_no_error (error);
  }

  /* One bad text among 10,000: refused by its position, nothing added. */
  g_ptr_array_set_size (texts, 0);
  for (guint i = 0; i < 10000; i++)
    g_ptr_array_add (texts, i == 4999 ? g_strdup ("10.22.0.300") : g_strdup_printf ("10.22.%u.%u", i / 256, i % 256));
  g_ptr_array_add (texts, NULL);
  g_assert_cmpint (pal_triggered_add (triggered, (const char * const *) texts->pdata, 600, "bad", 0, &error), ==, -1);
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS);
  g_assert_nonnull (strstr (error->message, "Address 5000 (“10.22.0.300”)"));
  g_clear_error (&error);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = list (triggered);
  g_assert_cmpuint (entries->len, ==, n_v4 + n_v6 + 6);
  g_assert_null (find (entries, "10.22.0.1"));
}

/* With the firewall's event monitor deaf to our own commits of elements,
 * applies after them go through as before (the generation is accounted),
 * and a change of our table by someone else is still a conflict. */
static void
test_unheard_commits (void)
{
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalDocument) document = trigger_document (NULL);
  g_autoptr(PalTriggered) triggered = new_triggered ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) addresses = many_addresses (1000, 30);
  const char *one[] = { "10.30.0.5", NULL };

  pal_triggered_set_firewall (triggered, firewall);
  kernel_apply (firewall, document);
  g_assert_cmpint (pal_triggered_add (triggered, (const char * const *) addresses, 600, "unheard", 0, &error), ==,
                   1000);
  g_assert_cmpint (pal_triggered_remove (triggered, one, &error), ==, 1);
  pal_rule_set_value (pal_document_find_rule (document, TRIGGER), G_STRINGIFY (OPEN_PORT));
  kernel_apply (firewall, document);
  g_assert_true (pal_triggered_flush (triggered, &error));
  kernel_apply (firewall, document);

  g_assert_cmpint (pal_triggered_add (triggered, one, 600, "unheard", 0, &error), ==, 1);
  g_free (kernel_nft ("add", "rule", "inet", "palisade", "input", "tcp", "dport", "9999", "drop", NULL));
  g_assert_false (pal_firewall_apply (firewall, document, &error));
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_CONFLICT);
  g_clear_error (&error);
  kernel_apply (firewall, document);
  entries = list (triggered);
  g_assert_cmpuint (entries->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  kernel_test_init ();

  kernel_test_add ("/triggered/kernel/manage", test_manage);
  kernel_test_add ("/triggered/kernel/import-export", test_import_export);
  kernel_test_add ("/triggered/kernel/persistence", test_persistence);
  kernel_test_add ("/triggered/kernel/scale", test_scale);
  kernel_test_add ("/triggered/kernel/large-call", test_large_call);
  kernel_test_add ("/triggered/kernel/unheard-commits", test_unheard_commits);
  kernel_test_add_root ("/triggered/kernel/probe-bans", test_probe_bans);
  kernel_test_add_root ("/triggered/kernel/trusted-never-banned", test_trusted_never_banned);
  kernel_test_add_root ("/triggered/kernel/expiry", test_expiry);
  return g_test_run ();
}
