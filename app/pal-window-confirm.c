/* pal-window-confirm.c — "Keep these firewall settings?" after Apply, and
 * what the window says when the helper rolled a change back.
 *
 * Every Apply asks the helper for a rollback unless confirmed (see
 * pal-apply-settings.h for when it does not); the dialog counts down, Keep
 * calls Confirm(), Revert calls RollBack(), and at zero the helper rolls
 * back by itself. RolledBack reaches every window, whoever applied.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-apply-settings.h"
#include "pal-confirm-dialog.h"
#include "pal-lockout-check.h"
#include "pal-window-private.h"

static void
decided_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PalWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (pal_helper_client_decide_finish (PAL_HELPER_CLIENT (source), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  pal_window_set_status (self, TRUE, _("The firewall settings could not be kept: %s"), error->message);
}

static void
on_decided (PalConfirmDialog   *dialog,
            PalConfirmDecision  decision,
            PalWindow          *self)
{
  self->confirm_dialog = NULL;
  if (self->helper == NULL)
    return;
  switch (decision)
    {
    case PAL_CONFIRM_KEEP:
      pal_window_set_status (self, FALSE, "%s", _("Kept the new firewall settings"));
      pal_helper_client_decide_async (self->helper, TRUE, self->helper_cancellable, decided_cb,
                                      g_object_ref (self));
      break;
    case PAL_CONFIRM_REVERT:
      pal_window_set_status (self, FALSE, "%s", _("Reverting to the previous firewall settings…"));
      pal_helper_client_decide_async (self->helper, FALSE, self->helper_cancellable, decided_cb,
                                      g_object_ref (self));
      break;
    case PAL_CONFIRM_EXPIRED:
    default:
      pal_window_set_status (self, FALSE, "%s", _("Reverting to the previous firewall settings…"));
      break;
    }
}

void
_pal_window_confirm_prepare (PalWindow *self)
{
  if (self->helper != NULL)
    pal_helper_client_set_confirm_timeout (self->helper, pal_apply_settings_get_confirm_seconds ());
}

void
_pal_window_confirm_start (PalWindow *self)
{
  guint seconds = self->helper != NULL ? pal_helper_client_get_confirm_timeout (self->helper) : 0;
  PalConfirmDialog *dialog;

  if (seconds == 0)
    return;
  if (self->confirm_dialog != NULL)
    pal_confirm_dialog_dismiss (self->confirm_dialog);
  dialog = pal_confirm_dialog_new (GTK_WINDOW (self), seconds);
  self->confirm_dialog = dialog;
  g_signal_connect_object (dialog, "decided", G_CALLBACK (on_decided), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_pal_window_confirm_rolled_back (PalWindow  *self,
                                 const char *reason)
{
  g_autofree char *text = g_strdup_printf (_("The previous firewall settings are back: %s"), reason);

  if (self->confirm_dialog != NULL)
    {
      PalConfirmDialog *dialog = g_steal_pointer (&self->confirm_dialog);

      pal_confirm_dialog_dismiss (dialog);
    }
  pal_window_set_status (self, TRUE, "%s", text);
  _pal_window_toast (self, text);
}

void
_pal_window_confirm_dispose (PalWindow *self)
{
  if (self->confirm_dialog != NULL)
    {
      PalConfirmDialog *dialog = g_steal_pointer (&self->confirm_dialog);

      pal_confirm_dialog_dismiss (dialog);
    }
}

/* ---------------------------------------------------------- lockout */

static void
on_lockout_response (AdwMessageDialog *dialog,
                     const char       *response,
                     PalWindow        *self)
{
  gboolean turn_on = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "turn-on"));

  if (g_strcmp0 (response, "apply") == 0)
    _pal_window_helper_start_apply (self, turn_on);
  else
    pal_window_set_status (self, FALSE, "%s", _("Not applied"));
}

static char *
lockout_text (GPtrArray *warnings)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < warnings->len; i++)
    {
      PalLockoutWarning *warning = g_ptr_array_index (warnings, i);

      if (i > 0)
        g_string_append (text, "\n\n");
      g_string_append (text, warning->text);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
_pal_window_confirm_lockout (PalWindow *self,
                             gboolean   turn_on)
{
  const char *ssh = g_getenv ("SSH_CONNECTION");
  g_auto(GStrv) fields = ssh != NULL ? g_strsplit (ssh, " ", -1) : NULL;
  g_autofree char *interface = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  AdwMessageDialog *dialog;

  if (fields != NULL && g_strv_length (fields) == 4)
    interface = pal_lockout_find_interface (fields[2]);
  warnings = pal_lockout_check (self->document, ssh, interface);
  if (warnings->len == 0)
    return FALSE;
  body = lockout_text (warnings);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Apply settings that may cut you off?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "apply", _("_Apply Anyway"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "apply", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "turn-on", GINT_TO_POINTER (turn_on));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_lockout_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  pal_window_set_status (self, TRUE, "%s", ((PalLockoutWarning *) g_ptr_array_index (warnings, 0))->text);
  return TRUE;
}

/* ---------------------------------------------------------- conflict */

static void
on_conflict_response (AdwMessageDialog *dialog,
                      const char       *response,
                      PalWindow        *self)
{
  gboolean turn_on = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "turn-on"));

  if (g_strcmp0 (response, "show-active") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-active", NULL);
  else if (g_strcmp0 (response, "expert-view") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.expert-view", NULL);
  else if (g_strcmp0 (response, "apply") == 0)
    /* The helper read the table again when it refused: this goes through. */
    _pal_window_helper_start_apply (self, turn_on);
}

void
_pal_window_confirm_conflict (PalWindow  *self,
                              const char *message,
                              gboolean    turn_on)
{
  g_autofree char *body = g_strdup_printf (_("%s\n\nApplying anyway replaces what the other program "
                                             "changed with this document."), message);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Another program changed the firewall"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "show-active", _("_Show Active"),
                                    "expert-view", _("_Expert View"),
                                    "apply", _("_Apply Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "apply", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "show-active");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "turn-on", GINT_TO_POINTER (turn_on));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_conflict_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
