/* bench-triggered.c — banning 10,000 addresses in one call and listing
 * 100,000, PalTriggered against nft (add element from a file, list set),
 * in a network namespace of its own, in process (bench-dbus --triggered
 * measures the same over D-Bus). Medians of 3; prints "BENCH triggered-N
 * measure palisade_ms nft_ms" lines for tools/bench (triggered-add;
 * triggered-add-cpu, the same in CPU time, user + system, which a loaded
 * machine does not inflate; triggered-list).
 *
 * Usage: bench-triggered [ADD [LIST]] (defaults 10000 and 100000), as root
 * or where unprivileged user namespaces work; bench-triggered --profile
 * [ADD] only adds and flushes ten times (profile_add is one add, for
 * valgrind --tool=callgrind --toggle-collect=profile_add).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sched.h>
#include <stdio.h>

#include <glib/gstdio.h>

#include <stdlib.h>
#include <sys/resource.h>

#include "pal-firewall.h"
#include "pal-triggered.h"
#include "bench-common.h"

/* Wall time; *cpu gets nft's CPU time (user + system). */
static double
run_nft (const char *script,
         double     *cpu)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int fd = g_file_open_tmp ("bench-triggered-XXXXXX.nft", &path, &error);
  const char *argv[] = { "nft", "-f", path, NULL };
  double start;
  int status = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, script, -1, &error));
  close (fd);
  *cpu = bench_cpu_ms (RUSAGE_CHILDREN);
  start = bench_now_ms ();
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  start = bench_now_ms () - start;
  *cpu = bench_cpu_ms (RUSAGE_CHILDREN) - *cpu;
  g_unlink (path);
  return start;
}

static double
nft_list (void)
{
  const char *argv[] = { "nft", "list", "set", "inet", "palisade", "triggered4", NULL };
  double start = bench_now_ms ();
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return bench_now_ms () - start;
}

#define RUNS 3

static char *
nft_add_script (char **texts)
{
  GString *script = g_string_new ("add element inet palisade triggered4 { ");

  for (guint i = 0; texts[i] != NULL; i++)
    g_string_append_printf (script, "%s%s timeout 600s comment \"bench\"", i > 0 ? ", " : "", texts[i]);
  g_string_append (script, " }\n");
  return g_string_free (script, FALSE);
}

/* One add, by name for callgrind's --toggle-collect. */
G_GNUC_NO_INLINE static void
profile_add (PalTriggered *triggered,
             char        **texts)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (pal_triggered_add (triggered, (const char * const *) texts, 600, "bench", 0, &error), ==,
                   g_strv_length (texts));
}

/* --profile: the add and a flush, ten times, nothing else timed or run. */
static void
profile (PalTriggered *triggered,
         char        **texts)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 10; i++)
    {
      profile_add (triggered, texts);
      g_assert_true (pal_triggered_flush (triggered, &error));
    }
}

int
main (int   argc,
      char *argv[])
{
  gboolean profiling = argc > 1 && g_str_equal (argv[1], "--profile");
  guint n_add = argc > 1 + profiling ? (guint) g_ascii_strtoull (argv[1 + profiling], NULL, 10) : 10000;
  guint n_list = argc > 2 && !profiling ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 100000;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalFirewall) firewall = NULL;
  g_autoptr(PalTriggered) triggered = NULL;
  g_autoptr(PalDocument) document = pal_document_new ();
  g_auto(GStrv) batch = bench_addresses (n_add, 11);
  g_auto(GStrv) many = NULL;
  g_autofree char *script = NULL;
  double ours_add[RUNS], nft_add[RUNS], ours_cpu[RUNS], nft_cpu[RUNS], ours_list[RUNS], nft_list_ms[RUNS];
  double start, cpu;

  if (unshare (CLONE_NEWNET) < 0 && unshare (CLONE_NEWUSER | CLONE_NEWNET) < 0)
    {
      g_printerr ("bench-triggered: cannot make a network namespace: %s\n", g_strerror (errno));
      return 77;
    }
  firewall = pal_firewall_new (&error);
  g_assert_no_error (error);
  g_assert_true (pal_firewall_apply (firewall, document, &error));
  triggered = pal_triggered_new (&error);
  g_assert_no_error (error);
  /* As in the helper: the firewall's event monitor does not hear our
   * commits (nft's add, below, is heard). */
  pal_triggered_set_firewall (triggered, firewall);
  if (profiling)
    {
      profile (triggered, batch);
      return 0;
    }
  many = bench_addresses (n_list, 12);
  script = nft_add_script (batch);

  for (guint i = 0; i < RUNS; i++)
    {
      cpu = bench_cpu_ms (RUSAGE_SELF);
      start = bench_now_ms ();
      g_assert_cmpint (pal_triggered_add (triggered, (const char * const *) batch, 600, "bench", 0, &error), ==,
                       n_add);
      ours_add[i] = bench_now_ms () - start;
      ours_cpu[i] = bench_cpu_ms (RUSAGE_SELF) - cpu;
      g_assert_true (pal_triggered_flush (triggered, &error));
      nft_add[i] = run_nft (script, &nft_cpu[i]);
      g_assert_true (pal_triggered_flush (triggered, &error));
    }

  g_assert_cmpint (pal_triggered_add (triggered, (const char * const *) many, 600, "bench", 0, &error), ==, n_list);
  for (guint i = 0; i < RUNS; i++)
    {
      g_autoptr(GPtrArray) entries = NULL;

      start = bench_now_ms ();
      entries = pal_triggered_list (triggered, &error);
      ours_list[i] = bench_now_ms () - start;
      g_assert_cmpuint (entries->len, ==, n_list);
      nft_list_ms[i] = nft_list ();
    }

  printf ("BENCH triggered-%u triggered-add %.1f %.1f\n", n_add, bench_median (ours_add, RUNS), bench_median (nft_add, RUNS));
  printf ("BENCH triggered-%u triggered-add-cpu %.1f %.1f\n", n_add, bench_median (ours_cpu, RUNS),
          bench_median (nft_cpu, RUNS));
  printf ("BENCH triggered-%u triggered-list %.1f %.1f\n", n_list, bench_median (ours_list, RUNS), bench_median (nft_list_ms, RUNS));
  return 0;
}
