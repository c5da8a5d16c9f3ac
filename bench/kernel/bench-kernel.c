/* bench-kernel.c — palisade-helper's kernel side against nft, on this
 * machine: apply, re-apply, counters, Show Active for documents of 1,000 to
 * 100,000 rules, and `nft -f` of the same table (the export).
 *
 * Runs in a network namespace of its own (root, or an unprivileged user
 * namespace). Usage: bench-kernel [RULES…] (default 1000 10000 100000).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <sched.h>
#include <unistd.h>

#include "pal-firewall.h"

#define GROUP_ID "00000000-0000-4000-8000-000000000001"

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* N rules "source address is 10.x.y.z: drop" under one incoming group:
 * N kernel rules in one chain, like the one-chain figures of BRIEF. */
static PalDocument *
make_document (guint n)
{
  PalDocument *document = pal_document_new ();
  g_autoptr(PalRule) group = pal_rule_new (PAL_PROPERTY_DIRECTION, PAL_ACTION_GROUP);

  pal_rule_set_id (group, GROUP_ID);
  pal_rule_set_value (group, "in");
  pal_document_set_enabled (document, TRUE);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = pal_rule_new (PAL_PROPERTY_SOURCE_ADDRESS, PAL_ACTION_DROP);
      g_autofree char *address = g_strdup_printf ("10.%u.%u.%u", (i >> 16) & 255, (i >> 8) & 255, i & 255);

      pal_rule_set_value (rule, address);
      pal_rule_append_child (group, rule);
    }
  pal_document_append_rule (document, group);
  return document;
}

static double
time_nft_load (const char *script)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) nft = NULL;
  double start;

  g_file_set_contents ("/tmp/bench-kernel.nft", script, -1, &error);
  g_assert_no_error (error);
  start = now_ms ();
  nft = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "nft", "-f", "/tmp/bench-kernel.nft", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (nft, NULL, &error);
  g_assert_no_error (error);
  return now_ms () - start;
}

static void
run (guint n)
{
  g_autoptr(PalDocument) document = make_document (n);
  g_autoptr(PalFirewall) firewall = NULL;
  g_autoptr(PalFirewall) restarted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  double start, compile, apply, reapply, change, counters = 0, counters_best = G_MAXDOUBLE, active, nft;
  PalRule *group;
  guint rounds = n >= 100000 ? 3 : 10;

  start = now_ms ();
  script = pal_firewall_export (document, &error);
  g_assert_no_error (error);
  compile = now_ms () - start;

  firewall = pal_firewall_new (&error);
  g_assert_no_error (error);
  start = now_ms ();
  pal_firewall_apply (firewall, document, &error);
  g_assert_no_error (error);
  apply = now_ms () - start;

  start = now_ms ();
  pal_firewall_apply (firewall, document, &error);
  g_assert_no_error (error);
  reapply = now_ms () - start;

  group = pal_document_find_rule (document, GROUP_ID);
  {
    g_autoptr(PalRule) first = pal_rule_get_child (group, 0);

    pal_rule_set_value (first, "192.0.2.1");
  }
  start = now_ms ();
  pal_firewall_apply (firewall, document, &error);
  g_assert_no_error (error);
  change = now_ms () - start;

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(GVariant) result = NULL;
      double took;

      start = now_ms ();
      result = pal_firewall_get_counters (firewall, &error);
      g_assert_no_error (error);
      g_variant_ref_sink (result);
      took = now_ms () - start;
      counters += took;
      counters_best = MIN (counters_best, took);
      g_assert_cmpuint (g_variant_n_children (result), ==, n + 2);
    }

  restarted = pal_firewall_new (&error);
  g_assert_no_error (error);
  start = now_ms ();
  {
    g_autoptr(PalDocument) read = pal_firewall_get_active (restarted, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (pal_document_count_rules (read), ==, n + 1);
  }
  active = now_ms () - start;

  pal_firewall_set_enabled (firewall, FALSE, &error);
  g_clear_object (&firewall);
  g_clear_object (&restarted);
  {
    g_autoptr(GSubprocess) del = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                                                   "nft", "delete", "table", "inet", "palisade", NULL);
    g_subprocess_wait_check (del, NULL, &error);
    g_assert_no_error (error);
  }
  nft = time_nft_load (script);
  {
    g_autoptr(GSubprocess) del = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                                                   "nft", "delete", "table", "inet", "palisade", NULL);
    g_subprocess_wait_check (del, NULL, &error);
    g_assert_no_error (error);
  }

  g_print ("%7u rules: compile %8.1f ms  apply %8.1f ms  re-apply %7.1f ms  change one %7.1f ms  "
           "counters %6.1f ms (best %6.1f)  show-active (fresh helper) %8.1f ms  |  nft -f %8.1f ms\n",
           n, compile, apply, reapply, change, counters / rounds, counters_best, active, nft);
}

int
main (int   argc,
      char *argv[])
{
  guint sizes[8] = { 1000, 10000, 100000 };
  guint n_sizes = 3;

  if (argc > 1)
    {
      n_sizes = 0;
      for (int i = 1; i < argc && n_sizes < G_N_ELEMENTS (sizes); i++)
        sizes[n_sizes++] = (guint) g_ascii_strtoull (argv[i], NULL, 10);
    }
  if (unshare (CLONE_NEWNET) < 0 && unshare (CLONE_NEWUSER | CLONE_NEWNET) < 0)
    {
      g_printerr ("bench-kernel: cannot get a network namespace of its own (needs root or user namespaces)\n");
      return 77;
    }
  g_setenv ("PATH", "/usr/sbin:/sbin:/usr/bin:/bin", TRUE);
  for (guint i = 0; i < n_sizes; i++)
    run (sizes[i]);
  return 0;
}
