/* pal-triggered-item.h — one banned address as the Triggered tab lists it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PAL_TYPE_TRIGGERED_ITEM (pal_triggered_item_get_type ())
G_DECLARE_FINAL_TYPE (PalTriggeredItem, pal_triggered_item, PAL, TRIGGERED_ITEM, GObject)

/* seconds_left: G_MAXUINT64 = until removed; counted from now
 * (monotonic), so the time left counts down without asking again. */
PalTriggeredItem *pal_triggered_item_new (const char *address,
                                          guint64     seconds_left,
                                          const char *reason,
                                          gint64      when);
const char       *pal_triggered_item_get_address (PalTriggeredItem *self);
const char       *pal_triggered_item_get_reason (PalTriggeredItem *self);
gint64            pal_triggered_item_get_when (PalTriggeredItem *self);
/* Seconds left now; G_MAXUINT64 forever; 0 once expired. */
guint64           pal_triggered_item_get_seconds_left (PalTriggeredItem *self);
/* "14m 59s", "forever", "expired". */
char             *pal_triggered_item_format_left (PalTriggeredItem *self);

G_END_DECLS
