/* bench-apply.c — Palisade's kernel side against nft on generated .fwdoc
 * documents (bench/gen-documents.py), measured in the same run:
 *
 *   load      pal_fwdoc_load_file (JSON parse + validation)
 *   apply     a new document into an empty namespace   vs  nft -f of its export
 *   apply-cpu the same, as CPU time (user + system, getrusage): what each
 *             side cost, whatever else the machine was doing
 *   change    one rule changed in the applied table    vs  the full apply above
 *             (and every other rule keeps its exact counters); change-one-cpu:
 *             the same as CPU time, against the full apply's
 *   counters  pal_firewall_get_counters                vs  nft -j list table inet palisade
 *   active    pal_firewall_get_active, fresh PalFirewall vs nft -j list table inet palisade
 *
 * Usage: bench-apply [--runs N] FILE…       (root: a network namespace of its own)
 *        bench-apply --rss FILE             (one apply; prints peak RSS lines)
 *        bench-apply --profile FILE         (one new apply, then one change-one
 *                                            apply; nothing else, no nft: for
 *                                            callgrind --toggle-collect=profile_apply_new
 *                                            or =profile_apply_change; then three
 *                                            GetCounters and GetCounterValues,
 *                                            =profile_counters, CPU to stderr)
 *
 * Every figure is the median of N runs (default 5; 3 above 50,000 rules).
 * Output: one line per figure, "BENCH document measure palisade_ms reference_ms",
 * read by tools/bench.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pal-firewall.h"
#include "pal-fwdoc.h"

/* bench/gen-documents.py: the i-th leaf rule's id. */
#define LEAF_ID_FORMAT "00000000-0000-4000-8000-0001%08x"

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* User + system time of this process (RUSAGE_SELF) or of its waited-for
 * children (RUSAGE_CHILDREN), in ms. */
static double
cpu_ms (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *times)
{
  g_array_sort (times, compare_double);
  return g_array_index (times, double, times->len / 2);
}

/* Runs argv, waits; returns the wall time in ms. */
static double
run_command (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  double start = now_ms ();

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
  return now_ms () - start;
}

static void
delete_table (void)
{
  const char *argv[] = { "nft", "delete", "table", "inet", "palisade", NULL };

  run_command (argv);
}

static PalDocument *
load (const char *path,
      double     *took)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PalDocument *document;
  double start = now_ms ();

  document = pal_fwdoc_load_file (file, NULL, NULL, &error);
  g_assert_no_error (error);
  *took = now_ms () - start;
  return document;
}

/* UDP datagrams to 127.0.0.1 so that some rules count packets. */
static void
send_traffic (void)
{
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons (1026) };
  int fd = socket (AF_INET, SOCK_DGRAM, 0);

  g_assert_cmpint (fd, >=, 0);
  to.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  for (int i = 0; i < 100; i++)
    sendto (fd, "x", 1, 0, (struct sockaddr *) &to, sizeof to);
  close (fd);
}

/* id → "packets bytes" */
static GHashTable *
counters_table (GVariant *counters)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GVariantIter iter;
  const char *id;
  guint64 packets, bytes, last;

  g_variant_iter_init (&iter, counters);
  while (g_variant_iter_next (&iter, "(&sttt)", &id, &packets, &bytes, &last))
    g_hash_table_insert (table, g_strdup (id),
                         g_strdup_printf ("%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, packets, bytes));
  return table;
}

/* Every rule but changed_id keeps its exact counters; some counted. */
static void
check_counters_kept (GHashTable *before,
                     GHashTable *after,
                     const char *changed_id)
{
  GHashTableIter iter;
  gpointer id, value;
  guint counted = 0;

  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &id, &value))
    {
      if (g_str_equal (id, changed_id))
        continue;
      g_assert_cmpstr (g_hash_table_lookup (after, id), ==, value);
      if (!g_str_has_prefix (value, "0 "))
        counted++;
    }
  g_assert_cmpuint (counted, >, 0);
}

static void
print_line (const char *name,
            const char *measure,
            double      palisade,
            double      reference)
{
  g_print ("BENCH %s %s %.1f %.1f\n", name, measure, palisade, reference);
}

static void
bench_document (const char *path,
                guint       runs)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr(GArray) t_load = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_apply = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_nft = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) c_apply = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) c_nft = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_change = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) c_change = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_counters = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_list = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_active = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(PalFirewall) firewall = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *script_path = g_build_filename (g_get_tmp_dir (), "bench-apply.nft", NULL);
  g_autofree char *changed_id = NULL;
  const char *nft_load[] = { "nft", "-f", script_path, NULL };
  const char *nft_list[] = { "nft", "-j", "list", "table", "inet", "palisade", NULL };
  g_autoptr(PalRule) changed = NULL;
  g_autofree char *original_value = NULL;
  double took, start, cpu;
  guint n_rules;

  for (guint i = 0; i < runs; i++)
    {
      g_clear_object (&document);
      document = load (path, &took);
      g_array_append_val (t_load, took);
    }
  n_rules = pal_document_count_rules (document);
  script = pal_firewall_export (document, &error);
  g_assert_no_error (error);
  g_file_set_contents (script_path, script, -1, &error);
  g_assert_no_error (error);

  /* A new document into a namespace without our table, both ways. */
  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(PalFirewall) fresh = NULL;

      fresh = pal_firewall_new (&error);
      g_assert_no_error (error);
      cpu = cpu_ms (RUSAGE_SELF);
      start = now_ms ();
      pal_firewall_apply (fresh, document, &error);
      g_assert_no_error (error);
      took = now_ms () - start;
      cpu = cpu_ms (RUSAGE_SELF) - cpu;
      g_array_append_val (t_apply, took);
      g_array_append_val (c_apply, cpu);
      delete_table ();
      cpu = cpu_ms (RUSAGE_CHILDREN);
      took = run_command (nft_load);
      cpu = cpu_ms (RUSAGE_CHILDREN) - cpu;
      g_array_append_val (t_nft, took);
      g_array_append_val (c_nft, cpu);
      delete_table ();
    }
  print_line (name, "load", median (t_load), 0);
  print_line (name, "apply", median (t_apply), median (t_nft));
  print_line (name, "apply-cpu", median (c_apply), median (c_nft));

  /* One rule changed in the applied table; counters kept. */
  firewall = pal_firewall_new (&error);
  g_assert_no_error (error);
  pal_firewall_apply (firewall, document, &error);
  g_assert_no_error (error);
  changed_id = g_strdup_printf (LEAF_ID_FORMAT, (n_rules / 2 / 12) * 12);
  changed = pal_document_find_rule (document, changed_id);
  /* Documents not made by gen-documents.py (the default template) have no
   * such rule: no change-one figure for them. */
  original_value = changed != NULL ? g_strdup (pal_rule_get_value (changed)) : NULL;
  for (guint i = 0; changed != NULL && i < runs; i++)
    {
      g_autoptr(GVariant) before = NULL;
      g_autoptr(GVariant) after = NULL;
      g_autoptr(GHashTable) before_table = NULL;
      g_autoptr(GHashTable) after_table = NULL;

      send_traffic ();
      before = g_variant_ref_sink (pal_firewall_get_counters (firewall, &error));
      g_assert_no_error (error);
      pal_rule_set_value (changed, i % 2 == 0 ? "198.51.100.7" : original_value);
      cpu = cpu_ms (RUSAGE_SELF);
      start = now_ms ();
      pal_firewall_apply (firewall, document, &error);
      g_assert_no_error (error);
      took = now_ms () - start;
      cpu = cpu_ms (RUSAGE_SELF) - cpu;
      g_array_append_val (t_change, took);
      g_array_append_val (c_change, cpu);
      after = g_variant_ref_sink (pal_firewall_get_counters (firewall, &error));
      g_assert_no_error (error);
      before_table = counters_table (before);
      after_table = counters_table (after);
      check_counters_kept (before_table, after_table, changed_id);
    }
  if (changed != NULL)
    {
      print_line (name, "change-one", median (t_change), median (t_apply));
      print_line (name, "change-one-cpu", median (c_change), median (c_apply));
    }

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GVariant) counters = NULL;

      start = now_ms ();
      counters = g_variant_ref_sink (pal_firewall_get_counters (firewall, &error));
      g_assert_no_error (error);
      took = now_ms () - start;
      g_array_append_val (t_counters, took);
      took = run_command (nft_list);
      g_array_append_val (t_list, took);
    }
  print_line (name, "counters", median (t_counters), median (t_list));

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(PalFirewall) fresh = pal_firewall_new (&error);
      g_autoptr(PalDocument) active = NULL;

      g_assert_no_error (error);
      start = now_ms ();
      active = pal_firewall_get_active (fresh, &error);
      g_assert_no_error (error);
      took = now_ms () - start;
      g_array_append_val (t_active, took);
    }
  print_line (name, "show-active", median (t_active), median (t_list));

  g_clear_object (&firewall);
  delete_table ();
}

/* Peak RSS (KiB) of this process after loading FILE and after applying it,
 * and of `nft -f` loading its export. */
static int
bench_rss (const char *path)
{
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(PalFirewall) firewall = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *script_path = g_build_filename (g_get_tmp_dir (), "bench-apply-rss.nft", NULL);
  g_autofree char *name = g_path_get_basename (path);
  struct rusage usage;
  long after_load, after_apply;
  double took;
  int status;
  pid_t pid;

  document = load (path, &took);
  getrusage (RUSAGE_SELF, &usage);
  after_load = usage.ru_maxrss;
  /* The export for nft in a child: the helper never exports, and the
   * export's compile would leave its freed memory (GSlice's magazines,
   * the heap's holes) in this process's figure. */
  pid = fork ();
  if (pid == 0)
    {
      script = pal_firewall_export (document, &error);
      _exit (script != NULL && g_file_set_contents (script_path, script, -1, NULL) ? 0 : 1);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  firewall = pal_firewall_new (&error);
  g_assert_no_error (error);
  pal_firewall_apply (firewall, document, &error);
  g_assert_no_error (error);
  getrusage (RUSAGE_SELF, &usage);
  after_apply = usage.ru_maxrss;
  g_clear_object (&firewall);
  delete_table ();

  pid = fork ();
  if (pid == 0)
    {
      execlp ("nft", "nft", "-f", script_path, (char *) NULL);
      _exit (127);
    }
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  delete_table ();
  /* palisade: peak of the process that loaded and applied; the document's
   * share (after load) is printed as well. */
  g_print ("BENCH %s rss-peak %ld %ld\n", name, after_apply, usage.ru_maxrss);
  g_print ("BENCH %s rss-load %ld 0\n", name, after_load);
  return 0;
}

static void
apply_checked (PalFirewall *firewall,
               PalDocument *document)
{
  g_autoptr(GError) error = NULL;

  pal_firewall_apply (firewall, document, &error);
  g_assert_no_error (error);
}

/* What callgrind --toggle-collect names: one apply each. noipa: without
 * it, GCC's identical code folding makes the two one function, which
 * callgrind then knows by one name only. */
static G_GNUC_NO_INLINE __attribute__ ((noipa)) void
profile_apply_new (PalFirewall *firewall,
                   PalDocument *document)
{
  apply_checked (firewall, document);
}

static G_GNUC_NO_INLINE __attribute__ ((noipa)) void
profile_apply_change (PalFirewall *firewall,
                      PalDocument *document)
{
  apply_checked (firewall, document);
}

/* GetCounters as the helper makes it, and GetCounterValues as the window
 * polls it (its ids known); the CPU time of each call to standard error. */
static G_GNUC_NO_INLINE __attribute__ ((noipa)) void
profile_counters (PalFirewall *firewall)
{
  g_autoptr(GError) error = NULL;
  guint64 known = 0;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GVariant) counters = NULL;
      g_autoptr(GVariant) values = NULL;
      double cpu = cpu_ms (RUSAGE_SELF);

      counters = g_variant_ref_sink (pal_firewall_get_counters (firewall, &error));
      g_assert_no_error (error);
      cpu = cpu_ms (RUSAGE_SELF) - cpu;
      g_printerr ("counters: %.1f ms CPU", cpu);
      cpu = cpu_ms (RUSAGE_SELF);
      values = g_variant_ref_sink (pal_firewall_get_counter_values (firewall, known, &error));
      g_assert_no_error (error);
      cpu = cpu_ms (RUSAGE_SELF) - cpu;
      g_variant_get_child (values, 0, "t", &known);
      g_printerr (", counter values: %.1f ms CPU\n", cpu);
    }
}

static int
bench_profile (const char *path)
{
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(PalFirewall) firewall = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *changed_id = NULL;
  PalRule *changed;
  double took;

  document = load (path, &took);
  firewall = pal_firewall_new (&error);
  g_assert_no_error (error);
  profile_apply_new (firewall, document);
  changed_id = g_strdup_printf (LEAF_ID_FORMAT, (pal_document_count_rules (document) / 2 / 12) * 12);
  changed = pal_document_find_rule (document, changed_id);
  g_assert_nonnull (changed);
  pal_rule_set_value (changed, "198.51.100.7");
  profile_apply_change (firewall, document);
  profile_counters (firewall);
  g_clear_object (&firewall);
  delete_table ();
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  guint runs = 0;
  gboolean rss = FALSE, profile = FALSE;
  int first = 1;

  if (unshare (CLONE_NEWNET) < 0)
    {
      g_printerr ("bench-apply: cannot get a network namespace of its own (needs root)\n");
      return 77;
    }
  g_setenv ("PATH", "/usr/sbin:/sbin:/usr/bin:/bin", TRUE);
  {
    const char *up[] = { "ip", "link", "set", "lo", "up", NULL };
    run_command (up);
  }
  for (; first < argc && g_str_has_prefix (argv[first], "--"); first++)
    {
      if (g_str_equal (argv[first], "--rss"))
        rss = TRUE;
      else if (g_str_equal (argv[first], "--profile"))
        profile = TRUE;
      else if (g_str_equal (argv[first], "--runs") && first + 1 < argc)
        runs = (guint) g_ascii_strtoull (argv[++first], NULL, 10);
    }
  if (first >= argc)
    {
      g_printerr ("usage: bench-apply [--runs N] FILE… | bench-apply --rss FILE | bench-apply --profile FILE\n");
      return 2;
    }
  if (rss)
    return bench_rss (argv[first]);
  if (profile)
    return bench_profile (argv[first]);
  for (int i = first; i < argc; i++)
    {
      guint n = runs;

      if (n == 0)
        n = strstr (argv[i], "100000") != NULL ? 3 : 5;
      bench_document (argv[i], n);
    }
  return 0;
}
