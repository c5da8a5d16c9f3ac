/* pal-rule-name-cell.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-rule-cell.h"
#include "pal-rule-name-cell.h"

struct _PalRuleNameCell
{
  GtkWidget         parent_instance;

  GtkTreeExpander  *expander;
  PalInlineEntry   *label;
  PalRule          *rule;        /* not a reference: see bind/unbind */
  gulong            name_id;
  gulong            children_id;
};

G_DEFINE_FINAL_TYPE (PalRuleNameCell, pal_rule_name_cell, GTK_TYPE_WIDGET)

static void
sync_name (PalRuleNameCell *self)
{
  /* Undo or another edit changed the name: an edit in progress is void. */
  pal_inline_entry_stop_editing (self->label, FALSE);
  pal_inline_entry_set_text (self->label, pal_rule_get_name (self->rule));
}

/* Every rule offers children to the tree model (so a first child dropped or
 * pasted onto a leaf shows at once); a leaf only hides the triangle. */
static void
sync_leaf (PalRuleNameCell *self)
{
  if (pal_rule_get_n_children (self->rule) == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->expander), "leaf");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->expander), "leaf");
}

static void
commit_cb (PalRuleNameCell *self,
           const char      *text)
{
  if (self->rule == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (g_strcmp0 (text, pal_rule_get_name (self->rule)) != 0)
    pal_rule_cell_edit (GTK_WIDGET (self), "name", g_variant_new_string (text));
}

static void
expander_pressed_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     PalRuleNameCell *self)
{
  GdkModifierType state;
  GtkWidget *picked;
  GtkTreeListRow *row;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  if (!(state & GDK_SHIFT_MASK))
    return;
  picked = gtk_widget_pick (GTK_WIDGET (self->expander), x, y, GTK_PICK_DEFAULT);
  if (picked == NULL || g_strcmp0 (gtk_widget_get_css_name (picked), "expander") != 0)
    return;
  row = gtk_tree_expander_get_list_row (self->expander);
  if (row == NULL)
    return;

  /* Shift+click on a triangle opens the whole subtree, as Option-click did
   * in IPNetSentryX. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  pal_tree_list_row_expand_all (row);
}

static void
pal_rule_name_cell_dispose (GObject *object)
{
  PalRuleNameCell *self = PAL_RULE_NAME_CELL (object);

  pal_rule_name_cell_unbind (self);
  g_clear_pointer ((GtkWidget **) &self->expander, gtk_widget_unparent);

  G_OBJECT_CLASS (pal_rule_name_cell_parent_class)->dispose (object);
}

static void
pal_rule_name_cell_class_init (PalRuleNameCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_rule_name_cell_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pal_rule_name_cell_init (PalRuleNameCell *self)
{
  GtkGesture *gesture;

  self->label = PAL_INLINE_ENTRY (pal_inline_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  pal_rule_cell_set_static_tooltip (GTK_WIDGET (self->label), _("Double-click or press Enter to rename"));
  g_signal_connect_swapped (self->label, "commit", G_CALLBACK (commit_cb), self);

  self->expander = GTK_TREE_EXPANDER (gtk_tree_expander_new ());
  gtk_tree_expander_set_child (self->expander, GTK_WIDGET (self->label));
  gtk_widget_set_parent (GTK_WIDGET (self->expander), GTK_WIDGET (self));

  gesture = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (expander_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->expander), GTK_EVENT_CONTROLLER (gesture));

  pal_rule_cell_edit_on_double_click (GTK_WIDGET (self), self->label);
}

GtkWidget *
pal_rule_name_cell_new (void)
{
  return g_object_new (PAL_TYPE_RULE_NAME_CELL, NULL);
}

void
pal_rule_name_cell_bind (PalRuleNameCell *self,
                         GtkTreeListRow  *row)
{
  PalRule *rule;

  g_return_if_fail (PAL_IS_RULE_NAME_CELL (self));
  g_return_if_fail (GTK_IS_TREE_LIST_ROW (row));
  g_return_if_fail (self->rule == NULL);

  rule = gtk_tree_list_row_get_item (row);
  self->rule = rule;
  g_object_unref (rule);   /* the row holds it while we are bound */

  pal_rule_cell_set_rule (GTK_WIDGET (self), rule);
  gtk_tree_expander_set_list_row (self->expander, row);
  pal_inline_entry_set_editable (self->label, !pal_rule_get_read_only (rule));
  self->name_id = g_signal_connect_swapped (rule, "notify::name", G_CALLBACK (sync_name), self);
  self->children_id = g_signal_connect_swapped (pal_rule_get_children (rule), "items-changed",
                                                G_CALLBACK (sync_leaf), self);
  sync_name (self);
  sync_leaf (self);
}

void
pal_rule_name_cell_unbind (PalRuleNameCell *self)
{
  PalRule *rule = self->rule;

  g_return_if_fail (PAL_IS_RULE_NAME_CELL (self));

  if (rule == NULL)
    return;
  /* An edit cut short by scrolling is dropped, not applied to another row. */
  self->rule = NULL;
  pal_inline_entry_stop_editing (self->label, FALSE);
  g_clear_signal_handler (&self->name_id, rule);
  g_clear_signal_handler (&self->children_id, pal_rule_get_children (rule));
  gtk_tree_expander_set_list_row (self->expander, NULL);
  pal_rule_cell_set_rule (GTK_WIDGET (self), NULL);
}

void
pal_rule_name_cell_start_editing (PalRuleNameCell *self)
{
  g_return_if_fail (PAL_IS_RULE_NAME_CELL (self));

  if (self->rule == NULL || pal_rule_get_read_only (self->rule))
    return;
  pal_inline_entry_start_editing (self->label);
}

gboolean
pal_rule_name_cell_get_editing (PalRuleNameCell *self)
{
  g_return_val_if_fail (PAL_IS_RULE_NAME_CELL (self), FALSE);
  return pal_inline_entry_get_editing (self->label);
}
