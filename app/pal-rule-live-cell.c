/* pal-rule-live-cell.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-rule-cell.h"
#include "pal-rule-live-cell.h"

struct _PalRuleLiveCell
{
  GtkWidget    parent_instance;

  GtkLabel    *label;
  PalLiveKind  kind;
  PalRule     *rule;      /* not a reference: see bind/unbind */
};

G_DEFINE_FINAL_TYPE (PalRuleLiveCell, pal_rule_live_cell, GTK_TYPE_WIDGET)

static void
pal_rule_live_cell_dispose (GObject *object)
{
  PalRuleLiveCell *self = PAL_RULE_LIVE_CELL (object);

  pal_rule_live_cell_unbind (self);
  g_clear_pointer ((GtkWidget **) &self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (pal_rule_live_cell_parent_class)->dispose (object);
}

static void
pal_rule_live_cell_class_init (PalRuleLiveCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_rule_live_cell_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pal_rule_live_cell_init (PalRuleLiveCell *self)
{
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 1.0);
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "numeric");
  gtk_widget_set_margin_start (GTK_WIDGET (self->label), 4);
  gtk_widget_set_margin_end (GTK_WIDGET (self->label), 6);
  gtk_widget_set_parent (GTK_WIDGET (self->label), GTK_WIDGET (self));
}

GtkWidget *
pal_rule_live_cell_new (PalLiveKind kind)
{
  PalRuleLiveCell *self = g_object_new (PAL_TYPE_RULE_LIVE_CELL, NULL);

  pal_rule_live_cell_set_kind (self, kind);
  return GTK_WIDGET (self);
}

void
pal_rule_live_cell_set_kind (PalRuleLiveCell *self,
                             PalLiveKind      kind)
{
  g_return_if_fail (PAL_IS_RULE_LIVE_CELL (self));

  self->kind = kind;
  /* Counts line up on the right, times read from the left. */
  gtk_label_set_xalign (self->label, kind == PAL_LIVE_LAST ? 0.0 : 1.0);
}

void
pal_rule_live_cell_bind (PalRuleLiveCell *self,
                         PalRule         *rule)
{
  g_return_if_fail (PAL_IS_RULE_LIVE_CELL (self));
  g_return_if_fail (PAL_IS_RULE (rule));

  self->rule = rule;
  pal_rule_cell_set_rule (GTK_WIDGET (self), rule);
}

void
pal_rule_live_cell_unbind (PalRuleLiveCell *self)
{
  g_return_if_fail (PAL_IS_RULE_LIVE_CELL (self));

  self->rule = NULL;
  pal_rule_cell_set_rule (GTK_WIDGET (self), NULL);
  gtk_label_set_text (self->label, "");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "counter-changed");
}

static char *
format (PalRuleLiveCell  *self,
        const PalCounter *counter,
        gint64            now)
{
  switch (self->kind)
    {
    case PAL_LIVE_PACKETS:
      return pal_counter_format_packets (counter->packets);
    case PAL_LIVE_BYTES:
      return pal_counter_format_bytes (counter->bytes);
    case PAL_LIVE_LAST:
      return pal_counter_format_last (counter->last_match, now);
    default:
      g_assert_not_reached ();
    }
}

void
pal_rule_live_cell_refresh (PalRuleLiveCell *self,
                            PalCounterTable *table,
                            gint64           now)
{
  const PalCounter *counter;
  g_autofree char *text = NULL;
  gboolean changed;

  g_return_if_fail (PAL_IS_RULE_LIVE_CELL (self));
  g_return_if_fail (PAL_IS_COUNTER_TABLE (table));

  if (self->rule == NULL)
    return;

  /* No counter: the rule is not in the kernel (not applied, or disabled). */
  counter = pal_counter_table_lookup (table, pal_rule_get_id (self->rule));
  if (counter != NULL)
    text = format (self, counter, now);
  gtk_label_set_text (self->label, text != NULL ? text : "");

  changed = counter != NULL && counter->changed_in != 0
            && counter->changed_in == pal_counter_table_get_generation (table);
  if (changed)
    gtk_widget_add_css_class (GTK_WIDGET (self), "counter-changed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "counter-changed");
}

const char *
pal_rule_live_cell_get_text (PalRuleLiveCell *self)
{
  g_return_val_if_fail (PAL_IS_RULE_LIVE_CELL (self), NULL);
  return gtk_label_get_text (self->label);
}
