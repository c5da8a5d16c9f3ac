/* bench-dbus.c — GetCounters and GetActive over D-Bus against nft, run by
 * tests/dbus/dbus-harness.sh (a private system bus, polkitd, the helper in
 * a network namespace of its own; PAL_TEST_HELPER_PID names it).
 *
 * Usage (as root): dbus-harness.sh HELPER POLICY BUS-POLICY bench-dbus [--triggered | --triggered-add] FILE…
 * Applies each document through the helper, then times (medians of 5
 * calls) GetCounterValues as the window polls it (the ids known:
 * dbus-counters) and as its first call (dbus-counters-ids), GetCounters
 * (dbus-getcounters) and GetActive against `nft -j list table inet
 * palisade` in the helper's namespace. --triggered: AddTriggered of
 * 10,000 addresses in one call against `nft -f` adding the same in one
 * `add element` (dbus-triggered-add; dbus-triggered-add-cpu: the CPU time
 * of the client, the helper and polkitd until the reply against nft's,
 * with the helper's share on standard error), and ListTriggeredValues
 * (dbus-triggered-list; every address made text, as the clients do) and
 * ListTriggered (dbus-triggered-list-old) of 100,000 against `nft list set
 * inet palisade triggered4`; --triggered-add: only the adding. Output: "BENCH document measure palisade_ms
 * reference_ms", like bench-apply.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pal-counter-layout.h"
#include "pal-document-variant.h"
#include "pal-fwdoc.h"
#include "pal-triggered-values.h"
#include "bench-common.h"

#define RUNS 5

static double
time_call (GDBusConnection *connection,
           const char      *method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  double start = bench_now_ms ();

  reply = g_dbus_connection_call_sync (connection, PAL_BUS_NAME, PAL_OBJECT_PATH, PAL_BUS_NAME,
                                       method, NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  return bench_now_ms () - start;
}

/* GetCounterValues as a client polls it: the reply read into layout (the
 * ids only when they came). A new layout object: the first call, with ids. */
static double
time_counter_values (GDBusConnection  *connection,
                     PalCounterLayout *layout)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  const guint64 *values = NULL;
  gboolean changed;
  double start = bench_now_ms ();

  reply = g_dbus_connection_call_sync (connection, PAL_BUS_NAME, PAL_OBJECT_PATH, PAL_BUS_NAME,
                                       "GetCounterValues", g_variant_new ("(t)", pal_counter_layout_get_token (layout)),
                                       PAL_COUNTER_VALUES_VARIANT_TYPE, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pal_counter_layout_update (layout, reply, &values, &changed, &error), >, 0);
  g_assert_no_error (error);
  return bench_now_ms () - start;
}

static double
time_nft_list (const char *pid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) nft = NULL;
  double start = bench_now_ms ();

  nft = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                          "nsenter", "-t", pid, "-n", "nft", "-j", "list", "table", "inet", "palisade", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (nft, NULL, &error);
  g_assert_no_error (error);
  return bench_now_ms () - start;
}

static void
bench (GDBusConnection *connection,
       const char      *path,
       const char      *pid)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) document = pal_fwdoc_load_file (file, NULL, NULL, &error);
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *name = g_path_get_basename (path);
  double counters[RUNS], first[RUNS], old[RUNS], active[RUNS], nft[RUNS];
  g_autoptr(PalCounterLayout) layout = pal_counter_layout_new ();

  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (connection, PAL_BUS_NAME, PAL_OBJECT_PATH, PAL_BUS_NAME, "Apply",
                                       g_variant_new ("(@(a{sv}a(usussssss))@a{sv})",
                                                      pal_document_to_variant (document),
                                                      g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, G_MAXINT, NULL, &error);
  g_assert_no_error (error);
  /* The window's first call fetches the ids; the polls after it do not. */
  time_counter_values (connection, layout);
  for (guint i = 0; i < RUNS; i++)
    {
      g_autoptr(PalCounterLayout) fresh = pal_counter_layout_new ();

      first[i] = time_counter_values (connection, fresh);
      counters[i] = time_counter_values (connection, layout);
      old[i] = time_call (connection, "GetCounters");
      active[i] = time_call (connection, "GetActive");
      nft[i] = time_nft_list (pid);
    }
  g_print ("BENCH %s dbus-counters %.1f %.1f\n", name, bench_median (counters, RUNS), bench_median (nft, RUNS));
  g_print ("BENCH %s dbus-counters-ids %.1f %.1f\n", name, bench_median (first, RUNS), nft[RUNS / 2]);
  g_print ("BENCH %s dbus-getcounters %.1f %.1f\n", name, bench_median (old, RUNS), nft[RUNS / 2]);
  g_print ("BENCH %s dbus-active %.1f %.1f\n", name, bench_median (active, RUNS), nft[RUNS / 2]);
}

/* ------------------------------------------------------------ triggered */

static double
time_nft (const char *pid,
          const char *script)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) nft = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("bench-dbus-XXXXXX.nft", &path, &error);
  double start;

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, script, -1, &error));
  start = bench_now_ms ();
  if (script[0] == '\0')
    nft = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, "nsenter", "-t", pid, "-n",
                            "nft", "list", "set", "inet", "palisade", "triggered4", NULL);
  else
    nft = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, "nsenter", "-t", pid, "-n",
                            "nft", "-f", path, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (nft, NULL, &error);
  g_assert_no_error (error);
  start = bench_now_ms () - start;
  g_unlink (path);
  return start;
}

static double
call_triggered (GDBusConnection *connection,
                const char      *method,
                GVariant        *parameters)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  double start = bench_now_ms ();

  reply = g_dbus_connection_call_sync (connection, PAL_BUS_NAME, PAL_OBJECT_PATH, PAL_BUS_NAME, method,
                                       parameters, NULL, G_DBUS_CALL_FLAGS_NONE, G_MAXINT, NULL, &error);
  g_assert_no_error (error);
  return bench_now_ms () - start;
}

static void
count_entry (const char *address,
             guint64     seconds_left,
             const char *reason,
             gint64      when,
             gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* ListTriggeredValues as the window and palisadectl read it: every
 * address turned into text. */
static double
time_list_values (GDBusConnection *connection,
                  guint            expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint n = 0;
  double start = bench_now_ms ();

  reply = g_dbus_connection_call_sync (connection, PAL_BUS_NAME, PAL_OBJECT_PATH, PAL_BUS_NAME,
                                       "ListTriggeredValues", NULL, PAL_TRIGGERED_VALUES_VARIANT_TYPE,
                                       G_DBUS_CALL_FLAGS_NONE, G_MAXINT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pal_triggered_values_foreach (reply, count_entry, &n, &error), ==, expected);
  g_assert_no_error (error);
  return bench_now_ms () - start;
}

/* A change makes the helper save the sets a second later (listing them):
 * let that happen before the next figure. */
static void
settle (GDBusConnection *connection)
{
  g_usleep (1500 * 1000);
  call_triggered (connection, "ListTriggered", NULL);
}

static void
flush (GDBusConnection *connection)
{
  call_triggered (connection, "FlushTriggered", NULL);
  settle (connection);
}

/* polkitd's process, from the bus: it answers every call's authorization. */
static int
polkitd_pid (GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 pid = 0;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", "org.freedesktop.PolicyKit1"), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &pid);
  return (int) pid;
}

/* CPU time of the processes one call involves, in ms. */
typedef struct
{
  double client, helper, polkitd;
} Cpu;

static Cpu
cpu_now (int helper,
         int polkitd)
{
  return (Cpu) { bench_cpu_ms (RUSAGE_SELF), bench_process_cpu_ms (helper), bench_process_cpu_ms (polkitd) };
}

static void
cpu_add_since (Cpu       *sum,
               const Cpu *since,
               int        helper,
               int        polkitd)
{
  Cpu now = cpu_now (helper, polkitd);

  sum->client += now.client - since->client;
  sum->helper += now.helper - since->helper;
  sum->polkitd += now.polkitd - since->polkitd;
}

/* AddTriggered of n_add addresses in one call against nft add element of
 * the same in one command, in wall time and in CPU time: the client's, the
 * helper's and polkitd's until the reply (and the helper's in the second
 * after it, when it saves the sets), against nft's (and nsenter's). */
static void
bench_triggered_add (GDBusConnection *connection,
                     const char      *pid,
                     guint            n_add)
{
  g_auto(GStrv) batch = bench_addresses (n_add, 11);
  g_autoptr(GString) script = g_string_new ("add element inet palisade triggered4 { ");
  double ours_add[RUNS], nft_add[RUNS], nft_cpu = 0, start;
  int helper = atoi (pid), polkitd = polkitd_pid (connection);
  Cpu call = { 0, 0, 0 }, after = { 0, 0, 0 }, since;

  for (guint i = 0; batch[i] != NULL; i++)
    g_string_append_printf (script, "%s%s timeout 600s comment \"bench\"", i > 0 ? ", " : "", batch[i]);
  g_string_append (script, " }\n");
  for (guint i = 0; i < RUNS; i++)
    {
      flush (connection);
      since = cpu_now (helper, polkitd);
      ours_add[i] = call_triggered (connection, "AddTriggered",
                                    g_variant_new ("(^ast&s)", batch, (guint64) 600, "bench"));
      cpu_add_since (&call, &since, helper, polkitd);
      since = cpu_now (helper, polkitd);
      g_usleep (1500 * 1000);
      cpu_add_since (&after, &since, helper, polkitd);
      flush (connection);
      start = bench_cpu_ms (RUSAGE_CHILDREN);
      nft_add[i] = time_nft (pid, script->str);
      nft_cpu += bench_cpu_ms (RUSAGE_CHILDREN) - start;
    }
  g_print ("BENCH triggered-%u dbus-triggered-add %.1f %.1f\n", n_add, bench_median (ours_add, RUNS),
           bench_median (nft_add, RUNS));
  g_print ("BENCH triggered-%u dbus-triggered-add-cpu %.1f %.1f\n", n_add,
           (call.client + call.helper + call.polkitd) / RUNS, nft_cpu / RUNS);
  g_printerr ("bench-dbus: AddTriggered of %u, CPU per call (ms): client %.1f, helper %.1f, polkitd %.1f; "
              "the helper in the 1.5 s after the reply %.1f; nft -f %.1f\n",
              n_add, call.client / RUNS, call.helper / RUNS, call.polkitd / RUNS, after.helper / RUNS, nft_cpu / RUNS);
}

/* ListTriggeredValues and ListTriggered of n_list against nft list set. */
static void
bench_triggered_list (GDBusConnection *connection,
                      const char      *pid,
                      guint            n_list)
{
  g_auto(GStrv) many = bench_addresses (n_list, 12);
  double ours_list[RUNS], old_list[RUNS], nft_list[RUNS];

  flush (connection);
  call_triggered (connection, "AddTriggered", g_variant_new ("(^ast&s)", many, (guint64) 600, "bench"));
  settle (connection);
  for (guint i = 0; i < RUNS; i++)
    {
      ours_list[i] = time_list_values (connection, n_list);
      old_list[i] = call_triggered (connection, "ListTriggered", NULL);
      nft_list[i] = time_nft (pid, "");
    }
  g_print ("BENCH triggered-%u dbus-triggered-list %.1f %.1f\n", n_list, bench_median (ours_list, RUNS), bench_median (nft_list, RUNS));
  g_print ("BENCH triggered-%u dbus-triggered-list-old %.1f %.1f\n", n_list, bench_median (old_list, RUNS), nft_list[RUNS / 2]);
  flush (connection);
}

/* n_list 0: adding only. */
static void
bench_triggered (GDBusConnection *connection,
                 const char      *pid,
                 guint            n_add,
                 guint            n_list)
{
  g_autoptr(PalDocument) document = pal_document_new ();

  call_triggered (connection, "Apply",
                  g_variant_new ("(@(a{sv}a(usussssss))@a{sv})", pal_document_to_variant (document),
                                 g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)));
  bench_triggered_add (connection, pid, n_add);
  if (n_list > 0)
    bench_triggered_list (connection, pid, n_list);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, &error);
  const char *pid = g_getenv ("PAL_TEST_HELPER_PID");

  g_assert_no_error (error);
  g_assert_nonnull (pid);
  g_setenv ("PATH", "/usr/sbin:/sbin:/usr/bin:/bin", TRUE);
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--triggered"))
      bench_triggered (connection, pid, 10000, 100000);
    else if (g_str_equal (argv[i], "--triggered-add"))
      bench_triggered (connection, pid, 10000, 0);
    else
      bench (connection, argv[i], pid);
  return 0;
}
