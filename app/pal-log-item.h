/* pal-log-item.h — one entry of the helper's log, as the log drawer shows it.
 *
 * Made from one a(xsssssssssssqqnnsu) element of GetLog or LogEntries
 * (data/io.github.palisade.Firewall1.xml); the columns' texts are computed
 * once here, so scrolling and filtering a long log formats nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  PAL_LOG_COLUMN_TIME,
  PAL_LOG_COLUMN_RULE,
  PAL_LOG_COLUMN_DIRECTION,
  PAL_LOG_COLUMN_INTERFACE,
  PAL_LOG_COLUMN_PROTOCOL,
  PAL_LOG_COLUMN_SOURCE,
  PAL_LOG_COLUMN_DESTINATION,
  PAL_LOG_COLUMN_PORTS,
  PAL_LOG_COLUMN_VERDICT,
  PAL_LOG_N_COLUMNS
} PalLogColumn;

#define PAL_TYPE_LOG_ITEM (pal_log_item_get_type ())
G_DECLARE_FINAL_TYPE (PalLogItem, pal_log_item, PAL, LOG_ITEM, GObject)

/* entry: one (xsssssssssssqqnnsu) tuple. */
PalLogItem *pal_log_item_new (GVariant *entry);
gint64      pal_log_item_get_time (PalLogItem *self);
/* "log", "alert", "suppressed" or an event's kind. */
const char *pal_log_item_get_kind (PalLogItem *self);
/* The rule's parameter (log or alert text), or the event's sentence. */
const char *pal_log_item_get_text (PalLogItem *self);
/* The id of the rule that logged it, "" when unknown. */
const char *pal_log_item_get_rule_id (PalLogItem *self);
/* Its name, "" when unknown. */
const char *pal_log_item_get_rule_name (PalLogItem *self);
const char *pal_log_item_get_source (PalLogItem *self);
const char *pal_log_item_get_destination (PalLogItem *self);
const char *pal_log_item_get_column (PalLogItem   *self,
                                     PalLogColumn  column);
/* Whether any column contains needle (already case-folded). */
gboolean    pal_log_item_matches (PalLogItem *self,
                                  const char *needle);
/* The columns separated by tabs, without a newline. */
char       *pal_log_item_to_tsv (PalLogItem *self);

G_END_DECLS
