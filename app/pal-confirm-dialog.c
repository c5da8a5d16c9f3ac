/* pal-confirm-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-confirm-dialog.h"

struct _PalConfirmDialog
{
  AdwMessageDialog  parent_instance;

  guint             remaining;
  guint             tick;
  gboolean          decided;
};

G_DEFINE_FINAL_TYPE (PalConfirmDialog, pal_confirm_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  DECIDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_body (PalConfirmDialog *self)
{
  g_autofree char *body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                        "Reverting in %u s. If the network stopped working, "
                                                        "do nothing: the previous settings come back by themselves.",
                                                        "Reverting in %u s. If the network stopped working, "
                                                        "do nothing: the previous settings come back by themselves.",
                                                        self->remaining),
                                           self->remaining);

  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
}

/* Closing twice is harmless: gtk_window_close() returns at once on a
 * window that is no longer realized (a button's response closes it too). */
static void
decide (PalConfirmDialog   *self,
        PalConfirmDecision  decision)
{
  if (self->decided)
    return;
  self->decided = TRUE;
  g_clear_handle_id (&self->tick, g_source_remove);
  g_signal_emit (self, signals[DECIDED], 0, decision);
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
on_tick (gpointer user_data)
{
  PalConfirmDialog *self = user_data;

  if (self->remaining > 0)
    self->remaining--;
  update_body (self);
  if (self->remaining > 0)
    return G_SOURCE_CONTINUE;
  self->tick = 0;
  decide (self, PAL_CONFIRM_EXPIRED);
  return G_SOURCE_REMOVE;
}

static void
on_response (PalConfirmDialog *self,
             const char       *response)
{
  decide (self, g_strcmp0 (response, "keep") == 0 ? PAL_CONFIRM_KEEP : PAL_CONFIRM_REVERT);
}

static void
pal_confirm_dialog_dispose (GObject *object)
{
  PalConfirmDialog *self = PAL_CONFIRM_DIALOG (object);

  g_clear_handle_id (&self->tick, g_source_remove);

  G_OBJECT_CLASS (pal_confirm_dialog_parent_class)->dispose (object);
}

static void
pal_confirm_dialog_class_init (PalConfirmDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pal_confirm_dialog_dispose;

  signals[DECIDED] =
    g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
pal_confirm_dialog_init (PalConfirmDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  adw_message_dialog_set_heading (dialog, _("Keep these firewall settings?"));
  adw_message_dialog_add_responses (dialog, "revert", _("_Revert"), "keep", _("_Keep"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "keep", ADW_RESPONSE_SUGGESTED);
  /* Enter must not keep a change that may have cut the network. */
  adw_message_dialog_set_default_response (dialog, "revert");
  adw_message_dialog_set_close_response (dialog, "revert");
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}

PalConfirmDialog *
pal_confirm_dialog_new (GtkWindow *parent,
                        guint      seconds)
{
  PalConfirmDialog *self;

  g_return_val_if_fail (seconds > 0, NULL);

  self = g_object_new (PAL_TYPE_CONFIRM_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->remaining = seconds;
  update_body (self);
  /* Not g_timeout_add_seconds(): its first tick may come late. */
  self->tick = g_timeout_add (1000, on_tick, self);
  return self;
}

guint
pal_confirm_dialog_get_remaining (PalConfirmDialog *self)
{
  g_return_val_if_fail (PAL_IS_CONFIRM_DIALOG (self), 0);
  return self->remaining;
}

void
pal_confirm_dialog_dismiss (PalConfirmDialog *self)
{
  g_return_if_fail (PAL_IS_CONFIRM_DIALOG (self));

  if (self->decided)
    return;
  self->decided = TRUE;
  g_clear_handle_id (&self->tick, g_source_remove);
  gtk_window_close (GTK_WINDOW (self));
}
