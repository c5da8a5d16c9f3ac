/* test-dbus-net.c — the network half of palisade-helper on a bus, with the
 * real polkitd: interfaces and their changes, the log sent to watchers
 * only, what another user is refused, and palisadectl's interfaces and
 * log verbs.
 *
 * Run by tests/dbus/dbus-harness.sh: a private system bus, polkitd, and the
 * helper in a network namespace of its own (PAL_TEST_HELPER_PID, entered
 * with nsenter to make interfaces, load an nft ruleset that logs, and send
 * packets there). We run as root.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pal-dbus-generated.h"
#include "pal-document-variant.h"
#include "pal-helper-error.h"

#define TIMEOUT_MS 10000

typedef struct
{
  GDBusConnection  *connection;
  PalDBusFirewall1 *proxy;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  pal_helper_error_quark ();
  fixture->connection = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, &error);
  g_assert_no_error (error);
  fixture->proxy = pal_dbus_firewall1_proxy_new_sync (fixture->connection,
                                                      G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                                                      PAL_BUS_NAME, PAL_OBJECT_PATH, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->proxy);
  g_clear_object (&fixture->connection);
}

/* ------------------------------------------------------------ processes */

/* Runs argv; returns its stdout; *status its wait status. */
static char *
run (const char * const *argv,
     int                *status,
     char              **err)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, err,
                &wait_status, &error);
  g_assert_no_error (error);
  if (status != NULL)
    *status = wait_status;
  return out;
}

/* A command in the helper's network namespace; asserts it succeeds. */
static void
in_helper_net (const char *first,
               ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *command = NULL;
  const char *pid = g_getenv ("PAL_TEST_HELPER_PID");
  va_list args;
  int status;

  g_assert_nonnull (pid);
  g_ptr_array_add (argv, (gpointer) "nsenter");
  g_ptr_array_add (argv, (gpointer) "-t");
  g_ptr_array_add (argv, (gpointer) pid);
  g_ptr_array_add (argv, (gpointer) "-n");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  out = run ((const char * const *) argv->pdata, &status, &err);
  command = g_strjoinv (" ", (char **) argv->pdata);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("“%s” failed: %s", command, err);
}

static const char ruleset[] =
  "table inet paltest {\n"
  "  chain input {\n"
  "    type filter hook input priority 0; policy accept;\n"
  "    icmp type echo-request log group 1 prefix \"dbus-ping\"\n"
  "  }\n"
  "}\n";

static void
load_ruleset (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int fd = g_file_open_tmp ("palisade-net-XXXXXX.nft", &path, &error);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, ruleset, -1, &error));
  g_assert_no_error (error);
  close (fd);
  in_helper_net ("nft", "-f", path, NULL);
  g_unlink (path);
}

static void
ping_helper (guint count)
{
  g_autofree char *text = g_strdup_printf ("%u", count);

  /* The harness makes the namespace with lo down. */
  in_helper_net ("ip", "link", "set", "lo", "up", NULL);
  in_helper_net ("ping", "-n", "-q", "-c", text, "-i", "0.2", "-w", "10", "127.0.0.1", NULL);
}

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (5000);
    }
  return TRUE;
}

static void
spin (guint msecs)
{
  gint64 end = g_get_monotonic_time () + msecs * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
}

/* ------------------------------------------------------------ interfaces */

static gboolean
has_interface (GVariant   *interfaces,
               const char *wanted_name,
               const char *wanted_kind)
{
  GVariantIter iter;
  const char *name, *kind;

  g_variant_iter_init (&iter, interfaces);
  while (g_variant_iter_next (&iter, "(&su&s&s&sas)", &name, NULL, &kind, NULL, NULL, NULL))
    if (g_str_equal (name, wanted_name) && g_str_equal (kind, wanted_kind))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GVariant   *last;
  const char *name;
  gboolean    present;
} InterfacesSeen;

static void
on_interfaces_changed (PalDBusFirewall1 *proxy,
                       GVariant         *interfaces,
                       InterfacesSeen   *seen)
{
  g_clear_pointer (&seen->last, g_variant_unref);
  seen->last = g_variant_ref (interfaces);
}

static gboolean
interfaces_as_wanted (gpointer data)
{
  InterfacesSeen *seen = data;

  return seen->last != NULL && has_interface (seen->last, seen->name, "veth") == seen->present;
}

static void
test_interfaces (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GVariant) interfaces = NULL;
  g_autoptr(GError) error = NULL;
  InterfacesSeen seen = { NULL, "dbus-v0", TRUE };
  gulong handler;

  g_assert_true (pal_dbus_firewall1_call_get_interfaces_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE,
                                                              -1, &interfaces, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (has_interface (interfaces, "lo", "loopback"));

  handler = g_signal_connect (fixture->proxy, "interfaces-changed", G_CALLBACK (on_interfaces_changed), &seen);
  in_helper_net ("ip", "link", "add", "dbus-v0", "type", "veth", "peer", "name", "dbus-v1", NULL);
  g_assert_true (wait_for (interfaces_as_wanted, &seen));
  in_helper_net ("ip", "link", "del", "dbus-v0", NULL);
  seen.present = FALSE;
  g_assert_true (wait_for (interfaces_as_wanted, &seen));
  g_signal_handler_disconnect (fixture->proxy, handler);
  g_clear_pointer (&seen.last, g_variant_unref);
}

/* ------------------------------------------------------------ the log */

typedef struct
{
  guint entries;
  guint matching;
} LogSeen;

static void
count_entries (GVariant *entries,
               LogSeen  *seen)
{
  GVariantIter iter;
  const char *kind, *text, *hook, *in, *protocol, *source;
  gint16 icmp_type;

  g_variant_iter_init (&iter, entries);
  while (g_variant_iter_next (&iter, "(x&s&ss&s&sss&s&ssqqnnsu)", NULL, &kind, &text, NULL, &hook,
                              &in, NULL, NULL, &protocol, &source, NULL, NULL, NULL, &icmp_type,
                              NULL, NULL, NULL))
    {
      seen->entries++;
      if (g_str_equal (kind, "log") && g_str_equal (text, "dbus-ping") && g_str_equal (hook, "input")
          && g_str_equal (in, "lo") && g_str_equal (protocol, "icmp")
          && g_str_equal (source, "127.0.0.1") && icmp_type == 8)
        seen->matching++;
    }
}

static void
on_log_entries (PalDBusFirewall1 *proxy,
                GVariant         *entries,
                LogSeen          *seen)
{
  count_entries (entries, seen);
}

/* Another client that listens for LogEntries without WatchLog. */
static void
on_raw_signal (GDBusConnection *connection,
               const char      *sender,
               const char      *path,
               const char      *interface,
               const char      *signal,
               GVariant        *parameters,
               gpointer         user_data)
{
  guint *received = user_data;

  (*received)++;
}

static gboolean
seen_matching (gpointer data)
{
  return ((LogSeen *) data)->matching >= 2;
}

static void
test_log (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GDBusConnection) other = NULL;
  g_autoptr(GVariant) log = NULL;
  g_autoptr(GError) error = NULL;
  LogSeen seen = { 0, 0 }, in_log = { 0, 0 };
  guint other_received = 0, subscription;
  gulong handler;

  /* Not watching: nothing comes, even to a listener. */
  other = g_dbus_connection_new_for_address_sync (g_getenv ("DBUS_SYSTEM_BUS_ADDRESS"),
                                                  G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                  G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                  NULL, NULL, &error);
  g_assert_no_error (error);
  subscription = g_dbus_connection_signal_subscribe (other, NULL, "io.github.palisade.Firewall1",
                                                     "LogEntries", NULL, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE, on_raw_signal,
                                                     &other_received, NULL);
  handler = g_signal_connect (fixture->proxy, "log-entries", G_CALLBACK (on_log_entries), &seen);
  load_ruleset ();

  g_assert_true (pal_dbus_firewall1_call_watch_log_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1,
                                                         NULL, &error));
  g_assert_no_error (error);
  ping_helper (2);
  g_assert_true (wait_for (seen_matching, &seen));
  spin (500);
  g_assert_cmpuint (other_received, ==, 0);

  g_assert_true (pal_dbus_firewall1_call_get_log_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1,
                                                       &log, NULL, &error));
  g_assert_no_error (error);
  count_entries (log, &in_log);
  g_assert_cmpuint (in_log.matching, >=, 2);

  /* Unwatched: no more. */
  g_assert_true (pal_dbus_firewall1_call_unwatch_log_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1,
                                                           NULL, &error));
  g_assert_no_error (error);
  seen.matching = 0;
  ping_helper (1);
  spin (1000);
  g_assert_cmpuint (seen.matching, ==, 0);
  g_assert_cmpuint (other_received, ==, 0);

  g_signal_handler_disconnect (fixture->proxy, handler);
  g_dbus_connection_signal_unsubscribe (other, subscription);
}

/* ------------------------------------------------------------ other users */

/* gdbus call as nobody: the helper must refuse (AccessDenied). */
static void
test_nobody (Fixture       *fixture,
             gconstpointer  data)
{
  const char *methods[] = { "GetInterfaces", "GetLog", "WatchLog", "UnwatchLog" };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autofree char *method = g_strdup_printf ("io.github.palisade.Firewall1.%s", methods[i]);
      const char *argv[] = { "setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups",
                             "gdbus", "call", "--system", "--dest", PAL_BUS_NAME,
                             "--object-path", PAL_OBJECT_PATH, "--method", method, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      out = run (argv, &status, &err);
      g_assert_false (g_spawn_check_wait_status (status, NULL));
      if (strstr (err, "io.github.palisade.Firewall1.Error.AccessDenied") == NULL)
        g_error ("%s as nobody: %s", methods[i], err);
    }
}

/* ------------------------------------------------------------ palisadectl */

static const char *
palisadectl (void)
{
  const char *path = g_getenv ("PAL_TEST_PALISADECTL");

  g_assert_nonnull (path);
  return path;
}

static void
test_palisadectl (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *interfaces_argv[] = { palisadectl (), "interfaces", NULL };
  const char *log_argv[] = { palisadectl (), "log", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  out = run (interfaces_argv, &status, &err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_str_has_prefix (out, "Interface  Kind"));
  g_assert_nonnull (strstr (out, "\nlo "));
  g_assert_nonnull (strstr (out, "loopback"));
  g_assert_nonnull (strstr (out, "127.0.0.1/8"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  load_ruleset ();
  ping_helper (1);
  spin (1000);   /* the helper's batch and NFLOG's queue */
  out = run (log_argv, &status, &err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "log        input lo→  icmp 127.0.0.1 → 127.0.0.1 type 8 code 0  “dbus-ping”"));
}

typedef struct
{
  GString *out;
  gboolean done;
} Follow;

static void
on_follow_line (GObject      *stream,
                GAsyncResult *result,
                gpointer      user_data)
{
  Follow *follow = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (stream),
                                                                     result, NULL, &error);

  if (line == NULL)
    {
      follow->done = TRUE;
      return;
    }
  g_string_append_printf (follow->out, "%s\n", line);
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (stream), G_PRIORITY_DEFAULT, NULL,
                                       on_follow_line, follow);
}

static gboolean
follow_has_two (gpointer data)
{
  Follow *follow = data;
  const char *p = follow->out->str;
  guint n = 0;

  while ((p = strstr (p, "“dbus-follow”")) != NULL)
    n++, p++;
  return n >= 2;
}

static gboolean
follow_done (gpointer data)
{
  return ((Follow *) data)->done;
}

/* --follow prints entries that come after it started, and stops on SIGINT. */
static void
test_palisadectl_follow (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  Follow follow = { g_string_new (NULL), FALSE };
  g_autofree char *rules = g_strdup (ruleset);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              palisadectl (), "log", "--follow", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, on_follow_line, &follow);
  spin (500);

  /* Another prefix, so only what comes now counts. */
  in_helper_net ("nft", "flush", "chain", "inet", "paltest", "input", NULL);
  in_helper_net ("nft", "add", "rule", "inet", "paltest", "input", "icmp", "type", "echo-request",
                 "log", "group", "1", "prefix", "\"dbus-follow\"", NULL);
  ping_helper (2);
  g_assert_true (wait_for (follow_has_two, &follow));

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_true (wait_for (follow_done, &follow));
  g_string_free (follow.out, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("PAL_TEST_HELPER_PID") == NULL)
    {
      g_test_skip ("Run by tests/dbus/dbus-harness.sh, which starts the bus, polkitd and the helper");
      return g_test_run ();
    }

#define ADD(path, func) \
  g_test_add ("/net-dbus/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("interfaces", test_interfaces);
  ADD ("log", test_log);
  ADD ("nobody", test_nobody);
  ADD ("palisadectl", test_palisadectl);
  ADD ("palisadectl-follow", test_palisadectl_follow);
#undef ADD

  return g_test_run ();
}
