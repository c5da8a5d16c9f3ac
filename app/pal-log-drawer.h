/* pal-log-drawer.h — the log drawer at the bottom of the window.
 *
 * The helper's log (GetLog when the helper becomes available, then every
 * LogEntries batch after WatchLog) in a column view with a filter, pause,
 * clear, copy and export. The view keeps at most max-rows entries: when the
 * log runs faster than that, the oldest rows leave the view (never the
 * helper's buffer) and the drawer says how many it dropped. Alert entries
 * become desktop notifications (PalAlertNotifier).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pal-helper-client.h"

G_BEGIN_DECLS

#define PAL_LOG_DRAWER_DEFAULT_MAX_ROWS 10000

#define PAL_TYPE_LOG_DRAWER (pal_log_drawer_get_type ())
G_DECLARE_FINAL_TYPE (PalLogDrawer, pal_log_drawer, PAL, LOG_DRAWER, GtkBox)

/* Watches the helper's log whenever it is available (helper may be NULL). */
void        pal_log_drawer_set_helper (PalLogDrawer    *self,
                                       PalHelperClient *helper);
/* Appends a batch of a(xsssssssssssqqnnsu) entries, as LogEntries does. */
void        pal_log_drawer_add_entries (PalLogDrawer *self,
                                        GVariant     *entries);
/* The rows shown (after the filter), PalLogItem. */
GListModel *pal_log_drawer_get_model (PalLogDrawer *self);
/* The view's selection over the rows shown. */
GtkSelectionModel *pal_log_drawer_get_selection (PalLogDrawer *self);
/* What the toolbar says: entries dropped or waiting, "" otherwise. */
const char *pal_log_drawer_get_status_text (PalLogDrawer *self);
/* Every row the view keeps, filtered or not. */
guint       pal_log_drawer_get_n_entries (PalLogDrawer *self);
/* The label in the rule column of the shown row at position (its click
 * selects the rule), or NULL when that row is not drawn. */
GtkWidget  *pal_log_drawer_get_rule_cell (PalLogDrawer *self,
                                          guint         position);
/* The document's "log denied" switch, which the window keeps in step
 * with its document. */
GtkSwitch  *pal_log_drawer_get_log_denied_switch (PalLogDrawer *self);
/* Entries that left the view (or never entered it) since the last clear. */
guint64     pal_log_drawer_get_n_dropped (PalLogDrawer *self);
void        pal_log_drawer_set_max_rows (PalLogDrawer *self,
                                         guint         max_rows);
void        pal_log_drawer_set_filter_text (PalLogDrawer *self,
                                            const char   *text);
void        pal_log_drawer_set_paused (PalLogDrawer *self,
                                       gboolean      paused);
void        pal_log_drawer_clear (PalLogDrawer *self);
/* The selected rows as tab-separated lines, or NULL when none. */
char       *pal_log_drawer_get_selection_text (PalLogDrawer *self);
void        pal_log_drawer_copy_selection (PalLogDrawer *self);
/* The rows shown, as tab-separated lines with a header line. */
char       *pal_log_drawer_to_text (PalLogDrawer *self);

G_END_DECLS
