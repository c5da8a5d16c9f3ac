/* pal-interfaces-page.h — the Interfaces tab.
 *
 * The machine's interfaces (GetInterfaces, kept current by
 * InterfacesChanged) with their kind, state, MAC and addresses, and the
 * document's Filters, External and Bridge settings for each as check
 * boxes. Every change is an undoable command; ticking a box of an
 * interface the document does not name yet names it (with the defaults:
 * filtered, not external, not bridged). Interfaces the document names but
 * the machine lacks are shown greyed and kept. Without the helper, the
 * document's interfaces alone, with a note saying why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pal-helper-client.h"
#include "pal-undo-stack.h"

G_BEGIN_DECLS

#define PAL_TYPE_INTERFACES_PAGE (pal_interfaces_page_get_type ())
G_DECLARE_FINAL_TYPE (PalInterfacesPage, pal_interfaces_page, PAL, INTERFACES_PAGE, GtkBox)

/* The document to show and edit is the undo stack's. */
void        pal_interfaces_page_set_undo_stack (PalInterfacesPage *self,
                                                PalUndoStack      *undo);
void        pal_interfaces_page_set_helper (PalInterfacesPage *self,
                                            PalHelperClient   *helper);
/* Sets the machine's interfaces, a(susssas) as GetInterfaces gives them. */
void        pal_interfaces_page_set_machine (PalInterfacesPage *self,
                                             GVariant          *interfaces);
/* The names shown, in order: the machine's, then the document's others. */
GStrv       pal_interfaces_page_get_names (PalInterfacesPage *self);
/* Whether name is shown greyed: the document names it, the machine lacks it. */
gboolean    pal_interfaces_page_is_missing (PalInterfacesPage *self,
                                            const char        *name);
/* What a user's tick does: "filter", "external" or "bridge" of name. */
void        pal_interfaces_page_toggle (PalInterfacesPage *self,
                                        const char        *name,
                                        const char        *setting,
                                        gboolean           active);
/* The row's check button for setting ("filter", "external", "bridge"). */
GtkWidget  *pal_interfaces_page_get_check (PalInterfacesPage *self,
                                           const char        *name,
                                           const char        *setting);
/* The note above the list ("" when none). */
const char *pal_interfaces_page_get_note (PalInterfacesPage *self);

G_END_DECLS
