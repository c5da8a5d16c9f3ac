/* pal-preferences-window.c
 *
 * Each change is saved at once, so the next Apply follows it. In a session
 * over SSH the switch shows what Apply will do — ask — and cannot be
 * turned off: the preference is for local sessions only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-apply-settings.h"
#include "pal-preferences-window.h"

struct _PalPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwActionRow         *confirm_row;
  GtkWidget            *seconds_row;
  GtkSwitch            *confirm_switch;
  GtkSpinButton        *seconds_spin;
};

G_DEFINE_FINAL_TYPE (PalPreferencesWindow, pal_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
show_save_error (PalPreferencesWindow *self,
                 GError               *error)
{
  g_autofree char *text = g_strdup_printf (_("The preference was not saved: %s"), error->message);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void
on_confirm_changed (PalPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!pal_apply_settings_set_confirm (gtk_switch_get_active (self->confirm_switch), &error))
    show_save_error (self, error);
}

static void
on_seconds_changed (PalPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  guint seconds = (guint) gtk_spin_button_get_value_as_int (self->seconds_spin);

  if (!pal_apply_settings_set_countdown (seconds, &error))
    show_save_error (self, error);
}

/* The rows from the saved preference and the session, before the
 * handlers are connected (loading saves nothing). */
static void
load (PalPreferencesWindow *self)
{
  gboolean remote = pal_apply_settings_is_remote ();

  gtk_spin_button_set_value (self->seconds_spin, pal_apply_settings_get_countdown ());
  gtk_switch_set_active (self->confirm_switch, remote || pal_apply_settings_get_confirm ());
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_switch), !remote);
  adw_action_row_set_subtitle (self->confirm_row,
                               remote
                               ? _("Always on: this session runs over SSH (SSH_CONNECTION is set), where "
                                   "a mistake would cut the connection you would fix it through")
                               : _("Off only counts in local sessions: over SSH Palisade always asks"));
}

static void
pal_preferences_window_class_init (PalPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/palisade/Palisade/pal-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PalPreferencesWindow, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, PalPreferencesWindow, confirm_switch);
  gtk_widget_class_bind_template_child (widget_class, PalPreferencesWindow, seconds_row);
  gtk_widget_class_bind_template_child (widget_class, PalPreferencesWindow, seconds_spin);
}

static void
pal_preferences_window_init (PalPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  load (self);
  g_object_bind_property (self->confirm_switch, "active", self->seconds_row, "sensitive", G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->confirm_switch, "notify::active", G_CALLBACK (on_confirm_changed), self);
  g_signal_connect_swapped (self->seconds_spin, "value-changed", G_CALLBACK (on_seconds_changed), self);
}

PalPreferencesWindow *
pal_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (PAL_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
}
