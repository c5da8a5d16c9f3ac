/* pal-triggered-page.h — the Triggered tab's live table: the addresses the
 * helper has banned now (address, time left counting down, triggered by,
 * when), delete, ban by hand (for the document's expiration interval),
 * import and export, and Who Is and Trace of the selected address (whois
 * or reverse DNS, tracepath or traceroute), run without blocking. In the
 * table's place, a status page when nothing is banned and when the helper
 * cannot be reached. (The trusted list and the ban settings beside it are
 * the document's: PalTrustedList, PalBanSettings.)
 *
 * It asks the helper (PalHelperClient) itself: ListTriggered every few
 * seconds and on TriggeredChanged. Its actions (group "triggered"): add,
 * delete, whois, trace, import, export, refresh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pal-document.h"
#include "pal-helper-client.h"

G_BEGIN_DECLS

#define PAL_TYPE_TRIGGERED_PAGE (pal_triggered_page_get_type ())
G_DECLARE_FINAL_TYPE (PalTriggeredPage, pal_triggered_page, PAL, TRIGGERED_PAGE, GtkBox)

void        pal_triggered_page_set_helper (PalTriggeredPage *self,
                                           PalHelperClient  *helper);
/* The listed entries (PalTriggeredItem) and their selection. */
/* The document whose expiration interval a ban by hand lasts. */
void        pal_triggered_page_set_document (PalTriggeredPage *self,
                                             PalDocument      *document);
/* The entry the add action (ban by hand) reads. */
GtkEditable *pal_triggered_page_get_address_entry (PalTriggeredPage *self);
/* What the table's place shows: "list", "empty" or "unreachable". */
const char *pal_triggered_page_get_state (PalTriggeredPage *self);
GListModel *pal_triggered_page_get_model (PalTriggeredPage *self);
GtkSelectionModel *pal_triggered_page_get_selection (PalTriggeredPage *self);
/* The text the "left" cell of row shows now (tests). */
char       *pal_triggered_page_dup_left_text (PalTriggeredPage *self,
                                              guint             row);
/* The output shown by the last Who Is or Trace ("" while it runs). */
const char *pal_triggered_page_get_tool_output (PalTriggeredPage *self);

G_END_DECLS
