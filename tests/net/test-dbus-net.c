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
#include "pal-log-prefix.h"

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
  while (g_variant_iter_next (&iter, "(x&s&sss&s&sss&s&ssqqnnsu)", NULL, &kind, &text, NULL, NULL, &hook,
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

/* ------------------------------------------------------------ Apply */

/* ip -o link show dev NAME in the helper's namespace, "" if there is none. */
static char *
helper_link (const char *name)
{
  const char *pid = g_getenv ("PAL_TEST_HELPER_PID");
  const char *argv[] = { "nsenter", "-t", pid, "-n", "ip", "-o", "link", "show", "dev", name, NULL };
  g_autofree char *err = NULL;
  char *out;
  int status;

  out = run (argv, &status, &err);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_free (out);
      return g_strdup ("");
    }
  return out;
}

static void
assert_master (const char *name,
               const char *master)
{
  g_autofree char *link = helper_link (name);
  g_autofree char *wanted = g_strdup_printf (" master %s ", master);

  if (strstr (link, wanted) == NULL)
    g_error ("%s is not a port of %s: %s", name, master, link);
}

/* An enabled document passing everything, that logs ICMP with the text
 * "dbus-rule", with the given interfaces marked Bridge. */
static PalDocument *
bridge_document (const char * const *bridged,
                 PalRule           **log_rule)
{
  PalDocument *document = pal_document_new ();
  g_autoptr(PalRule) rule = pal_rule_new (PAL_PROPERTY_PROTOCOL, PAL_ACTION_LOG);

  pal_rule_set_value (rule, "icmp");
  pal_rule_set_name (rule, "Pings, logged");
  pal_rule_set_parameter (rule, "dbus-rule");
  pal_document_append_rule (document, rule);
  pal_document_set_enabled (document, TRUE);
  pal_document_set_default_verdict (document, PAL_VERDICT_PASS);
  for (guint i = 0; bridged != NULL && bridged[i] != NULL; i++)
    {
      g_autoptr(PalInterfaceConfig) config = pal_interface_config_new (bridged[i]);

      pal_interface_config_set_bridge (config, TRUE);
      pal_document_set_interface (document, config);
    }
  if (log_rule != NULL)
    *log_rule = rule;   /* the document holds it */
  return document;
}

static gboolean
apply (Fixture      *fixture,
       PalDocument  *document,
       GError      **error)
{
  g_autoptr(GVariant) variant = g_variant_ref_sink (pal_document_to_variant (document));

  return pal_dbus_firewall1_call_apply_sync (fixture->proxy, variant, g_variant_new ("a{sv}", NULL),
                                             G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
}

typedef struct
{
  const char *kind;
  const char *text;
  const char *rule;   /* NULL: any */
  const char *name;   /* NULL: any */
} Wanted;

/* Entries as wanted (its text NULL: any) in the helper's log. */
static guint
count_log (Fixture      *fixture,
           const Wanted *wanted)
{
  g_autoptr(GVariant) log = NULL;
  g_autoptr(GError) error = NULL;
  GVariantIter iter;
  const char *kind, *text, *rule, *name;
  guint n = 0;

  g_assert_true (pal_dbus_firewall1_call_get_log_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1,
                                                       &log, NULL, &error));
  g_assert_no_error (error);
  g_variant_iter_init (&iter, log);
  while (g_variant_iter_next (&iter, "(x&s&s&s&ssssssssqqnnsu)", NULL, &kind, &text, &rule, &name, NULL,
                              NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL))
    n += g_str_equal (kind, wanted->kind) && (wanted->text == NULL || g_str_equal (text, wanted->text))
         && (wanted->rule == NULL || g_str_equal (rule, wanted->rule))
         && (wanted->name == NULL || g_str_equal (name, wanted->name));
  return n;
}

static gboolean
log_has (Fixture      *fixture,
         const Wanted *wanted)
{
  return count_log (fixture, wanted) > 0;
}

typedef struct
{
  Fixture      *fixture;
  const Wanted *wanted;
} LogQuery;

static gboolean
log_query (gpointer data)
{
  LogQuery *query = data;

  spin (100);   /* the helper sends what it has every 200 ms */
  return log_has (query->fixture, query->wanted);
}

static void
await_log (Fixture      *fixture,
           const Wanted *wanted)
{
  LogQuery query = { fixture, wanted };

  if (!wait_for (log_query, &query))
    g_error ("no %s entry “%s” in the log", wanted->kind, wanted->text);
}

/* Apply makes the bridge of the document's Bridge interfaces, refuses
 * what cannot be bridged before anything changes, and removes it when no
 * interface is marked; Apply and SetEnabled are events in the log; a
 * packet the applied document logs names its rule. */
static void
test_apply (Fixture       *fixture,
            gconstpointer  data)
{
  const char * const both[] = { "dbus-a", "dbus-b", NULL };
  const char * const with_lo[] = { "dbus-a", "lo", NULL };
  g_autoptr(PalDocument) bridged = NULL;
  g_autoptr(PalDocument) refused = NULL;
  g_autoptr(PalDocument) plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *gone = NULL;
  PalRule *log_rule;
  Wanted applied = { "applied", "Applied a document of 1 rule", NULL };
  Wanted disabled = { "disabled", "The firewall was switched off", NULL };
  Wanted enabled = { "enabled", "The firewall was switched on", NULL };
  Wanted logged = { "log", "dbus-rule", NULL };

  in_helper_net ("ip", "link", "add", "dbus-a", "type", "veth", "peer", "name", "dbus-a-peer", NULL);
  in_helper_net ("ip", "link", "add", "dbus-b", "type", "veth", "peer", "name", "dbus-b-peer", NULL);

  bridged = bridge_document (both, &log_rule);
  g_assert_true (apply (fixture, bridged, &error));
  g_assert_no_error (error);
  assert_master ("dbus-a", "palbr0");
  assert_master ("dbus-b", "palbr0");
  await_log (fixture, &applied);

  /* The compiled log rule's packets carry its id and name. */
  logged.rule = pal_rule_get_id (log_rule);
  logged.name = pal_rule_get_name (log_rule);
  ping_helper (1);
  await_log (fixture, &logged);

  refused = bridge_document (with_lo, NULL);
  g_assert_false (apply (fixture, refused, &error));
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT);
  g_assert_nonnull (strstr (error->message, "lo is the loopback interface"));
  g_clear_error (&error);
  assert_master ("dbus-b", "palbr0");   /* unchanged */

  plain = bridge_document (NULL, NULL);
  g_assert_true (apply (fixture, plain, &error));
  g_assert_no_error (error);
  gone = helper_link ("palbr0");
  g_assert_cmpstr (gone, ==, "");

  g_assert_true (pal_dbus_firewall1_call_set_enabled_sync (fixture->proxy, FALSE, G_DBUS_CALL_FLAGS_NONE,
                                                           -1, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pal_dbus_firewall1_call_set_enabled_sync (fixture->proxy, TRUE, G_DBUS_CALL_FLAGS_NONE,
                                                           -1, NULL, &error));
  g_assert_no_error (error);
  await_log (fixture, &disabled);
  await_log (fixture, &enabled);
}

/* ------------------------------------------------------------ log denied */

static guint64
packets_of (Fixture    *fixture,
            const char *id)
{
  g_autoptr(GVariant) counters = NULL;
  g_autoptr(GError) error = NULL;
  GVariantIter iter;
  const char *counted;
  guint64 packets;

  g_assert_true (pal_dbus_firewall1_call_get_counters_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1,
                                                            &counters, NULL, &error));
  g_assert_no_error (error);
  g_variant_iter_init (&iter, counters);
  while (g_variant_iter_next (&iter, "(&sttt)", &counted, &packets, NULL, NULL))
    if (g_str_equal (counted, id))
      return packets;
  return 0;
}

#define DENIED_FLOOD 3000

/* With log-denied on, what the default verdict and a drop rule deny
 * arrives as "denied" entries; a flood to the drop rule is logged at the
 * kernel's rate (PAL_LOG_DENIED_RATE a second after a burst of
 * PAL_LOG_DENIED_BURST), while every packet is still dropped. */
static void
test_log_denied (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalRule) drop = pal_rule_new (PAL_PROPERTY_DESTINATION_PORT, PAL_ACTION_DROP);
  g_autoptr(GError) error = NULL;
  g_autofree char *flood = NULL;
  Wanted by_default = { "denied", "default drop", "", "" };
  Wanted by_rule = { "denied", "drop", NULL, "Port 7100 dropped" };
  Wanted suppressed = { "suppressed", NULL, NULL, NULL };
  gint64 start;
  double seconds;
  guint logged;

  pal_rule_set_value (drop, "7100");
  pal_rule_set_name (drop, "Port 7100 dropped");
  by_rule.rule = pal_rule_get_id (drop);
  pal_document_append_rule (document, drop);
  pal_document_set_default_verdict (document, PAL_VERDICT_DROP);
  pal_document_set_log_denied (document, TRUE);
  pal_document_set_enabled (document, TRUE);
  in_helper_net ("ip", "link", "set", "lo", "up", NULL);
  g_assert_true (apply (fixture, document, &error));
  g_assert_no_error (error);

  /* A ping meets the default verdict (its reply never comes). */
  {
    const char *argv[] = { "nsenter", "-t", g_getenv ("PAL_TEST_HELPER_PID"), "-n",
                           "ping", "-n", "-q", "-c", "1", "-w", "2", "127.0.0.1", NULL };
    g_autofree char *out = run (argv, NULL, NULL);
  }
  await_log (fixture, &by_default);

  /* The flood: every datagram refused by the drop rule on its way out. */
  flood = g_strdup_printf ("for i in $(seq %d); do echo x 2>/dev/null >/dev/udp/127.0.0.1/7100; done; true",
                           DENIED_FLOOD);
  start = g_get_monotonic_time ();
  in_helper_net ("bash", "-c", flood, NULL);
  await_log (fixture, &by_rule);
  spin (500);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  logged = count_log (fixture, &by_rule);
  g_test_message ("%d datagrams in %.1f s: %u logged", DENIED_FLOOD, seconds, logged);
  g_assert_cmpuint (packets_of (fixture, pal_rule_get_id (drop)), >=, DENIED_FLOOD);
  /* The kernel's bucket, not the helper's (1000 a second) cut them. */
  g_assert_cmpuint (logged, <=, PAL_LOG_DENIED_BURST + PAL_LOG_DENIED_RATE * (seconds + 1));
  g_assert_cmpuint (count_log (fixture, &suppressed), ==, 0);

  /* Off again: nothing more is logged. */
  pal_document_set_log_denied (document, FALSE);
  g_assert_true (apply (fixture, document, &error));
  g_assert_no_error (error);
  in_helper_net ("bash", "-c", "echo x 2>/dev/null >/dev/udp/127.0.0.1/7100; true", NULL);
  spin (500);
  g_assert_cmpuint (count_log (fixture, &by_rule), ==, logged);
}

/* ------------------------------------------------------------ rollback */

static gboolean
unbridged (gpointer data)
{
  g_autofree char *link = helper_link (data);

  spin (100);
  return strstr (link, " master ") == NULL;
}

/* An Apply that is not confirmed in time is rolled back, the bridge with
 * it: the port it added leaves, the one there before stays. */
static void
test_bridge_rollback (Fixture       *fixture,
                      gconstpointer  data)
{
  const char * const before[] = { "dbus-c", NULL };
  const char * const after[] = { "dbus-c", "dbus-d", NULL };
  g_autoptr(PalDocument) first = bridge_document (before, NULL);
  g_autoptr(PalDocument) second = bridge_document (after, NULL);
  g_autoptr(PalDocument) plain = bridge_document (NULL, NULL);
  g_autoptr(GVariant) variant = g_variant_ref_sink (pal_document_to_variant (second));
  g_autoptr(GError) error = NULL;
  g_autofree char *gone = NULL;
  GVariantBuilder options;

  in_helper_net ("ip", "link", "add", "dbus-c", "type", "veth", "peer", "name", "dbus-c-peer", NULL);
  in_helper_net ("ip", "link", "add", "dbus-d", "type", "veth", "peer", "name", "dbus-d-peer", NULL);
  g_assert_true (apply (fixture, first, &error));
  g_assert_no_error (error);
  assert_master ("dbus-c", "palbr0");

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "confirm-timeout", g_variant_new_uint32 (1));
  g_assert_true (pal_dbus_firewall1_call_apply_sync (fixture->proxy, variant, g_variant_builder_end (&options),
                                                     G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_assert_no_error (error);
  assert_master ("dbus-d", "palbr0");
  /* Not confirmed: in a second the table and the bridge go back. */
  g_assert_true (wait_for (unbridged, (gpointer) "dbus-d"));
  assert_master ("dbus-c", "palbr0");

  g_assert_true (apply (fixture, plain, &error));
  g_assert_no_error (error);
  gone = helper_link ("palbr0");
  g_assert_cmpstr (gone, ==, "");
}

/* ------------------------------------------------------------ bans */

/* Bans made and lifted by the methods, and a ban running out in the
 * kernel, are "banned" and "unbanned" events in the log; a call banning
 * several addresses (told from what it added, not from a look at the
 * sets) makes one event for each, which later looks do not repeat. */
static void
test_ban_events (Fixture       *fixture,
                 gconstpointer  data)
{
  const char * const first[] = { "192.0.2.7", NULL };
  const char * const second[] = { "192.0.2.8", NULL };
  const char * const mixed[] = { "192.0.2.9", "2001:db8::9", "198.51.100.0/31", "192.0.2.9", NULL };
  g_autoptr(PalDocument) plain = bridge_document (NULL, NULL);
  g_autoptr(GError) error = NULL;
  Wanted banned = { "banned", "Banned 192.0.2.7 for 10m: dbus ban", NULL, NULL };
  Wanted unbanned = { "unbanned", "Unbanned 192.0.2.7", NULL, NULL };
  Wanted short_ban = { "banned", "Banned 192.0.2.8 for 1s: short", NULL, NULL };
  Wanted ran_out = { "unbanned", "Unbanned 192.0.2.8: its ban ran out", NULL, NULL };
  Wanted mixed_v4 = { "banned", "Banned 192.0.2.9 for 10m: mixed", NULL, NULL };
  Wanted mixed_v6 = { "banned", "Banned 2001:db8::9 for 10m: mixed", NULL, NULL };
  Wanted mixed_net = { "banned", "Banned 198.51.100.1 for 10m: mixed", NULL, NULL };
  guint64 count;

  g_assert_true (apply (fixture, plain, &error));
  g_assert_no_error (error);
  g_assert_true (pal_dbus_firewall1_call_add_triggered_sync (fixture->proxy, first, 600, "dbus ban",
                                                             G_DBUS_CALL_FLAGS_NONE, -1, &count, NULL, &error));
  g_assert_no_error (error);
  await_log (fixture, &banned);
  g_assert_true (pal_dbus_firewall1_call_remove_triggered_sync (fixture->proxy, first, G_DBUS_CALL_FLAGS_NONE,
                                                                -1, &count, NULL, &error));
  g_assert_no_error (error);
  await_log (fixture, &unbanned);

  g_assert_true (pal_dbus_firewall1_call_add_triggered_sync (fixture->proxy, mixed, 600, "mixed",
                                                             G_DBUS_CALL_FLAGS_NONE, -1, &count, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 4);
  await_log (fixture, &mixed_v4);
  await_log (fixture, &mixed_v6);
  await_log (fixture, &mixed_net);

  g_assert_true (pal_dbus_firewall1_call_add_triggered_sync (fixture->proxy, second, 1, "short",
                                                             G_DBUS_CALL_FLAGS_NONE, -1, &count, NULL, &error));
  g_assert_no_error (error);
  await_log (fixture, &short_ban);
  /* Nobody removes it: the kernel's timeout does, and a look sees it. */
  await_log (fixture, &ran_out);
  g_assert_cmpuint (count_log (fixture, &unbanned), ==, 1);
  /* The look that saw the ban run out knew the others already. */
  g_assert_cmpuint (count_log (fixture, &mixed_v4), ==, 1);
  g_assert_cmpuint (count_log (fixture, &mixed_v6), ==, 1);
  g_assert_cmpuint (count_log (fixture, &mixed_net), ==, 1);
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
  ADD ("apply", test_apply);
  ADD ("log-denied", test_log_denied);
  ADD ("ban-events", test_ban_events);
  ADD ("bridge-rollback", test_bridge_rollback);
#undef ADD

  return g_test_run ();
}
