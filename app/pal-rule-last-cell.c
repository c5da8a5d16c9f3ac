/* pal-rule-last-cell.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-rule-cell.h"
#include "pal-rule-last-cell.h"
#include "pal-rule-text-cell.h"

struct _PalRuleLastCell
{
  GtkWidget  parent_instance;

  GtkStack  *stack;
  GtkWidget *parameter;     /* PalRuleTextCell */
  GtkWidget *live;          /* PalRuleLiveCell */
  PalRule   *rule;          /* not a reference: see bind/unbind */
};

G_DEFINE_FINAL_TYPE (PalRuleLastCell, pal_rule_last_cell, GTK_TYPE_WIDGET)

static void
pal_rule_last_cell_dispose (GObject *object)
{
  PalRuleLastCell *self = PAL_RULE_LAST_CELL (object);

  pal_rule_last_cell_unbind (self);
  g_clear_pointer ((GtkWidget **) &self->stack, gtk_widget_unparent);

  G_OBJECT_CLASS (pal_rule_last_cell_parent_class)->dispose (object);
}

static void
pal_rule_last_cell_class_init (PalRuleLastCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_rule_last_cell_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pal_rule_last_cell_init (PalRuleLastCell *self)
{
  self->parameter = pal_rule_text_cell_new (PAL_RULE_TEXT_PARAMETER);
  self->live = pal_rule_live_cell_new (PAL_LIVE_PACKETS);
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_hhomogeneous (self->stack, FALSE);
  gtk_stack_add_child (self->stack, self->parameter);
  gtk_stack_add_child (self->stack, self->live);
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));
}

GtkWidget *
pal_rule_last_cell_new (void)
{
  return g_object_new (PAL_TYPE_RULE_LAST_CELL, NULL);
}

void
pal_rule_last_cell_bind (PalRuleLastCell *self,
                         PalRule         *rule)
{
  g_return_if_fail (PAL_IS_RULE_LAST_CELL (self));
  g_return_if_fail (PAL_IS_RULE (rule));

  self->rule = rule;
  pal_rule_cell_set_rule (GTK_WIDGET (self), rule);
  pal_rule_text_cell_bind (PAL_RULE_TEXT_CELL (self->parameter), rule);
  pal_rule_live_cell_bind (PAL_RULE_LIVE_CELL (self->live), rule);
}

void
pal_rule_last_cell_unbind (PalRuleLastCell *self)
{
  g_return_if_fail (PAL_IS_RULE_LAST_CELL (self));

  if (self->rule == NULL)
    return;
  pal_rule_text_cell_unbind (PAL_RULE_TEXT_CELL (self->parameter));
  pal_rule_live_cell_unbind (PAL_RULE_LIVE_CELL (self->live));
  pal_rule_cell_set_rule (GTK_WIDGET (self), NULL);
  self->rule = NULL;
}

void
pal_rule_last_cell_set_mode (PalRuleLastCell *self,
                             gboolean         live,
                             PalLiveKind      kind)
{
  g_return_if_fail (PAL_IS_RULE_LAST_CELL (self));

  if (live)
    pal_rule_live_cell_set_kind (PAL_RULE_LIVE_CELL (self->live), kind);
  gtk_stack_set_visible_child (self->stack, live ? self->live : self->parameter);
}

void
pal_rule_last_cell_refresh (PalRuleLastCell *self,
                            PalCounterTable *table,
                            gint64           now)
{
  g_return_if_fail (PAL_IS_RULE_LAST_CELL (self));

  if (gtk_stack_get_visible_child (self->stack) == self->live)
    pal_rule_live_cell_refresh (PAL_RULE_LIVE_CELL (self->live), table, now);
}

GtkWidget *
pal_rule_last_cell_get_visible (PalRuleLastCell *self)
{
  g_return_val_if_fail (PAL_IS_RULE_LAST_CELL (self), NULL);
  return gtk_stack_get_visible_child (self->stack);
}
