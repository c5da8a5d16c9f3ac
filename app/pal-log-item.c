/* pal-log-item.c — one entry of the helper's log, formatted once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pal-log-item.h"

struct _PalLogItem
{
  GObject  parent_instance;

  gint64   time;
  char    *kind;
  char    *text;
  char    *rule_id;
  char    *rule_name;
  char    *source;
  char    *destination;
  char    *columns[PAL_LOG_N_COLUMNS + 1];   /* NULL-terminated */
  char    *folded;        /* every column, case-folded, for the filter */
};

G_DEFINE_FINAL_TYPE (PalLogItem, pal_log_item, G_TYPE_OBJECT)

static void
pal_log_item_finalize (GObject *object)
{
  PalLogItem *self = PAL_LOG_ITEM (object);

  g_free (self->kind);
  g_free (self->text);
  g_free (self->rule_id);
  g_free (self->rule_name);
  g_free (self->source);
  g_free (self->destination);
  for (guint i = 0; i < PAL_LOG_N_COLUMNS; i++)
    g_free (self->columns[i]);
  g_free (self->folded);
  G_OBJECT_CLASS (pal_log_item_parent_class)->finalize (object);
}

static void
pal_log_item_class_init (PalLogItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pal_log_item_finalize;
}

static void
pal_log_item_init (PalLogItem *self)
{
}

/* Batches share seconds, and a thousand rows a second each asking the
 * time zone would cost more than the rest of the row: the last second's
 * text is kept. Only the main thread makes items. */
static char *
format_time (gint64 usec)
{
  static GTimeZone *local_zone;
  static gint64 last_second = G_MININT64;
  static char last_text[16];
  gint64 second = usec / G_USEC_PER_SEC;

  if (second != last_second)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (second);
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *text = NULL;

      if (utc == NULL)
        return g_strdup ("");
      if (local_zone == NULL)
        local_zone = g_time_zone_new_local ();
      local = g_date_time_to_timezone (utc, local_zone);
      text = g_date_time_format (local, "%H:%M:%S");
      g_strlcpy (last_text, text, sizeof last_text);
      last_second = second;
    }
  return g_strdup (last_text);
}

/* Where the packet was going, from the hook that logged it. */
static const char *
direction_for_hook (const char *hook)
{
  if (g_str_equal (hook, "input") || g_str_equal (hook, "prerouting") || g_str_equal (hook, "ingress"))
    return C_("log direction", "In");
  if (g_str_equal (hook, "output") || g_str_equal (hook, "postrouting") || g_str_equal (hook, "egress"))
    return C_("log direction", "Out");
  if (g_str_equal (hook, "forward"))
    return C_("log direction", "Forward");
  return "";
}

static char *
format_interface (const char *in,
                  const char *out)
{
  if (*in != '\0' && *out != '\0')
    return g_strdup_printf ("%s → %s", in, out);
  return g_strdup (*in != '\0' ? in : out);
}

static char *
format_ports (guint16 sport,
              guint16 dport,
              gint16  icmp_type,
              gint16  icmp_code)
{
  if (sport != 0 || dport != 0)
    return g_strdup_printf ("%u → %u", sport, dport);
  if (icmp_type >= 0)
    /* Translators: an ICMP message's type and code in the log */
    return g_strdup_printf (_("type %d code %d"), icmp_type, icmp_code);
  return g_strdup ("");
}

/* The rule column names the rule; without one (events, suppressed counts,
 * another program's logs) the text stands there, and the kind in the
 * verdict column. */
static void
fill_columns (PalLogItem *self,
              const char *hook,
              const char *in,
              const char *out,
              const char *protocol,
              guint16     sport,
              guint16     dport,
              gint16      icmp_type,
              gint16      icmp_code)
{
  g_autoptr(GString) all = g_string_new (NULL);

  self->columns[PAL_LOG_COLUMN_TIME] = format_time (self->time);
  self->columns[PAL_LOG_COLUMN_RULE] = g_strdup (*self->rule_name != '\0' ? self->rule_name
                                                 : *self->text != '\0' ? self->text : self->rule_id);
  self->columns[PAL_LOG_COLUMN_DIRECTION] = g_strdup (direction_for_hook (hook));
  self->columns[PAL_LOG_COLUMN_INTERFACE] = format_interface (in, out);
  self->columns[PAL_LOG_COLUMN_PROTOCOL] = g_strdup (protocol);
  self->columns[PAL_LOG_COLUMN_SOURCE] = g_strdup (self->source);
  self->columns[PAL_LOG_COLUMN_DESTINATION] = g_strdup (self->destination);
  self->columns[PAL_LOG_COLUMN_PORTS] = format_ports (sport, dport, icmp_type, icmp_code);
  self->columns[PAL_LOG_COLUMN_VERDICT] = g_strdup (self->kind);
  for (guint i = 0; i < PAL_LOG_N_COLUMNS; i++)
    g_string_append_printf (all, "%s\t", self->columns[i]);
  self->folded = g_utf8_casefold (all->str, all->len);
}

PalLogItem *
pal_log_item_new (GVariant *entry)
{
  PalLogItem *self;
  const char *hook, *in, *out, *mac, *protocol, *flags;
  guint16 sport, dport;
  gint16 icmp_type, icmp_code;
  guint32 length;

  g_return_val_if_fail (g_variant_is_of_type (entry, G_VARIANT_TYPE ("(xsssssssssssqqnnsu)")), NULL);

  self = g_object_new (PAL_TYPE_LOG_ITEM, NULL);
  g_variant_get (entry, "(xssss&s&s&s&s&sssqqnn&su)",
                 &self->time, &self->kind, &self->text, &self->rule_id, &self->rule_name, &hook, &in, &out,
                 &mac, &protocol, &self->source, &self->destination,
                 &sport, &dport, &icmp_type, &icmp_code, &flags, &length);
  fill_columns (self, hook, in, out, protocol, sport, dport, icmp_type, icmp_code);
  return self;
}

gint64
pal_log_item_get_time (PalLogItem *self)
{
  g_return_val_if_fail (PAL_IS_LOG_ITEM (self), 0);
  return self->time;
}

const char *
pal_log_item_get_kind (PalLogItem *self)
{
  g_return_val_if_fail (PAL_IS_LOG_ITEM (self), NULL);
  return self->kind;
}

const char *
pal_log_item_get_text (PalLogItem *self)
{
  g_return_val_if_fail (PAL_IS_LOG_ITEM (self), NULL);
  return self->text;
}

const char *
pal_log_item_get_rule_id (PalLogItem *self)
{
  g_return_val_if_fail (PAL_IS_LOG_ITEM (self), NULL);
  return self->rule_id;
}

const char *
pal_log_item_get_rule_name (PalLogItem *self)
{
  g_return_val_if_fail (PAL_IS_LOG_ITEM (self), NULL);
  return self->rule_name;
}

const char *
pal_log_item_get_source (PalLogItem *self)
{
  g_return_val_if_fail (PAL_IS_LOG_ITEM (self), NULL);
  return self->source;
}

const char *
pal_log_item_get_destination (PalLogItem *self)
{
  g_return_val_if_fail (PAL_IS_LOG_ITEM (self), NULL);
  return self->destination;
}

const char *
pal_log_item_get_column (PalLogItem   *self,
                         PalLogColumn  column)
{
  g_return_val_if_fail (PAL_IS_LOG_ITEM (self), NULL);
  g_return_val_if_fail (column < PAL_LOG_N_COLUMNS, NULL);
  return self->columns[column];
}

gboolean
pal_log_item_matches (PalLogItem *self,
                      const char *needle)
{
  g_return_val_if_fail (PAL_IS_LOG_ITEM (self), FALSE);
  return needle == NULL || strstr (self->folded, needle) != NULL;
}

char *
pal_log_item_to_tsv (PalLogItem *self)
{
  g_return_val_if_fail (PAL_IS_LOG_ITEM (self), NULL);
  return g_strjoinv ("\t", self->columns);
}
