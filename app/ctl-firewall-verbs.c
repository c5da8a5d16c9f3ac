/* ctl-firewall-verbs.c — palisadectl verbs that work on the firewall
 * through palisade-helper: apply, show-active, enable, disable, status,
 * counters; and export, which compiles locally.
 *
 * The helper is found on the system bus, or with --sandbox on the bus of
 * "palisade-helper --sandbox", or at --bus-address. Its errors are shown as
 * the sentences it wrote, without the D-Bus error name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ctl-common.h"
#include "ctl-confirm.h"
#include "ctl-target.h"
#include "ctl-verb.h"
#include "pal-counter-layout.h"
#include "pal-dbus-generated.h"
#include "pal-document-variant.h"
#include "pal-firewall.h"
#include "pal-fwdoc.h"
#include "pal-helper-error.h"
#include "pal-lockout-check.h"
#include "pal-problem.h"
#include "pal-sandbox.h"
#include "pal-validator.h"

/* Calls that change the firewall may wait for a password. */
#define INTERACTIVE_TIMEOUT_MSEC G_MAXINT
#define NAME_MAX_WIDTH           50

static void
print_problems (const char *file_name,
                GPtrArray  *problems)
{
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = pal_problem_to_string (g_ptr_array_index (problems, i), file_name);
      g_autofree char *safe = pal_ctl_text_sanitize (line, 0);

      g_printerr ("%s\n", safe);
    }
}

/* Reads and validates here first, so problems come located in the file
 * (line and column), which the helper cannot know. */
static PalDocument *
load_valid_document (const char *file_name)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (file_name);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) document = NULL;

  document = pal_fwdoc_load_file (file, NULL, &problems, &error);
  if (document == NULL)
    {
      if (problems != NULL && problems->len > 0)
        print_problems (file_name, problems);
      else
        g_printerr ("%s: %s\n", file_name, error->message);
      return NULL;
    }
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = pal_validate_document (document);
  if (problems->len > 0)
    {
      print_problems (file_name, problems);
      return NULL;
    }
  return g_steal_pointer (&document);
}

/* The verb takes exactly `wanted` arguments after its options. */
static gboolean
check_arguments (int          argc,
                 char       **argv,
                 int          wanted,
                 const char  *missing)
{
  if (argc < wanted + 1)
    {
      pal_ctl_usage_error ("%s", missing);
      return FALSE;
    }
  if (argc > wanted + 1)
    {
      pal_ctl_usage_error (_("Unexpected argument “%s”"), argv[wanted + 1]);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------ apply */

/* For --confirm: the Apply goes over a connection of its own, which
 * palisadectl closes to roll back at once. */
static PalDBusFirewall1 *
connect_private_helper (PalCtlTarget *target)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  PalDBusFirewall1 *proxy = NULL;

  if (target->sandbox)
    address = pal_sandbox_read_address (&error);
  else if (target->bus_address != NULL)
    address = g_strdup (target->bus_address);
  else
    address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SYSTEM, NULL, &error);
  if (address != NULL)
    connection = pal_ctl_confirm_connect (address, &error);
  if (connection != NULL)
    proxy = pal_dbus_firewall1_proxy_new_sync (connection,
                                               G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
                                               G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                               PAL_BUS_NAME, PAL_OBJECT_PATH, NULL, &error);
  if (proxy == NULL)
    pal_ctl_target_print_error (error);
  return proxy;
}

/* Warns on stderr when the document would cut the SSH connection we run
 * over or IPv6 neighbour discovery; FALSE then. */
static gboolean
check_lockout (PalDocument *document)
{
  const char *ssh = g_getenv ("SSH_CONNECTION");
  g_auto(GStrv) fields = ssh != NULL ? g_strsplit (ssh, " ", -1) : NULL;
  g_autofree char *interface = NULL;
  g_autoptr(GPtrArray) warnings = NULL;

  if (fields != NULL && g_strv_length (fields) == 4)
    interface = pal_lockout_find_interface (fields[2]);
  warnings = pal_lockout_check (document, ssh, interface);
  for (guint i = 0; i < warnings->len; i++)
    {
      PalLockoutWarning *warning = g_ptr_array_index (warnings, i);
      g_autofree char *safe = pal_ctl_text_sanitize (warning->text, 0);

      pal_ctl_error (_("warning: %s"), safe);
    }
  if (warnings->len == 0)
    return TRUE;
  g_printerr (_("Nothing was applied. Change the document, or give --force to apply it anyway.\n"));
  return FALSE;
}

static GVariant *
apply_options (guint confirm_seconds)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (confirm_seconds > 0)
    g_variant_builder_add (&builder, "{sv}", "confirm-timeout", g_variant_new_uint32 (confirm_seconds));
  return g_variant_builder_end (&builder);
}

static int
run_apply (int    argc,
           char **argv)
{
  g_auto(PalCtlTarget) target = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PalDBusFirewall1) proxy = NULL;
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(PalDBusFirewall1) listener = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rules;
  int confirm_seconds = 0;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    PAL_CTL_TARGET_OPTIONS (target),
    { "confirm", 0, 0, G_OPTION_ARG_INT, &confirm_seconds,
      N_("Ask whether to keep the change; roll back after SECONDS without a yes"), N_("SECONDS") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Apply even if it would block your SSH connection or IPv6 neighbour discovery"), NULL },
    { NULL }
  };

  context = pal_ctl_option_context_new (N_("FILE"),
                                        N_("Checks the document, then has palisade-helper load it into the "
                                           "kernel in one step: either all of it takes effect or nothing "
                                           "changes. Rules that did not change keep their counters. The "
                                           "firewall is on or off as the document's master switch says.\n\n"
                                           "With --confirm SECONDS, asks whether to keep the change: without "
                                           "a yes within SECONDS the helper restores the previous rules.\n\n"
                                           "It refuses a document that would block the SSH connection it runs "
                                           "over or IPv6 neighbour discovery, unless given --force.\n\n"
                                           "Needs the io.github.palisade.apply authorization: you may be "
                                           "asked for an administrator's password."),
                                        entries);
  if (!pal_ctl_parse_options (context, &argc, &argv))
    return PAL_CTL_EXIT_USAGE;
  if (confirm_seconds < 0 || confirm_seconds > 3600)
    return pal_ctl_usage_error (_("--confirm takes seconds from 1 to 3600"));
  if (!check_arguments (argc, argv, 1, _("No document given")))
    return PAL_CTL_EXIT_USAGE;

  document = load_valid_document (argv[1]);
  if (document == NULL)
    return PAL_CTL_EXIT_FAILURE;
  if (!force && !check_lockout (document))
    return PAL_CTL_EXIT_FAILURE;
  if (confirm_seconds > 0)
    {
      listener = pal_ctl_target_connect (&target, TRUE);
      if (listener == NULL)
        return PAL_CTL_EXIT_FAILURE;
      proxy = connect_private_helper (&target);
    }
  else
    proxy = pal_ctl_target_connect (&target, FALSE);
  if (proxy == NULL)
    return PAL_CTL_EXIT_FAILURE;
  if (!pal_dbus_firewall1_call_apply_sync (proxy, pal_document_to_variant (document),
                                           apply_options (confirm_seconds),
                                           G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                           INTERACTIVE_TIMEOUT_MSEC, NULL, &error))
    {
      pal_ctl_target_print_error (error);
      return PAL_CTL_EXIT_FAILURE;
    }
  n_rules = pal_document_count_rules (document);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Applied %s (%u rule)\n", "Applied %s (%u rules)\n", n_rules),
           argv[1], n_rules);
  if (confirm_seconds > 0 && !pal_ctl_confirm_ask (proxy, listener, confirm_seconds))
    return PAL_CTL_EXIT_FAILURE;
  return PAL_CTL_EXIT_OK;
}

/* ------------------------------------------------------------ show-active */

static PalDocument *
get_active (PalDBusFirewall1 *proxy)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GError) error = NULL;
  PalDocument *document;

  if (!pal_dbus_firewall1_call_get_active_sync (proxy, G_DBUS_CALL_FLAGS_NONE, -1,
                                                &variant, NULL, &error))
    {
      pal_ctl_target_print_error (error);
      return NULL;
    }
  /* The helper is trusted no more than any peer: decode with all checks. */
  document = pal_document_from_variant (variant, &error);
  if (document == NULL)
    pal_ctl_error (_("The helper sent a document that cannot be read: %s"), error->message);
  return document;
}

static gboolean
write_text (const char  *output,
            const char  *text,
            gsize        length)
{
  g_autoptr(GError) error = NULL;

  if (output == NULL || g_str_equal (output, "-"))
    {
      fwrite (text, 1, length, stdout);
      return fflush (stdout) == 0;
    }
  if (!g_file_set_contents (output, text, length, &error))
    {
      pal_ctl_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

static int
run_show_active (int    argc,
                 char **argv)
{
  g_auto(PalCtlTarget) target = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PalDBusFirewall1) proxy = NULL;
  g_autoptr(PalDocument) document = NULL;
  g_autofree char *output = NULL;
  g_autofree char *text = NULL;
  gsize length;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the document to FILE instead of standard output"), N_("FILE") },
    PAL_CTL_TARGET_OPTIONS (target),
    { NULL }
  };

  context = pal_ctl_option_context_new (NULL,
                                        N_("Reads back what the kernel really does, as a .fwdoc document: "
                                           "the rules of Palisade's table with their ids and switches. Rules "
                                           "another program added to the table come back read-only, named "
                                           "by their nft text."),
                                        entries);
  if (!pal_ctl_parse_options (context, &argc, &argv))
    return PAL_CTL_EXIT_USAGE;
  if (!check_arguments (argc, argv, 0, NULL))
    return PAL_CTL_EXIT_USAGE;

  proxy = pal_ctl_target_connect (&target, FALSE);
  if (proxy == NULL)
    return PAL_CTL_EXIT_FAILURE;
  document = get_active (proxy);
  if (document == NULL)
    return PAL_CTL_EXIT_FAILURE;
  text = pal_fwdoc_save_data (document, &length);
  return write_text (output, text, length) ? PAL_CTL_EXIT_OK : PAL_CTL_EXIT_FAILURE;
}

/* ------------------------------------------------------------ enable, disable */

static int
set_enabled (int         argc,
             char      **argv,
             gboolean    enabled,
             const char *summary)
{
  g_auto(PalCtlTarget) target = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PalDBusFirewall1) proxy = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    PAL_CTL_TARGET_OPTIONS (target),
    { NULL }
  };

  context = pal_ctl_option_context_new (NULL, summary, entries);
  if (!pal_ctl_parse_options (context, &argc, &argv))
    return PAL_CTL_EXIT_USAGE;
  if (!check_arguments (argc, argv, 0, NULL))
    return PAL_CTL_EXIT_USAGE;

  proxy = pal_ctl_target_connect (&target, FALSE);
  if (proxy == NULL)
    return PAL_CTL_EXIT_FAILURE;
  if (!pal_dbus_firewall1_call_set_enabled_sync (proxy, enabled,
                                                 G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                                 INTERACTIVE_TIMEOUT_MSEC, NULL, &error))
    {
      pal_ctl_target_print_error (error);
      return PAL_CTL_EXIT_FAILURE;
    }
  g_print ("%s\n", enabled ? _("The firewall is on") : _("The firewall is off"));
  return PAL_CTL_EXIT_OK;
}

static int
run_enable (int    argc,
            char **argv)
{
  return set_enabled (argc, argv, TRUE,
                      N_("Switches the firewall on: the loaded rules filter traffic again. "
                         "Needs the io.github.palisade.apply authorization."));
}

static int
run_disable (int    argc,
             char **argv)
{
  return set_enabled (argc, argv, FALSE,
                      N_("Switches the firewall off: the rules stay loaded with their counters "
                         "but have no effect on traffic until “palisadectl enable”. Needs the "
                         "io.github.palisade.apply authorization."));
}

/* ------------------------------------------------------------ status */

/* Properties are read with an explicit call, so a refusal is reported
 * rather than showing up as missing values. */
static GVariant *
get_all_properties (PalDBusFirewall1 *proxy)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_proxy_call_sync (G_DBUS_PROXY (proxy), "org.freedesktop.DBus.Properties.GetAll",
                                  g_variant_new ("(s)", PAL_BUS_NAME), G_DBUS_CALL_FLAGS_NONE, -1,
                                  NULL, &error);
  if (reply == NULL)
    pal_ctl_target_print_error (error);
  return reply;
}

typedef struct
{
  guint64 packets;
  guint64 bytes;
  guint64 age;
} Counter;

/* GetCounterValues as id → Counter; the ids (the keys) belong to layout,
 * which keeps them between calls so they are sent only when they change. */
static GHashTable *
get_counters (PalDBusFirewall1 *proxy,
              PalCounterLayout *layout)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GHashTable *counters;
  const guint64 *values = NULL;
  gboolean changed;
  gssize n = -1;

  reply = g_dbus_proxy_call_sync (G_DBUS_PROXY (proxy), "GetCounterValues",
                                  g_variant_new ("(t)", pal_counter_layout_get_token (layout)),
                                  G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  if (reply != NULL)
    n = pal_counter_layout_update (layout, reply, &values, &changed, &error);
  if (n < 0)
    {
      pal_ctl_target_print_error (error);
      return NULL;
    }
  counters = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (gssize i = 0; i < n; i++)
    g_hash_table_insert (counters, (char *) pal_counter_layout_get_id (layout, i),
                         g_memdup2 (values + i * PAL_COUNTER_VALUES_PER_RULE, sizeof (Counter)));
  return counters;
}

/* Counters are per rule, plus one for the default verdict. */
static guint
count_rules (GHashTable *counters)
{
  return g_hash_table_size (counters) - (g_hash_table_contains (counters, PAL_FIREWALL_DEFAULT_ID) ? 1 : 0);
}

static int
run_status (int    argc,
            char **argv)
{
  g_auto(PalCtlTarget) target = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PalDBusFirewall1) proxy = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) properties = NULL;
  g_autoptr(PalCounterLayout) layout = pal_counter_layout_new ();
  g_autoptr(GHashTable) counters = NULL;
  g_autoptr(PalCtlTable) table = pal_ctl_table_new (2);
  g_autofree char *text = NULL;
  g_autofree char *generation = NULL;
  g_autofree char *rules = NULL;
  g_autofree char *version = NULL;
  const char *helper_version = "?";
  gboolean enabled = FALSE;
  guint32 generation_value = 0;
  const GOptionEntry entries[] = {
    PAL_CTL_TARGET_OPTIONS (target),
    { NULL }
  };

  context = pal_ctl_option_context_new (NULL,
                                        N_("Shows whether the firewall is on, how many rules Palisade has "
                                           "loaded, the kernel's ruleset generation and the helper's version."),
                                        entries);
  if (!pal_ctl_parse_options (context, &argc, &argv))
    return PAL_CTL_EXIT_USAGE;
  if (!check_arguments (argc, argv, 0, NULL))
    return PAL_CTL_EXIT_USAGE;

  proxy = pal_ctl_target_connect (&target, FALSE);
  if (proxy == NULL || (reply = get_all_properties (proxy)) == NULL ||
      (counters = get_counters (proxy, layout)) == NULL)
    return PAL_CTL_EXIT_FAILURE;

  properties = g_variant_get_child_value (reply, 0);
  g_variant_lookup (properties, "Enabled", "b", &enabled);
  g_variant_lookup (properties, "Generation", "u", &generation_value);
  g_variant_lookup (properties, "Version", "&s", &helper_version);
  generation = g_strdup_printf ("%u", generation_value);
  rules = g_strdup_printf ("%u", count_rules (counters));
  version = pal_ctl_text_sanitize (helper_version, 40);
  {
    const char *rows[][2] = {
      { _("Firewall:"), enabled ? _("on") : _("off") },
      { _("Rules loaded:"), rules },
      { _("Generation:"), generation },
      { _("Helper version:"), version },
    };
    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      pal_ctl_table_add_row (table, rows[i]);
  }
  text = pal_ctl_table_to_string (table);
  g_print ("%s", text);
  return PAL_CTL_EXIT_OK;
}

/* ------------------------------------------------------------ counters */

typedef struct
{
  PalDBusFirewall1 *proxy;
  PalDocument      *active;    /* names and order of the rules */
  PalCounterLayout *layout;    /* the counters' ids */
  gboolean          stale;     /* the table changed: read it again */
  gboolean          clear;     /* --watch on a terminal */
  int               status;
  GMainLoop        *loop;
} CounterView;

static char *
format_age (guint64 milliseconds)
{
  guint64 seconds = milliseconds / 1000;

  if (milliseconds == G_MAXUINT64)
    return g_strdup (_("never"));
  if (seconds < 120)
    return g_strdup_printf (_("%llu s ago"), (unsigned long long) (seconds));
  if (seconds < 2 * 3600)
    return g_strdup_printf (_("%llu min ago"), (unsigned long long) (seconds / 60));
  if (seconds < 2 * 86400)
    return g_strdup_printf (_("%llu h ago"), (unsigned long long) (seconds / 3600));
  return g_strdup_printf (_("%llu days ago"), (unsigned long long) (seconds / 86400));
}

static void
add_counter_row (PalCtlTable   *table,
                 const char    *label,
                 const Counter *counter)
{
  g_autofree char *packets = g_strdup_printf ("%" G_GUINT64_FORMAT, counter->packets);
  g_autofree char *bytes = g_strdup_printf ("%" G_GUINT64_FORMAT, counter->bytes);
  g_autofree char *age = format_age (counter->age);
  const char *row[] = { packets, bytes, age, label };

  pal_ctl_table_add_row (table, row);
}

/* In outline order, each rule's name indented by its depth (its id when it
 * has no name); rules that have no counter (not loaded) are left out. */
static void
add_rule_counter_rows (PalCtlTable *table,
                       GListModel  *rules,
                       GHashTable  *counters)
{
  guint n = g_list_model_get_n_items (rules);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (rules, i);
      const char *id = pal_rule_get_id (rule);
      const char *name = pal_rule_get_name (rule);
      const Counter *counter = g_hash_table_lookup (counters, id);

      if (counter != NULL)
        {
          g_autofree char *safe = pal_ctl_text_sanitize (name != NULL && name[0] != '\0' ? name : id,
                                                         NAME_MAX_WIDTH);
          g_autofree char *label = g_strdup_printf ("%*s%s", 2 * pal_rule_get_depth (rule), "", safe);

          add_counter_row (table, label, counter);
          g_hash_table_remove (counters, id);
        }
      add_rule_counter_rows (table, pal_rule_get_children (rule), counters);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* counters: id → Counter, emptied. */
static char *
format_counters (PalDocument *active,
                 GHashTable  *counters)
{
  g_autoptr(PalCtlTable) table = pal_ctl_table_new (4);
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  const char *header[] = { _("Packets"), _("Bytes"), _("Last match"), _("Rule") };
  GHashTableIter others_iter;
  gpointer key;

  pal_ctl_table_add_row (table, header);
  add_rule_counter_rows (table, pal_document_get_rules (active), counters);

  /* Then the default verdict, and ids the active document does not know. */
  {
    const Counter *fallback = g_hash_table_lookup (counters, PAL_FIREWALL_DEFAULT_ID);

    if (fallback != NULL)
      add_counter_row (table, _("(default verdict)"), fallback);
    g_hash_table_remove (counters, PAL_FIREWALL_DEFAULT_ID);
  }
  g_hash_table_iter_init (&others_iter, counters);
  while (g_hash_table_iter_next (&others_iter, &key, NULL))
    g_ptr_array_add (others, key);
  g_ptr_array_sort (others, compare_strings);
  for (guint i = 0; i < others->len; i++)
    add_counter_row (table, g_ptr_array_index (others, i),
                     g_hash_table_lookup (counters, g_ptr_array_index (others, i)));
  return pal_ctl_table_to_string (table);
}

static gboolean
show_counters (CounterView *view)
{
  g_autoptr(GHashTable) counters = NULL;
  g_autofree char *text = NULL;

  if (view->stale || view->active == NULL)
    {
      g_clear_object (&view->active);
      view->active = get_active (view->proxy);
      view->stale = FALSE;
      if (view->active == NULL)
        return FALSE;
    }
  counters = get_counters (view->proxy, view->layout);
  if (counters == NULL)
    return FALSE;
  text = format_counters (view->active, counters);
  if (view->clear)
    g_print ("\033[H\033[2J");
  g_print ("%s", text);
  return TRUE;
}

static gboolean
on_watch_tick (gpointer user_data)
{
  CounterView *view = user_data;

  if (show_counters (view))
    return G_SOURCE_CONTINUE;
  view->status = PAL_CTL_EXIT_FAILURE;
  g_main_loop_quit (view->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_watch_interrupt (gpointer user_data)
{
  CounterView *view = user_data;

  g_main_loop_quit (view->loop);
  return G_SOURCE_REMOVE;
}

static void
on_table_changed (PalDBusFirewall1 *proxy,
                  guint             generation,
                  const char       *program,
                  CounterView      *view)
{
  view->stale = TRUE;
}

static int
watch_counters (CounterView *view)
{
  view->loop = g_main_loop_new (NULL, FALSE);
  view->clear = isatty (STDOUT_FILENO);
  g_signal_connect (view->proxy, "changed", G_CALLBACK (on_table_changed), view);
  g_timeout_add_seconds (1, on_watch_tick, view);
  g_unix_signal_add (SIGINT, on_watch_interrupt, view);
  g_main_loop_run (view->loop);
  g_main_loop_unref (view->loop);
  return view->status;
}

static int
run_counters (int    argc,
              char **argv)
{
  g_auto(PalCtlTarget) target = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PalDBusFirewall1) proxy = NULL;
  CounterView view = { 0 };
  gboolean watch = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "watch", 'w', 0, G_OPTION_ARG_NONE, &watch,
      N_("Show the counters again every second until interrupted"), NULL },
    PAL_CTL_TARGET_OPTIONS (target),
    { NULL }
  };

  context = pal_ctl_option_context_new (NULL,
                                        N_("Shows, for every rule Palisade loaded, how many packets and bytes "
                                           "it matched and when it last matched, with the rules named and "
                                           "indented as in the active document."),
                                        entries);
  if (!pal_ctl_parse_options (context, &argc, &argv))
    return PAL_CTL_EXIT_USAGE;
  if (!check_arguments (argc, argv, 0, NULL))
    return PAL_CTL_EXIT_USAGE;

  proxy = pal_ctl_target_connect (&target, watch);
  if (proxy == NULL)
    return PAL_CTL_EXIT_FAILURE;
  view.proxy = proxy;
  view.layout = pal_counter_layout_new ();
  if (!show_counters (&view))
    status = PAL_CTL_EXIT_FAILURE;
  else
    status = watch ? watch_counters (&view) : PAL_CTL_EXIT_OK;
  g_clear_object (&view.active);
  pal_counter_layout_free (view.layout);
  return status;
}

/* ------------------------------------------------------------ export */

static int
run_export (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *script = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the script to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };

  context = pal_ctl_option_context_new (N_("FILE"),
                                        N_("Prints the nftables script the document compiles to, to read "
                                           "or to load with “nft -f”. Works without the helper and changes "
                                           "nothing."),
                                        entries);
  if (!pal_ctl_parse_options (context, &argc, &argv))
    return PAL_CTL_EXIT_USAGE;
  if (!check_arguments (argc, argv, 1, _("No document given")))
    return PAL_CTL_EXIT_USAGE;

  document = load_valid_document (argv[1]);
  if (document == NULL)
    return PAL_CTL_EXIT_FAILURE;
  script = pal_firewall_export (document, &error);
  if (script == NULL)
    {
      g_autofree char *safe = pal_ctl_text_sanitize (error->message, 0);
      g_printerr ("%s: %s\n", argv[1], safe);
      return PAL_CTL_EXIT_FAILURE;
    }
  return write_text (output, script, strlen (script)) ? PAL_CTL_EXIT_OK : PAL_CTL_EXIT_FAILURE;
}

const PalCtlVerb pal_ctl_firewall_verbs[] = {
  { "apply", N_("FILE"), N_("Load a document into the kernel"), run_apply },
  { "show-active", "", N_("Read the active rules back as a document"), run_show_active },
  { "enable", "", N_("Switch the firewall on"), run_enable },
  { "disable", "", N_("Switch the firewall off, keeping its rules"), run_disable },
  { "status", "", N_("Show whether the firewall is on, and what is loaded"), run_status },
  { "counters", "", N_("Show each rule's packets, bytes and last match"), run_counters },
  { "export", N_("FILE"), N_("Print the nftables script a document compiles to"), run_export },
  { NULL, NULL, NULL, NULL },
};
