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

  /* Each made when its mode is first shown; the other one is hidden. */
  GtkWidget *parameter;     /* PalRuleTextCell */
  GtkWidget *live;          /* PalRuleLiveCell */
  gboolean   live_mode;
  PalRule   *rule;          /* not a reference: see bind/unbind */
};

G_DEFINE_FINAL_TYPE (PalRuleLastCell, pal_rule_last_cell, GTK_TYPE_WIDGET)

static void
pal_rule_last_cell_dispose (GObject *object)
{
  PalRuleLastCell *self = PAL_RULE_LAST_CELL (object);

  pal_rule_last_cell_unbind (self);
  g_clear_pointer (&self->parameter, gtk_widget_unparent);
  g_clear_pointer (&self->live, gtk_widget_unparent);

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
}

/* The cell of the current mode, made (and bound) when first needed. */
static GtkWidget *
current_cell (PalRuleLastCell *self)
{
  GtkWidget **cell = self->live_mode ? &self->live : &self->parameter;

  if (*cell == NULL)
    {
      *cell = self->live_mode ? pal_rule_live_cell_new (PAL_LIVE_PACKETS)
                              : pal_rule_text_cell_new (PAL_RULE_TEXT_PARAMETER);
      gtk_widget_set_parent (*cell, GTK_WIDGET (self));
      if (self->rule != NULL && self->live_mode)
        pal_rule_live_cell_bind (PAL_RULE_LIVE_CELL (*cell), self->rule);
      else if (self->rule != NULL)
        pal_rule_text_cell_bind (PAL_RULE_TEXT_CELL (*cell), self->rule);
    }
  return *cell;
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
  if (self->parameter != NULL)
    pal_rule_text_cell_bind (PAL_RULE_TEXT_CELL (self->parameter), rule);
  if (self->live != NULL)
    pal_rule_live_cell_bind (PAL_RULE_LIVE_CELL (self->live), rule);
  current_cell (self);
}

void
pal_rule_last_cell_unbind (PalRuleLastCell *self)
{
  g_return_if_fail (PAL_IS_RULE_LAST_CELL (self));

  if (self->rule == NULL)
    return;
  if (self->parameter != NULL)
    pal_rule_text_cell_unbind (PAL_RULE_TEXT_CELL (self->parameter));
  if (self->live != NULL)
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

  self->live_mode = !!live;
  if (live)
    pal_rule_live_cell_set_kind (PAL_RULE_LIVE_CELL (current_cell (self)), kind);
  gtk_widget_set_visible (current_cell (self), TRUE);
  if (self->live != NULL)
    gtk_widget_set_visible (self->live, live);
  if (self->parameter != NULL)
    gtk_widget_set_visible (self->parameter, !live);
}

void
pal_rule_last_cell_refresh (PalRuleLastCell *self,
                            PalCounterTable *table,
                            gint64           now)
{
  g_return_if_fail (PAL_IS_RULE_LAST_CELL (self));

  if (self->live_mode && self->live != NULL)
    pal_rule_live_cell_refresh (PAL_RULE_LIVE_CELL (self->live), table, now);
}

GtkWidget *
pal_rule_last_cell_get_visible (PalRuleLastCell *self)
{
  g_return_val_if_fail (PAL_IS_RULE_LAST_CELL (self), NULL);
  return current_cell (self);
}
