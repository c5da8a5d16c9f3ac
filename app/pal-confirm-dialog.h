/* pal-confirm-dialog.h — "Keep these firewall settings?" after an Apply,
 * with a live countdown to the helper's rollback.
 *
 * Emits "decided" once: PAL_CONFIRM_KEEP (Keep), PAL_CONFIRM_REVERT
 * (Revert, or the dialog closed otherwise) or PAL_CONFIRM_EXPIRED (the
 * countdown reached zero: the helper rolls back by itself). The dialog
 * closes itself after deciding.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  PAL_CONFIRM_KEEP,
  PAL_CONFIRM_REVERT,
  PAL_CONFIRM_EXPIRED,
} PalConfirmDecision;

#define PAL_TYPE_CONFIRM_DIALOG (pal_confirm_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PalConfirmDialog, pal_confirm_dialog, PAL, CONFIRM_DIALOG, AdwMessageDialog)

PalConfirmDialog *pal_confirm_dialog_new (GtkWindow *parent,
                                          guint      seconds);
/* Seconds left on the countdown. */
guint             pal_confirm_dialog_get_remaining (PalConfirmDialog *self);
/* Closes without a decision of its own (the helper already rolled back). */
void              pal_confirm_dialog_dismiss (PalConfirmDialog *self);

G_END_DECLS
