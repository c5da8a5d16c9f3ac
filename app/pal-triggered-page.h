/* pal-triggered-page.h — the Triggered tab: the addresses the helper has
 * banned now (address, time left counting down, triggered by, when),
 * delete, ban by hand, the expiration interval, import and export, the
 * trusted list beside them, and Who Is and Trace of the selected address
 * (whois or reverse DNS, tracepath or traceroute), run without blocking.
 *
 * It asks the helper (PalHelperClient) itself: ListTriggered every few
 * seconds and on TriggeredChanged, ListTrusted on changes. Its actions
 * (group "triggered"): add, delete, whois, trace, import, export,
 * set-duration, trust, untrust, refresh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pal-helper-client.h"

G_BEGIN_DECLS

#define PAL_TYPE_TRIGGERED_PAGE (pal_triggered_page_get_type ())
G_DECLARE_FINAL_TYPE (PalTriggeredPage, pal_triggered_page, PAL, TRIGGERED_PAGE, GtkBox)

void        pal_triggered_page_set_helper (PalTriggeredPage *self,
                                           PalHelperClient  *helper);
/* The listed entries (PalTriggeredItem) and their selection. */
GListModel *pal_triggered_page_get_model (PalTriggeredPage *self);
GtkSelectionModel *pal_triggered_page_get_selection (PalTriggeredPage *self);
/* The text the "left" cell of row shows now (tests). */
char       *pal_triggered_page_dup_left_text (PalTriggeredPage *self,
                                              guint             row);
/* The output shown by the last Who Is or Trace ("" while it runs). */
const char *pal_triggered_page_get_tool_output (PalTriggeredPage *self);

G_END_DECLS
