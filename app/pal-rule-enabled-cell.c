/* pal-rule-enabled-cell.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-rule-cell.h"
#include "pal-rule-enabled-cell.h"

struct _PalRuleEnabledCell
{
  GtkWidget       parent_instance;

  GtkCheckButton *check;
  PalRule        *rule;        /* not a reference: see bind/unbind */
  gulong          notify_id;
  gboolean        updating;
};

G_DEFINE_FINAL_TYPE (PalRuleEnabledCell, pal_rule_enabled_cell, GTK_TYPE_WIDGET)

static void
sync_from_rule (PalRuleEnabledCell *self)
{
  self->updating = TRUE;
  gtk_check_button_set_active (self->check, pal_rule_get_enabled (self->rule));
  self->updating = FALSE;
}

static void
toggled_cb (PalRuleEnabledCell *self)
{
  gboolean active = gtk_check_button_get_active (self->check);

  if (self->updating || self->rule == NULL)
    return;
  /* The window's command sets the rule, whose notify brings us back in line
   * (also when the command is refused). */
  sync_from_rule (self);
  pal_rule_cell_edit (GTK_WIDGET (self), "enabled", g_variant_new_boolean (active));
}

static void
pal_rule_enabled_cell_dispose (GObject *object)
{
  PalRuleEnabledCell *self = PAL_RULE_ENABLED_CELL (object);

  pal_rule_enabled_cell_unbind (self);
  g_clear_pointer ((GtkWidget **) &self->check, gtk_widget_unparent);

  G_OBJECT_CLASS (pal_rule_enabled_cell_parent_class)->dispose (object);
}

static void
pal_rule_enabled_cell_class_init (PalRuleEnabledCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_rule_enabled_cell_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pal_rule_enabled_cell_init (PalRuleEnabledCell *self)
{
  self->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_halign (GTK_WIDGET (self->check), GTK_ALIGN_CENTER);
  pal_rule_cell_set_static_tooltip (GTK_WIDGET (self->check),
                                    _("Unchecking a rule turns it off with everything below it"));
  gtk_widget_set_parent (GTK_WIDGET (self->check), GTK_WIDGET (self));
  g_signal_connect_swapped (self->check, "toggled", G_CALLBACK (toggled_cb), self);
}

GtkWidget *
pal_rule_enabled_cell_new (void)
{
  return g_object_new (PAL_TYPE_RULE_ENABLED_CELL, NULL);
}

void
pal_rule_enabled_cell_bind (PalRuleEnabledCell *self,
                            PalRule            *rule)
{
  g_return_if_fail (PAL_IS_RULE_ENABLED_CELL (self));
  g_return_if_fail (PAL_IS_RULE (rule));
  g_return_if_fail (self->rule == NULL);

  self->rule = rule;
  pal_rule_cell_set_rule (GTK_WIDGET (self), rule);
  self->notify_id = g_signal_connect_swapped (rule, "notify::enabled",
                                              G_CALLBACK (sync_from_rule), self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check), !pal_rule_get_read_only (rule));
  sync_from_rule (self);
}

void
pal_rule_enabled_cell_unbind (PalRuleEnabledCell *self)
{
  g_return_if_fail (PAL_IS_RULE_ENABLED_CELL (self));

  if (self->rule == NULL)
    return;
  g_clear_signal_handler (&self->notify_id, self->rule);
  pal_rule_cell_set_rule (GTK_WIDGET (self), NULL);
  self->rule = NULL;
}
