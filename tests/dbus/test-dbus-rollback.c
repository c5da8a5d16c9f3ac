/* test-dbus-rollback.c — Apply with confirmation against the real helper.
 *
 * Run by dbus-harness.sh with a helper of its own (the first test needs
 * one that has applied nothing; the last one stops it). Every check of the
 * kernel is nft's own listing of the helper's network namespace, compared
 * before and after.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pal-dbus-generated.h"
#include "pal-document-variant.h"
#include "pal-fwdoc.h"
#include "pal-helper-error.h"

typedef struct
{
  GDBusConnection  *connection;
  PalDBusFirewall1 *proxy;
  char             *reason;     /* of the last RolledBack */
} Fixture;

static void
on_rolled_back (PalDBusFirewall1 *proxy,
                const char       *reason,
                Fixture          *fixture)
{
  g_test_message ("RolledBack (%s)", reason);
  g_free (fixture->reason);
  fixture->reason = g_strdup (reason);
}

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
  g_signal_connect (fixture->proxy, "rolled-back", G_CALLBACK (on_rolled_back), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->proxy, fixture);
  g_clear_object (&fixture->proxy);
  g_clear_object (&fixture->connection);
  g_clear_pointer (&fixture->reason, g_free);
}

/* ------------------------------------------------------------ documents */

static PalRule *
new_rule (PalProperty  property,
          const char  *value,
          PalAction    action,
          const char  *name)
{
  PalRule *rule = pal_rule_new (property, action);

  pal_rule_set_value (rule, value);
  pal_rule_set_name (rule, name);
  return rule;
}

/* A: tcp → port 22 pass, count the rest; default pass. */
static PalDocument *
document_a (void)
{
  PalDocument *document = pal_document_new ();
  g_autoptr(PalRule) tcp = new_rule (PAL_PROPERTY_PROTOCOL, "tcp", PAL_ACTION_GROUP, "TCP");
  g_autoptr(PalRule) ssh = new_rule (PAL_PROPERTY_DESTINATION_PORT, "22", PAL_ACTION_PASS, "SSH");
  g_autoptr(PalRule) count = new_rule (PAL_PROPERTY_ANY, "", PAL_ACTION_COUNT, "Everything else");

  pal_rule_append_child (tcp, ssh);
  pal_document_append_rule (document, tcp);
  pal_document_append_rule (document, count);
  pal_document_set_enabled (document, TRUE);
  pal_document_set_default_verdict (document, PAL_VERDICT_PASS);
  return document;
}

/* B: A without its SSH rule, with a web rule and a drop by default. */
static PalDocument *
document_b (void)
{
  PalDocument *document = pal_document_new ();
  g_autoptr(PalRule) web = new_rule (PAL_PROPERTY_DESTINATION_PORT, "80,443", PAL_ACTION_PASS, "Web");
  g_autoptr(PalRule) count = new_rule (PAL_PROPERTY_ANY, "", PAL_ACTION_COUNT, "Everything else");

  pal_document_append_rule (document, web);
  pal_document_append_rule (document, count);
  pal_document_set_enabled (document, TRUE);
  pal_document_set_default_verdict (document, PAL_VERDICT_DROP);
  return document;
}

static GVariant *
options_with_timeout (guint seconds)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (seconds > 0)
    g_variant_builder_add (&builder, "{sv}", "confirm-timeout", g_variant_new_uint32 (seconds));
  return g_variant_builder_end (&builder);
}

static void
apply_on (PalDBusFirewall1  *proxy,
          PalDocument       *document,
          guint              timeout,
          GError           **error)
{
  g_autoptr(GVariant) variant = g_variant_ref_sink (pal_document_to_variant (document));

  pal_dbus_firewall1_call_apply_sync (proxy, variant, options_with_timeout (timeout),
                                      G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
}

static void
apply_ok (Fixture     *fixture,
          PalDocument *document,
          guint        timeout)
{
  g_autoptr(GError) error = NULL;

  apply_on (fixture->proxy, document, timeout, &error);
  g_assert_no_error (error);
}

/* ------------------------------------------------------------ the kernel */

/* The kernel lists the chains of a table in the order they were made: a
 * chain that a rollback made again comes last. That order means nothing
 * to packets (only jumps and hooks do), so the blocks of the table (sets
 * and chains, each with its rules in their order) are sorted. */
static int
compare_blocks (const void *a,
                const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static char *
sort_blocks (const char *listing)
{
  g_auto(GStrv) blocks = g_strsplit (listing, "\n\n", -1);
  guint n = g_strv_length (blocks);

  if (n > 2)
    {
      /* The first block opens the table, the last closes it. */
      g_autofree char *last = NULL;
      char *closing = strstr (blocks[n - 1], "\n}");

      if (closing != NULL)
        {
          last = g_strdup (closing);
          *closing = '\0';
        }
      g_autofree char *joined = NULL;

      qsort (blocks + 1, n - 1, sizeof (char *), compare_blocks);
      joined = g_strjoinv ("\n\n", blocks);
      return g_strconcat (joined, last, NULL);
    }
  return g_strdup (listing);
}

/* The helper's network namespace, for nsenter --net: its own, or a
 * descriptor of ours that keeps it once the helper is gone. */
static char *netns_path;

static const char *
netns_option (void)
{
  if (netns_path == NULL)
    netns_path = g_strdup_printf ("--net=/proc/%s/ns/net", g_getenv ("PAL_TEST_HELPER_PID"));
  return netns_path;
}

/* nft's listing of the helper's namespace, without the time left on set
 * elements (it changes by itself), with counters zeroed, blocks sorted. */
static char *
list_table (void)
{
  g_autoptr(GRegex) expires = g_regex_new (" expires [0-9dhms]+", 0, 0, NULL);
  g_autoptr(GRegex) counters = g_regex_new ("packets [0-9]+ bytes [0-9]+", 0, 0, NULL);
  const char *argv[] = { "nsenter", netns_option (), "nft", "list", "table", "inet", "palisade", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *step = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_nonnull (g_getenv ("PAL_TEST_HELPER_PID"));
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  step = g_regex_replace_literal (expires, out, -1, 0, "", 0, &error);
  g_assert_no_error (error);
  listing = g_regex_replace_literal (counters, step, -1, 0, "packets 0 bytes 0", 0, &error);
  g_assert_no_error (error);
  {
    g_autofree char *sorted = sort_blocks (listing);

    return g_strconcat (sorted, err, NULL);
  }
}

static void
run_nft (const char *command)
{
  const char *pid = g_getenv ("PAL_TEST_HELPER_PID");
  g_autofree char *line = g_strdup_printf ("nsenter -t %s -n nft %s", pid, command);
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_command_line_sync (line, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *passed = user_data;

  *passed = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until RolledBack arrives or seconds pass. */
static void
wait_rolled_back (Fixture *fixture,
                  guint    seconds)
{
  gboolean passed = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_deadline, &passed);

  while (fixture->reason == NULL && !passed)
    g_main_context_iteration (NULL, TRUE);
  if (!passed)
    g_source_remove (id);
}

static void
assert_same_listing (const char *expected,
                     const char *actual)
{
  if (g_strcmp0 (expected, actual) != 0)
    g_error ("the table is not what it was:\n--- before\n%s\n--- now\n%s", expected, actual);
}

/* ------------------------------------------------------------ tests */

/* Nothing was applied before: the rollback removes the table. */
static void
test_no_table (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(PalDocument) b = document_b ();
  g_autofree char *before = list_table ();
  g_autofree char *applied = NULL;
  g_autofree char *after = NULL;

  g_assert_null (strstr (before, "table inet palisade {"));
  apply_ok (fixture, b, 1);
  applied = list_table ();
  g_assert_nonnull (strstr (applied, "table inet palisade {"));
  wait_rolled_back (fixture, 10);
  g_assert_cmpstr (fixture->reason, ==, "not confirmed within 1 s");
  after = list_table ();
  g_assert_null (strstr (after, "table inet palisade {"));
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PalDocument) a = document_a ();
  g_autoptr(PalDocument) b = document_b ();
  g_autofree char *before = NULL;
  g_autofree char *applied = NULL;
  g_autofree char *after = NULL;

  apply_ok (fixture, a, 0);
  before = list_table ();
  apply_ok (fixture, b, 2);
  applied = list_table ();
  g_assert_cmpstr (before, !=, applied);
  g_assert_null (fixture->reason);
  wait_rolled_back (fixture, 10);
  g_assert_cmpstr (fixture->reason, ==, "not confirmed within 2 s");
  after = list_table ();
  assert_same_listing (before, after);
}

static void
test_confirm_keeps (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PalDocument) a = document_a ();
  g_autoptr(PalDocument) b = document_b ();
  g_autofree char *applied = NULL;
  g_autofree char *later = NULL;
  g_autoptr(GError) error = NULL;

  apply_ok (fixture, a, 0);
  apply_ok (fixture, b, 2);
  applied = list_table ();
  pal_dbus_firewall1_call_confirm_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  wait_rolled_back (fixture, 4);
  g_assert_null (fixture->reason);
  later = list_table ();
  assert_same_listing (applied, later);
  /* Confirmed already: nothing waits. */
  pal_dbus_firewall1_call_confirm_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS);
}

static GDBusConnection *
new_private_connection (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SYSTEM, NULL, &error);
  GDBusConnection *connection;

  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static PalDBusFirewall1 *
new_proxy_on (GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;
  PalDBusFirewall1 *proxy;

  proxy = pal_dbus_firewall1_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                                             PAL_BUS_NAME, PAL_OBJECT_PATH, NULL, &error);
  g_assert_no_error (error);
  return proxy;
}

/* A second client cannot confirm or apply over a waiting change; the
 * client that applied leaves the bus: rolled back. */
static void
test_disconnect (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PalDocument) a = document_a ();
  g_autoptr(PalDocument) b = document_b ();
  g_autoptr(GDBusConnection) other = new_private_connection ();
  g_autoptr(PalDBusFirewall1) other_proxy = new_proxy_on (other);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  apply_ok (fixture, a, 0);
  before = list_table ();
  apply_on (other_proxy, b, 60, &error);
  g_assert_no_error (error);

  pal_dbus_firewall1_call_confirm_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_ACCESS_DENIED);
  g_clear_error (&error);
  apply_on (fixture->proxy, a, 0, &error);
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_BUSY);
  g_clear_error (&error);

  g_clear_object (&other_proxy);
  g_dbus_connection_close_sync (other, NULL, &error);
  g_assert_no_error (error);
  wait_rolled_back (fixture, 10);
  g_assert_cmpstr (fixture->reason, ==, "the client that applied disconnected");
  after = list_table ();
  assert_same_listing (before, after);
}

/* The master switch comes back too: off before, on in the change. */
static void
test_master_switch (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PalDocument) a = document_a ();
  g_autoptr(PalDocument) b = document_b ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  apply_ok (fixture, a, 0);
  pal_dbus_firewall1_call_set_enabled_sync (fixture->proxy, FALSE, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  before = list_table ();
  g_assert_nonnull (strstr (before, "dormant"));
  apply_ok (fixture, b, 1);
  {
    g_autofree char *on = list_table ();

    g_assert_null (strstr (on, "dormant"));
  }
  wait_rolled_back (fixture, 10);
  g_assert_nonnull (fixture->reason);
  after = list_table ();
  assert_same_listing (before, after);
}

static void
test_bad_timeouts (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(PalDocument) a = document_a ();
  g_autoptr(GVariant) variant = g_variant_ref_sink (pal_document_to_variant (a));
  const char *bad[] = { "{'confirm-timeout': <'20'>}", "{'confirm-timeout': <uint32 99999>}",
                        "{'confirm-timeout': <int32 -1>}", "{'force': <true>}" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      pal_dbus_firewall1_call_apply_sync (fixture->proxy, variant, g_variant_new_parsed (bad[i]),
                                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS);
      g_test_message ("%s: %s", bad[i], error->message);
    }
  /* Still serving, and nothing waits. */
  apply_ok (fixture, a, 0);
}

/* RollBack: the client refuses its own change at once. */
static void
test_roll_back_now (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PalDocument) a = document_a ();
  g_autoptr(PalDocument) b = document_b ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  apply_ok (fixture, a, 0);
  before = list_table ();
  apply_ok (fixture, b, 600);
  pal_dbus_firewall1_call_roll_back_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  wait_rolled_back (fixture, 10);
  g_assert_cmpstr (fixture->reason, ==, "refused by the client that applied");
  after = list_table ();
  assert_same_listing (before, after);
}

/* Document B's rule "destination-port is 80, 443": a kernel rule per
 * port (pal-nft-match.h). */
static gboolean
has_web_rule (const char *listing)
{
  return strstr (listing, "th dport 80 ") != NULL && strstr (listing, "th dport 443 ") != NULL;
}

/* Conflict, then "Apply anyway": the same Apply again goes through. */
static void
test_conflict_apply_anyway (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PalDocument) a = document_a ();
  g_autoptr(PalDocument) b = document_b ();
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;

  apply_ok (fixture, a, 0);
  run_nft ("add rule inet palisade input counter");
  apply_on (fixture->proxy, b, 0, &error);
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_CONFLICT);
  apply_ok (fixture, b, 0);
  listing = list_table ();
  g_assert_true (has_web_rule (listing));
}

/* palisadectl apply --confirm: "y" keeps, the end of the input rolls
 * back at once (palisadectl leaves the bus), and each says so. */
static void
run_palisadectl_confirm (const char *document_text,
                         const char *answer,
                         char      **out)
{
  g_autofree char *path = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int fd;

  fd = g_file_open_tmp ("rollback-XXXXXX.fwdoc", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, document_text, -1, &error);
  g_assert_no_error (error);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("PAL_TEST_PALISADECTL"), "apply", "--force", "--confirm", "30", path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, answer, NULL, out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("answer %s: %s%s", answer, *out, err);
  g_unlink (path);
}

static void
test_palisadectl_confirm (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PalDocument) a = document_a ();
  g_autoptr(PalDocument) b = document_b ();
  g_autofree char *b_text = pal_fwdoc_save_data (b, NULL);
  g_autofree char *before = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;

  if (g_getenv ("PAL_TEST_PALISADECTL") == NULL)
    {
      g_test_skip ("PAL_TEST_PALISADECTL is not set");
      return;
    }
  apply_ok (fixture, a, 0);
  before = list_table ();
  run_palisadectl_confirm (b_text, "", &out);
  g_assert_nonnull (strstr (out, "Keep these firewall settings? [y/N] (rolls back in 30 s)"));
  g_assert_nonnull (strstr (out, "Rolled back: the client that applied disconnected"));
  after = list_table ();
  assert_same_listing (before, after);

  run_palisadectl_confirm (b_text, "y\n", &out2);
  g_assert_nonnull (strstr (out2, "Kept the new firewall settings."));
  kept = list_table ();
  g_assert_true (has_web_rule (kept));
}

/* palisadectl apply over SSH: a document that would drop the session is
 * refused with a warning naming the reason, unless --force. */
static void
test_palisadectl_lockout (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PalDocument) a = document_a ();
  g_autoptr(PalDocument) b = document_b ();
  g_autofree char *b_text = pal_fwdoc_save_data (b, NULL);
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  const char *palisadectl = g_getenv ("PAL_TEST_PALISADECTL");
  int fd;

  if (palisadectl == NULL)
    {
      g_test_skip ("PAL_TEST_PALISADECTL is not set");
      return;
    }
  apply_ok (fixture, a, 0);
  before = list_table ();
  fd = g_file_open_tmp ("lockout-XXXXXX.fwdoc", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, b_text, -1, &error);
  g_assert_no_error (error);

  for (guint forced = 0; forced < 2; forced++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                           G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_subprocess_launcher_setenv (launcher, "SSH_CONNECTION", "192.0.2.1 50000 198.51.100.2 22", TRUE);
      process = g_subprocess_launcher_spawn (launcher, &error, palisadectl, "apply",
                                             forced ? "--force" : path, forced ? path : NULL, NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_test_message ("%s%s", out, err);
      if (!forced)
        {
          g_assert_false (g_subprocess_get_successful (process));
          g_assert_nonnull (strstr (err, "would block your SSH connection from 192.0.2.1 to port 22"));
          g_assert_nonnull (strstr (err, "IPv6 neighbour solicitations"));
          g_assert_nonnull (strstr (err, "--force"));
          after = list_table ();
          assert_same_listing (before, after);
        }
      else
        g_assert_true (g_subprocess_get_successful (process));
    }
  g_unlink (path);
}

/* Show Active's other tables: Docker-like tables come back read-only with
 * their chain counts and base chains; ours is not among them. */
static void
test_other_tables (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(PalDocument) a = document_a ();
  g_autoptr(GVariant) tables = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE, found_netdev = FALSE;
  GVariantIter iter;
  GVariantIter *base;
  const char *family, *name, *chain, *hook;
  guint32 chains;
  gint32 priority;

  apply_ok (fixture, a, 0);
  run_nft ("add table ip filter");
  run_nft ("add chain ip filter FORWARD { type filter hook forward priority 0 ; }");
  run_nft ("add chain ip filter DOCKER");
  run_nft ("add table netdev edge");
  run_nft ("add chain netdev edge in { type filter hook ingress device lo priority -500 ; }");
  pal_dbus_firewall1_call_get_other_tables_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1, &tables,
                                                 NULL, &error);
  g_assert_no_error (error);
  g_variant_iter_init (&iter, tables);
  while (g_variant_iter_next (&iter, "(&s&sua(ssi))", &family, &name, &chains, &base))
    {
      g_autofree char *hooks = g_strdup ("");

      while (g_variant_iter_next (base, "(&s&si)", &chain, &hook, &priority))
        {
          g_autofree char *previous = g_steal_pointer (&hooks);

          hooks = g_strdup_printf ("%s %s:%s:%d", previous, chain, hook, priority);
        }
      g_variant_iter_free (base);
      g_test_message ("%s %s: %u chains;%s", family, name, chains, hooks);
      g_assert_false (g_str_equal (name, "palisade") && g_str_equal (family, "inet"));
      if (g_str_equal (family, "ip") && g_str_equal (name, "filter"))
        {
          g_assert_cmpuint (chains, ==, 2);
          g_assert_cmpstr (hooks, ==, " FORWARD:forward:0");
          found = TRUE;
        }
      if (g_str_equal (family, "netdev") && g_str_equal (name, "edge"))
        {
          g_assert_cmpstr (hooks, ==, " in:ingress:-500");
          found_netdev = TRUE;
        }
    }
  g_assert_true (found);
  g_assert_true (found_netdev);
  run_nft ("delete table ip filter");
  run_nft ("delete table netdev edge");
}

static gboolean
name_has_owner (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", PAL_BUS_NAME), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* Last: SIGTERM (systemd stopping the helper) while a change waits for
 * its confirmation. Nobody can confirm it any more: the helper puts the
 * previous table back, says so, and exits. A descriptor of the helper's
 * network namespace keeps it (and the table) for nft afterwards. */
static void
test_sigterm (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PalDocument) a = document_a ();
  g_autoptr(PalDocument) b = document_b ();
  const char *pid = g_getenv ("PAL_TEST_HELPER_PID");
  g_autofree char *namespace = g_strdup_printf ("/proc/%s/ns/net", pid);
  g_autofree char *before = NULL;
  g_autofree char *applied = NULL;
  g_autofree char *after = NULL;
  gint64 deadline;
  int fd;

  fd = open (namespace, O_RDONLY);
  g_assert_cmpint (fd, >=, 0);
  g_free (netns_path);
  netns_path = g_strdup_printf ("--net=/proc/%d/fd/%d", (int) getpid (), fd);

  apply_ok (fixture, a, 0);
  before = list_table ();
  apply_ok (fixture, b, 60);
  applied = list_table ();
  g_assert_cmpstr (before, !=, applied);
  g_assert_null (fixture->reason);

  g_assert_cmpint (kill ((pid_t) g_ascii_strtoll (pid, NULL, 10), SIGTERM), ==, 0);
  wait_rolled_back (fixture, 20);
  g_assert_cmpstr (fixture->reason, ==, "the helper was stopped before the change was confirmed");
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (name_has_owner (fixture->connection) && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  g_assert_false (name_has_owner (fixture->connection));

  after = list_table ();
  assert_same_listing (before, after);
  close (fd);
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
  g_test_add ("/rollback/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  /* First: it needs a helper that has applied nothing. */
  ADD ("no-table", test_no_table);
  ADD ("timeout", test_timeout);
  ADD ("confirm-keeps", test_confirm_keeps);
  ADD ("disconnect", test_disconnect);
  ADD ("master-switch", test_master_switch);
  ADD ("roll-back-now", test_roll_back_now);
  ADD ("bad-timeouts", test_bad_timeouts);
  ADD ("conflict-apply-anyway", test_conflict_apply_anyway);
  ADD ("palisadectl-confirm", test_palisadectl_confirm);
  ADD ("palisadectl-lockout", test_palisadectl_lockout);
  ADD ("other-tables", test_other_tables);
  /* Last: it stops the helper. */
  ADD ("sigterm", test_sigterm);
#undef ADD

  return g_test_run ();
}
