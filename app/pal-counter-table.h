/* pal-counter-table.h — the live counters of a window's rules.
 *
 * Rule id → packets, bytes and when the rule last matched, as the helper's
 * GetCounterValues reports them. The outline's live cells read it; a refresh
 * replaces the values and emits "updated" once, so the rows repaint their
 * text without the list model being touched (no reset of selection,
 * expansion, scroll position or an edit in progress).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pal-counter-layout.h"

G_BEGIN_DECLS

/* GetCounters' "never matched". */
#define PAL_COUNTER_NEVER G_MAXUINT64

typedef struct
{
  guint64 packets;
  guint64 bytes;
  /* Monotonic time (µs) of the rule's last match, or 0 for never. Stored as
   * a time, not as an age, so "3 s ago" keeps counting between refreshes. */
  gint64  last_match;
  /* The refresh (pal_counter_table_get_generation) that last changed it. */
  guint   changed_in;
} PalCounter;

#define PAL_TYPE_COUNTER_TABLE (pal_counter_table_get_type ())
G_DECLARE_FINAL_TYPE (PalCounterTable, pal_counter_table, PAL, COUNTER_TABLE, GObject)

PalCounterTable  *pal_counter_table_new (void);
/* NULL when the kernel has no counter for the rule (not applied). */
const PalCounter *pal_counter_table_lookup (PalCounterTable *self,
                                            const char      *rule_id);
/* GetCounterValues' "known" for the next refresh. */
guint64           pal_counter_table_get_layout (PalCounterTable *self);
/* Takes a reply of GetCounterValues(pal_counter_table_get_layout()): now
 * is the monotonic time of the reply. Emits "updated". FALSE when the
 * reply does not fit (the table is unchanged; the next refresh asks for
 * the ids again). */
gboolean          pal_counter_table_update (PalCounterTable  *self,
                                            GVariant         *reply,
                                            gint64            now,
                                            GError          **error);
void              pal_counter_table_clear (PalCounterTable *self);
guint             pal_counter_table_get_generation (PalCounterTable *self);
guint             pal_counter_table_get_size (PalCounterTable *self);

/* Text for the live columns: "1,234", "12.3 kB", "3 s ago", "never". */
char             *pal_counter_format_packets (guint64 packets);
char             *pal_counter_format_bytes (guint64 bytes);
char             *pal_counter_format_last (gint64 last_match,
                                           gint64 now);

G_END_DECLS
