/* pal-window-helper.c — what the window asks of palisade-helper: Apply,
 * Show Active, Expert View, the master switch and the live counters.
 *
 * The helper's D-Bus side is not part of this build yet, so these controls
 * are present but insensitive, and say why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-window-private.h"

static void
unavailable_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  pal_window_set_status (PAL_WINDOW (widget), TRUE, "%s",
                         _("The Palisade helper is not available in this build"));
}

void
_pal_window_class_helper_init (PalWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.apply", NULL, unavailable_action);
  gtk_widget_class_install_action (widget_class, "win.show-active", NULL, unavailable_action);
  gtk_widget_class_install_action (widget_class, "win.expert-view", NULL, unavailable_action);
}

void
_pal_window_helper_init (PalWindow *self)
{
  const char *why = _("Needs the Palisade helper, which is not part of this build yet");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.apply", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-active", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.expert-view", FALSE);
  gtk_widget_set_tooltip_text (self->apply_button, why);
  gtk_widget_set_tooltip_text (self->show_active_button, why);
  gtk_widget_set_sensitive (GTK_WIDGET (self->firewall_switch), FALSE);
  gtk_widget_set_tooltip_text (self->firewall_box, why);
}
