/* ctl-triggered-verbs.c — palisadectl triggered and trusted: the banned
 * addresses and the addresses never banned, as afctl(8) handled them on
 * Mac OS X Server (afctl -a / -r / -w), through palisade-helper.
 *
 *   triggered list|add|remove|flush|import|export
 *   trusted list|add|remove
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ctl-common.h"
#include "ctl-target.h"
#include "ctl-verb.h"
#include "pal-triggered-values.h"
#include "pal-value.h"

/* Calls that change the firewall may wait for a password. */
#define INTERACTIVE_TIMEOUT_MSEC G_MAXINT
#define REASON_MAX_WIDTH         48

typedef struct
{
  PalCtlTarget  target;
  char         *duration;
  char         *reason;
} Options;

static void
options_clear (Options *options)
{
  pal_ctl_target_clear (&options->target);
  g_free (options->duration);
  g_free (options->reason);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static const char *triggered_summary =
  N_("Addresses banned by trigger rules, the adaptive firewall or by hand.\n"
     "\n"
     "  list                  the banned addresses: time left, triggered by, when\n"
     "  add ADDRESS…          ban addresses, ranges (a-b) or networks (a/len)\n"
     "                        for --duration (default: the document's), with --reason\n"
     "  remove ADDRESS…       unban at once\n"
     "  flush                 unban every address\n"
     "  import FILE           add the lines of a tab-separated file (address, type,\n"
     "                        triggered by, duration), as IPNetSentryX exported them;\n"
     "                        \"-\" reads standard input\n"
     "  export [FILE]         write banned and trusted addresses in that form");

static const char *trusted_summary =
  N_("Addresses and networks that are never banned (the applied document's\n"
     "trusted list): trigger rules and the adaptive firewall skip them.\n"
     "\n"
     "  list                  the trusted addresses and networks\n"
     "  add ADDRESS…          trust addresses or networks (applies the change)\n"
     "  remove ADDRESS…       stop trusting them (applies the change)");

/* ------------------------------------------------------------ helpers */

static int
fail (GError *error)
{
  pal_ctl_target_print_error (error);
  return PAL_CTL_EXIT_FAILURE;
}

static char *
format_left (guint64 seconds)
{
  if (seconds == G_MAXUINT64)
    return g_strdup (_("forever"));
  return pal_duration_print (seconds);
}

static char *
format_when (gint64 when)
{
  g_autoptr(GDateTime) time = when > 0 ? g_date_time_new_from_unix_local (when) : NULL;

  if (time == NULL)
    return g_strdup ("-");
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

static gboolean
parse_duration (const char  *text,
                guint64     *seconds)
{
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    {
      *seconds = 0;   /* the helper uses the document's */
      return TRUE;
    }
  if (!pal_duration_parse (text, seconds, &error))
    {
      pal_ctl_usage_error ("%s", error->message);
      return FALSE;
    }
  if (*seconds == PAL_DURATION_FOREVER)
    *seconds = G_MAXUINT64;
  else if (*seconds == 0)
    {
      pal_ctl_usage_error (_("A ban of 0 seconds would end at once"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_input (const char  *file_name,
            char       **contents,
            GError     **error)
{
  g_autoptr(GString) text = NULL;
  char buffer[8192];
  size_t length;

  if (!g_str_equal (file_name, "-"))
    return g_file_get_contents (file_name, contents, NULL, error);
  text = g_string_new (NULL);
  while ((length = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    g_string_append_len (text, buffer, length);
  *contents = g_string_free (g_steal_pointer (&text), FALSE);
  return TRUE;
}

/* ------------------------------------------------------------ triggered */

static void
add_entry_row (const char *address,
               guint64     left,
               const char *reason,
               gint64      when,
               gpointer    user_data)
{
  g_autofree char *safe_address = pal_ctl_text_sanitize (address, 0);
  g_autofree char *safe_reason = pal_ctl_text_sanitize (*reason != '\0' ? reason : _("a rule"), REASON_MAX_WIDTH);
  g_autofree char *left_text = format_left (left);
  g_autofree char *when_text = format_when (when);
  const char *row[] = { safe_address, left_text, safe_reason, when_text };

  pal_ctl_table_add_row (user_data, row);
}

static int
triggered_list (PalDBusFirewall1 *proxy)
{
  g_autoptr(GVariant) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalCtlTable) table = pal_ctl_table_new (4);
  g_autofree char *text = NULL;
  const char *header[] = { _("ADDRESS"), _("LEFT"), _("TRIGGERED BY"), _("WHEN") };
  gssize n;

  entries = g_dbus_proxy_call_sync (G_DBUS_PROXY (proxy), "ListTriggeredValues", NULL,
                                    G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION, INTERACTIVE_TIMEOUT_MSEC,
                                    NULL, &error);
  if (entries == NULL)
    return fail (error);
  pal_ctl_table_add_row (table, header);
  n = pal_triggered_values_foreach (entries, add_entry_row, table, &error);
  if (n < 0)
    return fail (error);
  text = pal_ctl_table_to_string (table);
  g_print ("%s", text);
  if (n == 0)
    g_print (_("No address is banned.\n"));
  return PAL_CTL_EXIT_OK;
}

static int
triggered_add (PalDBusFirewall1  *proxy,
               Options           *options,
               char             **addresses)
{
  g_autoptr(GError) error = NULL;
  guint64 seconds, added = 0;

  if (!parse_duration (options->duration, &seconds))
    return PAL_CTL_EXIT_USAGE;
  if (!pal_dbus_firewall1_call_add_triggered_sync (proxy, (const char * const *) addresses, seconds,
                                                   options->reason != NULL ? options->reason : _("by hand"),
                                                   G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                                   INTERACTIVE_TIMEOUT_MSEC, &added, NULL, &error))
    return fail (error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Banned %llu address.\n", "Banned %llu addresses.\n", added),
           (unsigned long long) added);
  return PAL_CTL_EXIT_OK;
}

static int
triggered_remove (PalDBusFirewall1  *proxy,
                  char             **addresses)
{
  g_autoptr(GError) error = NULL;
  guint64 removed = 0;

  if (!pal_dbus_firewall1_call_remove_triggered_sync (proxy, (const char * const *) addresses,
                                                      G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                                      INTERACTIVE_TIMEOUT_MSEC, &removed, NULL, &error))
    return fail (error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Unbanned %llu address.\n", "Unbanned %llu addresses.\n", removed),
           (unsigned long long) removed);
  return PAL_CTL_EXIT_OK;
}

static int
triggered_flush (PalDBusFirewall1 *proxy)
{
  g_autoptr(GError) error = NULL;

  if (!pal_dbus_firewall1_call_flush_triggered_sync (proxy, G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                                     INTERACTIVE_TIMEOUT_MSEC, NULL, &error))
    return fail (error);
  g_print (_("Every address is unbanned.\n"));
  return PAL_CTL_EXIT_OK;
}

static int
triggered_import (PalDBusFirewall1 *proxy,
                  const char       *file_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  guint count = 0;

  if (!read_input (file_name, &contents, &error))
    return fail (error);
  if (!pal_dbus_firewall1_call_import_sync (proxy, contents, G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                            INTERACTIVE_TIMEOUT_MSEC, &count, NULL, &error))
    return fail (error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Imported %u entry.\n", "Imported %u entries.\n", count), count);
  return PAL_CTL_EXIT_OK;
}

static int
triggered_export (PalDBusFirewall1 *proxy,
                  const char       *file_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!pal_dbus_firewall1_call_export_sync (proxy, G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                            INTERACTIVE_TIMEOUT_MSEC, &text, NULL, &error))
    return fail (error);
  if (file_name == NULL || g_str_equal (file_name, "-"))
    {
      fputs (text, stdout);
      return PAL_CTL_EXIT_OK;
    }
  if (!g_file_set_contents (file_name, text, -1, &error))
    return fail (error);
  return PAL_CTL_EXIT_OK;
}

/* ------------------------------------------------------------ trusted */

static int
trusted_list (PalDBusFirewall1 *proxy)
{
  g_auto(GStrv) trusted = NULL;
  g_autoptr(GError) error = NULL;

  if (!pal_dbus_firewall1_call_list_trusted_sync (proxy, G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                                  INTERACTIVE_TIMEOUT_MSEC, &trusted, NULL, &error))
    return fail (error);
  for (guint i = 0; trusted[i] != NULL; i++)
    {
      g_autofree char *safe = pal_ctl_text_sanitize (trusted[i], 0);

      g_print ("%s\n", safe);
    }
  if (trusted[0] == NULL)
    g_print (_("No address is trusted.\n"));
  return PAL_CTL_EXIT_OK;
}

static int
trusted_change (PalDBusFirewall1  *proxy,
                char             **addresses,
                gboolean           add)
{
  g_autoptr(GError) error = NULL;
  gboolean done;

  if (add)
    done = pal_dbus_firewall1_call_add_trusted_sync (proxy, (const char * const *) addresses,
                                                     G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                                     INTERACTIVE_TIMEOUT_MSEC, NULL, &error);
  else
    done = pal_dbus_firewall1_call_remove_trusted_sync (proxy, (const char * const *) addresses,
                                                        G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                                        INTERACTIVE_TIMEOUT_MSEC, NULL, &error);
  if (!done)
    return fail (error);
  g_print (add ? _("Trusted, and applied.\n") : _("No longer trusted, and applied.\n"));
  return PAL_CTL_EXIT_OK;
}

/* ------------------------------------------------------------ dispatch */

typedef enum { NONE, SOME, ONE, ONE_OR_NONE } Arity;

/* argv[0] is the action; its arguments follow. */
static gboolean
check_arity (int     argc,
             char  **argv,
             Arity   arity)
{
  int n = argc - 1;

  if ((arity == SOME || arity == ONE) && n == 0)
    {
      pal_ctl_usage_error (_("“%s” needs %s"), argv[0], arity == ONE ? _("a file") : _("addresses"));
      return FALSE;
    }
  if ((arity == NONE && n > 0) || ((arity == ONE || arity == ONE_OR_NONE) && n > 1))
    {
      pal_ctl_usage_error (_("Unexpected argument “%s”"), argv[arity == NONE ? 1 : 2]);
      return FALSE;
    }
  return TRUE;
}

static int
run_triggered_action (PalDBusFirewall1  *proxy,
                      Options           *options,
                      int                argc,
                      char             **argv)
{
  const char *action = argv[0];
  static const struct { const char *name; Arity arity; } actions[] = {
    { "list", NONE }, { "add", SOME }, { "remove", SOME }, { "flush", NONE },
    { "import", ONE }, { "export", ONE_OR_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (action, actions[i].name) && !check_arity (argc, argv, actions[i].arity))
      return PAL_CTL_EXIT_USAGE;
  if (g_str_equal (action, "list"))
    return triggered_list (proxy);
  if (g_str_equal (action, "add"))
    return triggered_add (proxy, options, argv + 1);
  if (g_str_equal (action, "remove"))
    return triggered_remove (proxy, argv + 1);
  if (g_str_equal (action, "flush"))
    return triggered_flush (proxy);
  if (g_str_equal (action, "import"))
    return triggered_import (proxy, argv[1]);
  return triggered_export (proxy, argv[1]);
}

static gboolean
check_action (int                 argc,
              char              **argv,
              const char * const *known)
{
  g_autofree char *choices = g_strjoinv ("|", (char **) known);

  if (argc < 2)
    {
      pal_ctl_usage_error (_("Say what to do: %s"), choices);
      return FALSE;
    }
  if (!g_strv_contains (known, argv[1]))
    {
      g_autofree char *safe = pal_ctl_text_sanitize (argv[1], 40);

      pal_ctl_usage_error (_("“%s” is not one of %s"), safe, choices);
      return FALSE;
    }
  return TRUE;
}

static int
run_triggered (int    argc,
               char **argv)
{
  g_auto(Options) options = { { 0 } };
  const GOptionEntry entries[] = {
    { "duration", 'd', 0, G_OPTION_ARG_STRING, &options.duration,
      N_("add: how long (15m, 1h, 10d, forever; default: the document's trigger duration)"), N_("DURATION") },
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &options.reason,
      N_("add: what is shown as “triggered by” (default: by hand)"), N_("TEXT") },
    PAL_CTL_TARGET_OPTIONS (options.target),
    { NULL }
  };
  const char *known[] = { "list", "add", "remove", "flush", "import", "export", NULL };
  g_autoptr(GOptionContext) context =
    pal_ctl_option_context_new (N_("list|add|remove|flush|import|export [ADDRESS…|FILE]"),
                                triggered_summary, entries);
  g_autoptr(PalDBusFirewall1) proxy = NULL;

  if (!pal_ctl_parse_options (context, &argc, &argv))
    return PAL_CTL_EXIT_USAGE;
  if (!check_action (argc, argv, known))
    return PAL_CTL_EXIT_USAGE;
  proxy = pal_ctl_target_connect (&options.target, FALSE);
  if (proxy == NULL)
    return PAL_CTL_EXIT_FAILURE;
  return run_triggered_action (proxy, &options, argc - 1, argv + 1);
}

static int
run_trusted (int    argc,
             char **argv)
{
  g_auto(PalCtlTarget) target = { 0 };
  const GOptionEntry entries[] = {
    PAL_CTL_TARGET_OPTIONS (target),
    { NULL }
  };
  const char *known[] = { "list", "add", "remove", NULL };
  g_autoptr(GOptionContext) context =
    pal_ctl_option_context_new (N_("list|add|remove [ADDRESS…]"), trusted_summary, entries);
  g_autoptr(PalDBusFirewall1) proxy = NULL;

  if (!pal_ctl_parse_options (context, &argc, &argv))
    return PAL_CTL_EXIT_USAGE;
  if (!check_action (argc, argv, known)
      || !check_arity (argc - 1, argv + 1, g_str_equal (argv[1], "list") ? NONE : SOME))
    return PAL_CTL_EXIT_USAGE;
  proxy = pal_ctl_target_connect (&target, FALSE);
  if (proxy == NULL)
    return PAL_CTL_EXIT_FAILURE;
  if (g_str_equal (argv[1], "list"))
    return trusted_list (proxy);
  return trusted_change (proxy, argv + 2, g_str_equal (argv[1], "add"));
}

const PalCtlVerb pal_ctl_triggered_verbs[] = {
  { "triggered", N_("list|add|remove|flush|import|export …"),
    N_("List, ban, unban, import or export banned addresses"), run_triggered },
  { "trusted", N_("list|add|remove …"),
    N_("List or change the addresses that are never banned"), run_trusted },
  { NULL }
};
