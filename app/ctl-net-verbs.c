/* ctl-net-verbs.c — palisadectl verbs about the network the helper sees:
 * interfaces (its list of interfaces) and log (its log of packets and
 * events, followed with --follow).
 *
 * Like the firewall verbs they talk to palisade-helper on the system bus,
 * or with --sandbox to the helper of "palisade-helper --sandbox", or at
 * --bus-address. Everything the helper sends is sanitized before it
 * reaches the terminal: log prefixes and interface names are other
 * people's text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ctl-common.h"
#include "ctl-target.h"
#include "ctl-verb.h"
#include "pal-dbus-generated.h"
#include "pal-helper-error.h"
#include "pal-sandbox.h"

#define TEXT_MAX_WIDTH 60

/* ------------------------------------------------------------ the helper */

static gboolean
check_no_arguments (int    argc,
                    char **argv)
{
  if (argc > 1)
    {
      pal_ctl_usage_error (_("Unexpected argument “%s”"), argv[1]);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------ interfaces */

static char *
join_addresses (const char **addresses)
{
  g_autofree char *joined = g_strjoinv (", ", (char **) addresses);

  return pal_ctl_text_sanitize (joined, 0);
}

static char *
format_interfaces (GVariant *interfaces)
{
  g_autoptr(PalCtlTable) table = pal_ctl_table_new (5);
  const char *header[] = { _("Interface"), _("Kind"), _("State"), _("MAC"), _("Addresses") };
  const char *name, *kind, *state, *mac;
  g_autofree const char **addresses = NULL;
  GVariantIter iter;

  pal_ctl_table_add_row (table, header);
  g_variant_iter_init (&iter, interfaces);
  while (g_variant_iter_next (&iter, "(&su&s&s&s^a&s)", &name, NULL, &kind, &state, &mac, &addresses))
    {
      g_autofree char *safe_name = pal_ctl_text_sanitize (name, 20);
      g_autofree char *safe_kind = pal_ctl_text_sanitize (kind, 20);
      g_autofree char *safe_state = pal_ctl_text_sanitize (state, 20);
      g_autofree char *safe_mac = pal_ctl_text_sanitize (mac, 60);
      g_autofree char *joined = join_addresses (addresses);
      const char *row[] = { safe_name, safe_kind, safe_state,
                            *safe_mac != '\0' ? safe_mac : "-", *joined != '\0' ? joined : "-" };

      pal_ctl_table_add_row (table, row);
      g_clear_pointer (&addresses, g_free);
    }
  return pal_ctl_table_to_string (table);
}

static int
run_interfaces (int    argc,
                char **argv)
{
  g_auto(PalCtlTarget) target = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PalDBusFirewall1) proxy = NULL;
  g_autoptr(GVariant) interfaces = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const GOptionEntry entries[] = {
    PAL_CTL_TARGET_OPTIONS (target),
    { NULL }
  };

  context = pal_ctl_option_context_new (NULL,
                                        N_("Lists the network interfaces the helper sees: name, kind "
                                           "(ethernet, wireless, loopback, or the driver's kind such as veth "
                                           "or bridge), state, MAC address and IP addresses. These are the "
                                           "names a document's interface settings refer to."),
                                        entries);
  if (!pal_ctl_parse_options (context, &argc, &argv) || !check_no_arguments (argc, argv))
    return PAL_CTL_EXIT_USAGE;

  proxy = pal_ctl_target_connect (&target, FALSE);
  if (proxy == NULL)
    return PAL_CTL_EXIT_FAILURE;
  if (!pal_dbus_firewall1_call_get_interfaces_sync (proxy, G_DBUS_CALL_FLAGS_NONE, -1,
                                                    &interfaces, NULL, &error))
    {
      pal_ctl_target_print_error (error);
      return PAL_CTL_EXIT_FAILURE;
    }
  text = format_interfaces (interfaces);
  g_print ("%s", text);
  return PAL_CTL_EXIT_OK;
}

/* ------------------------------------------------------------ log */

typedef struct
{
  gint64       time;
  const char  *kind, *text, *rule, *name, *hook, *in, *out, *mac;
  const char  *protocol, *source, *destination, *tcp_flags;
  guint16      sport, dport;
  gint16       icmp_type, icmp_code;
  guint32      length;
} Entry;

static void
read_entry (GVariant *variant,
            Entry    *entry)
{
  g_variant_get (variant, "(x&s&s&s&s&s&s&s&s&s&s&sqqnn&su)",
                 &entry->time, &entry->kind, &entry->text, &entry->rule, &entry->name, &entry->hook,
                 &entry->in, &entry->out, &entry->mac, &entry->protocol, &entry->source,
                 &entry->destination, &entry->sport, &entry->dport, &entry->icmp_type,
                 &entry->icmp_code, &entry->tcp_flags, &entry->length);
}

static void
append_sanitized (GString    *line,
                  const char *text,
                  guint       max_width)
{
  g_autofree char *safe = pal_ctl_text_sanitize (text, max_width);

  g_string_append (line, safe);
}

/* "192.0.2.1:80", "[2001:db8::1]:80", or the address alone without ports. */
static void
append_endpoint (GString    *line,
                 const char *address,
                 guint16     port,
                 gboolean    ported)
{
  if (!ported)
    append_sanitized (line, address, 0);
  else if (strchr (address, ':') != NULL)
    {
      g_string_append_c (line, '[');
      append_sanitized (line, address, 0);
      g_string_append_printf (line, "]:%u", port);
    }
  else
    {
      append_sanitized (line, address, 0);
      g_string_append_printf (line, ":%u", port);
    }
}

/* "input lo→", "forward eth0→eth1", "output →lo". */
static void
append_path (GString     *line,
             const Entry *entry,
             const char  *arrow)
{
  append_sanitized (line, entry->hook, 20);
  g_string_append_c (line, ' ');
  append_sanitized (line, entry->in, 20);
  g_string_append (line, arrow);
  append_sanitized (line, entry->out, 20);
}

/* Loopback's "00:00:00:00:00:00" says nothing. */
static gboolean
is_zero_mac (const char *mac)
{
  for (const char *p = mac; *p != '\0'; p++)
    if (*p != '0' && *p != ':')
      return FALSE;
  return TRUE;
}

static void
append_packet (GString     *line,
               const Entry *entry)
{
  const char *arrow = pal_ctl_use_unicode () ? "→" : "->";
  gboolean ported = entry->sport != 0 || entry->dport != 0;

  append_path (line, entry, arrow);
  if (*entry->protocol != '\0')
    {
      g_string_append (line, "  ");
      append_sanitized (line, entry->protocol, 20);
      g_string_append_c (line, ' ');
      append_endpoint (line, entry->source, entry->sport, ported);
      g_string_append_printf (line, " %s ", arrow);
      append_endpoint (line, entry->destination, entry->dport, ported);
    }
  if (entry->icmp_type >= 0)
    g_string_append_printf (line, " type %d code %d", entry->icmp_type, entry->icmp_code);
  if (*entry->tcp_flags != '\0')
    {
      g_string_append (line, " [");
      append_sanitized (line, entry->tcp_flags, 40);
      g_string_append_c (line, ']');
    }
  if (*entry->mac != '\0' && !is_zero_mac (entry->mac))
    {
      g_string_append (line, " from ");
      append_sanitized (line, entry->mac, 40);
    }
  g_string_append (line, pal_ctl_use_unicode () ? "  “" : "  \"");
  append_sanitized (line, entry->text, TEXT_MAX_WIDTH);
  g_string_append (line, pal_ctl_use_unicode () ? "”" : "\"");
  if (*entry->rule != '\0')
    {
      g_string_append (line, " rule ");
      if (*entry->name != '\0')
        {
          g_string_append (line, pal_ctl_use_unicode () ? "“" : "\"");
          append_sanitized (line, entry->name, TEXT_MAX_WIDTH);
          g_string_append (line, pal_ctl_use_unicode () ? "” " : "\" ");
        }
      append_sanitized (line, entry->rule, 40);
    }
}

static char *
format_entry (GVariant *variant)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *kind = NULL;
  Entry entry;

  read_entry (variant, &entry);
  time = g_date_time_new_from_unix_local (entry.time / G_USEC_PER_SEC);
  stamp = time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
  kind = pal_ctl_text_sanitize (entry.kind, 10);
  g_string_append_printf (line, "%s.%03d  %-10s ", stamp,
                          (int) ((entry.time % G_USEC_PER_SEC) / 1000), kind);
  if (g_str_equal (entry.kind, "log") || g_str_equal (entry.kind, "alert")
      || g_str_equal (entry.kind, "denied"))
    append_packet (line, &entry);
  else
    append_sanitized (line, entry.text, 0);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static void
print_entries (GVariant *entries)
{
  GVariantIter iter;
  GVariant *entry;

  g_variant_iter_init (&iter, entries);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autofree char *line = format_entry (entry);

      g_print ("%s\n", line);
      g_variant_unref (entry);
    }
}

typedef struct
{
  GMainLoop *loop;
  int        status;
} Follow;

static void
on_log_entries (PalDBusFirewall1 *proxy,
                GVariant         *entries,
                Follow           *follow)
{
  print_entries (entries);
}

static void
on_owner_changed (GObject    *proxy,
                  GParamSpec *pspec,
                  Follow     *follow)
{
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (proxy));

  if (owner != NULL)
    return;
  pal_ctl_error ("%s", _("palisade-helper stopped"));
  follow->status = PAL_CTL_EXIT_FAILURE;
  g_main_loop_quit (follow->loop);
}

static gboolean
on_interrupt (gpointer user_data)
{
  Follow *follow = user_data;

  g_main_loop_quit (follow->loop);
  return G_SOURCE_CONTINUE;
}

/* Watching first, then reading what is there, so nothing falls between. */
static int
follow_log (PalDBusFirewall1 *proxy)
{
  g_autoptr(GVariant) entries = NULL;
  g_autoptr(GError) error = NULL;
  Follow follow = { g_main_loop_new (NULL, FALSE), PAL_CTL_EXIT_OK };
  guint interrupt, terminate;

  g_signal_connect (proxy, "log-entries", G_CALLBACK (on_log_entries), &follow);
  g_signal_connect (proxy, "notify::g-name-owner", G_CALLBACK (on_owner_changed), &follow);
  if (!pal_dbus_firewall1_call_watch_log_sync (proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error)
      || !pal_dbus_firewall1_call_get_log_sync (proxy, G_DBUS_CALL_FLAGS_NONE, -1, &entries,
                                                NULL, &error))
    {
      pal_ctl_target_print_error (error);
      g_main_loop_unref (follow.loop);
      return PAL_CTL_EXIT_FAILURE;
    }
  print_entries (entries);
  interrupt = g_unix_signal_add (SIGINT, on_interrupt, &follow);
  terminate = g_unix_signal_add (SIGTERM, on_interrupt, &follow);
  g_main_loop_run (follow.loop);
  g_source_remove (interrupt);
  g_source_remove (terminate);
  g_main_loop_unref (follow.loop);
  return follow.status;
}

static int
run_log (int    argc,
         char **argv)
{
  g_auto(PalCtlTarget) target = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PalDBusFirewall1) proxy = NULL;
  g_autoptr(GVariant) entries = NULL;
  g_autoptr(GError) error = NULL;
  gboolean follow = FALSE;
  const GOptionEntry entries_options[] = {
    { "follow", 'f', 0, G_OPTION_ARG_NONE, &follow,
      N_("Keep printing new entries as they come, until interrupted"), NULL },
    PAL_CTL_TARGET_OPTIONS (target),
    { NULL }
  };

  context = pal_ctl_option_context_new (NULL,
                                        N_("Prints the helper's log, oldest first: packets that rules with "
                                           "the log or alert action matched (time, hook and interfaces, "
                                           "protocol, addresses and ports, the rule's text and id), and what "
                                           "the helper did (applied, enabled, disabled, conflicts, errors). At "
                                           "most 1000 packets a second are kept; a “suppressed” line counts "
                                           "the others."),
                                        entries_options);
  if (!pal_ctl_parse_options (context, &argc, &argv) || !check_no_arguments (argc, argv))
    return PAL_CTL_EXIT_USAGE;

  proxy = pal_ctl_target_connect (&target, follow);
  if (proxy == NULL)
    return PAL_CTL_EXIT_FAILURE;
  if (follow)
    return follow_log (proxy);
  if (!pal_dbus_firewall1_call_get_log_sync (proxy, G_DBUS_CALL_FLAGS_NONE, -1, &entries, NULL, &error))
    {
      pal_ctl_target_print_error (error);
      return PAL_CTL_EXIT_FAILURE;
    }
  print_entries (entries);
  return PAL_CTL_EXIT_OK;
}

const PalCtlVerb pal_ctl_net_verbs[] = {
  { "interfaces", "", N_("List the network interfaces the helper sees"), run_interfaces },
  { "log", "", N_("Print the helper's log of packets and events"), run_log },
  { NULL, NULL, NULL, NULL },
};
