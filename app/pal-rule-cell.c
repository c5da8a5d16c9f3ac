/* pal-rule-cell.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-rule-cell.h"

static GQuark
rule_quark (void)
{
  return g_quark_from_static_string ("pal-rule-cell-rule");
}

void
pal_rule_cell_set_rule (GtkWidget *cell,
                        PalRule   *rule)
{
  g_return_if_fail (GTK_IS_WIDGET (cell));
  g_return_if_fail (rule == NULL || PAL_IS_RULE (rule));

  g_object_set_qdata (G_OBJECT (cell), rule_quark (), rule);
}

PalRule *
pal_rule_cell_get_rule (GtkWidget *cell)
{
  g_return_val_if_fail (GTK_IS_WIDGET (cell), NULL);
  return g_object_get_qdata (G_OBJECT (cell), rule_quark ());
}

PalRule *
pal_rule_cell_find_rule (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      PalRule *rule = pal_rule_cell_get_rule (widget);

      if (rule != NULL)
        return rule;
      /* A column view cell whose own child is a rule cell: the pointer is on
       * the cell's padding. */
      if (g_strcmp0 (gtk_widget_get_css_name (widget), "cell") == 0
          && gtk_widget_get_first_child (widget) != NULL)
        return pal_rule_cell_get_rule (gtk_widget_get_first_child (widget));
    }
  return NULL;
}

void
pal_rule_cell_edit (GtkWidget  *cell,
                    const char *field,
                    GVariant   *value)
{
  PalRule *rule = pal_rule_cell_get_rule (cell);
  g_autoptr(GVariant) sunk = g_variant_ref_sink (value);

  if (rule == NULL)
    return;
  gtk_widget_activate_action (cell, "win.set-field", "(ssv)",
                              pal_rule_get_id (rule), field, sunk);
}

static void
double_click_pressed_cb (GtkGestureClick *gesture,
                         int              n_press,
                         double           x,
                         double           y,
                         PalInlineEntry  *entry)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked;

  if (n_press != 2 || !pal_inline_entry_get_editable (entry) || pal_inline_entry_get_editing (entry))
    return;
  /* A quick second click on a triangle is not a rename. */
  picked = gtk_widget_pick (cell, x, y, GTK_PICK_DEFAULT);
  if (picked != NULL && g_strcmp0 (gtk_widget_get_css_name (picked), "expander") == 0)
    return;

  /* Claimed, so the row does not also treat it as activation. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  pal_inline_entry_start_editing (entry);
}

void
pal_rule_cell_edit_on_double_click (GtkWidget      *cell,
                                    PalInlineEntry *entry)
{
  GtkGesture *gesture;

  g_return_if_fail (GTK_IS_WIDGET (cell));
  g_return_if_fail (PAL_IS_INLINE_ENTRY (entry));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (double_click_pressed_cb), entry);
  gtk_widget_add_controller (cell, GTK_EVENT_CONTROLLER (gesture));
}

void
pal_tree_list_row_expand_all (GtkTreeListRow *row)
{
  GListModel *children;
  guint n;

  g_return_if_fail (GTK_IS_TREE_LIST_ROW (row));

  gtk_tree_list_row_set_expanded (row, TRUE);
  children = gtk_tree_list_row_get_children (row);
  n = children != NULL ? g_list_model_get_n_items (children) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) child = gtk_tree_list_row_get_child_row (row, i);

      if (child != NULL)
        pal_tree_list_row_expand_all (child);
    }
}


static gboolean
static_tooltip_cb (GtkWidget  *widget,
                   int         x,
                   int         y,
                   gboolean    keyboard,
                   GtkTooltip *tooltip,
                   gpointer    text)
{
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
pal_rule_cell_set_static_tooltip (GtkWidget  *widget,
                                  const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* text must outlive the widget: a translated literal does. */
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (static_tooltip_cb), (gpointer) text);
}
