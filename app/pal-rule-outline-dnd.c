/* pal-rule-outline-dnd.c — moving rules by drag and drop.
 *
 * The drag carries rule ids; the drop asks the window (win.move-rules), so
 * a move is one undoable command like any other edit. Dropping on the top
 * or bottom quarter of a row puts the rules before or after it; on the
 * middle, inside it as its last children.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-outline-path.h"
#include "pal-rule-cell.h"
#include "pal-rule-outline-private.h"

static GPtrArray *
dragged_rules (PalRuleOutline *self,
               PalRule        *rule)
{
  g_autoptr(GPtrArray) rows = pal_rule_outline_get_selected_rows (self);
  GPtrArray *rules = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkTreeListRow) row = _pal_rule_outline_find_row (self, rule, FALSE);
  gboolean in_selection = FALSE;

  if (row != NULL)
    in_selection = gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection),
                                                    gtk_tree_list_row_get_position (row));
  if (!in_selection)
    {
      g_ptr_array_add (rules, g_object_ref (rule));
      return rules;
    }

  /* The selection's top-most rules: a child moves with its parent. */
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(PalRule) r = gtk_tree_list_row_get_item (g_ptr_array_index (rows, i));
      gboolean covered = FALSE;

      for (guint j = 0; j < rules->len && !covered; j++)
        covered = pal_outline_is_ancestor (g_ptr_array_index (rules, j), r);
      if (!covered)
        g_ptr_array_add (rules, g_steal_pointer (&r));
    }
  return rules;
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource  *source,
                 double          x,
                 double          y,
                 PalRuleOutline *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);
  PalRule *rule = picked != NULL ? pal_rule_cell_find_rule (picked) : NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GPtrArray) ids = NULL;

  if (rule == NULL || pal_rule_get_read_only (rule))
    return NULL;

  /* Rule ids, not objects: the drop re-finds them in the document, so a
   * drag can never move a rule that is no longer there. */
  rules = dragged_rules (self, rule);
  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < rules->len; i++)
    g_ptr_array_add (ids, g_strdup (pal_rule_get_id (g_ptr_array_index (rules, i))));
  g_ptr_array_add (ids, NULL);
  return gdk_content_provider_new_typed (G_TYPE_STRV, (char **) ids->pdata);
}

static GtkWidget *
row_widget_of (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (g_strcmp0 (gtk_widget_get_css_name (widget), "row") == 0)
      return widget;
  return NULL;
}

static void
mark_drop_row (PalRuleOutline *self,
               GtkWidget      *row,
               DropZone        zone)
{
  static const char *classes[] = { NULL, "drop-before", "drop-onto", "drop-after" };

  if (self->drop_row != NULL)
    for (guint i = 1; i < G_N_ELEMENTS (classes); i++)
      gtk_widget_remove_css_class (self->drop_row, classes[i]);
  g_clear_weak_pointer (&self->drop_row);
  if (row == NULL || zone == DROP_NONE)
    return;
  g_set_weak_pointer (&self->drop_row, row);
  gtk_widget_add_css_class (row, classes[zone]);
}

static DropZone
drop_zone_at (PalRuleOutline *self,
              double          x,
              double          y,
              PalRule       **rule_out,
              GtkWidget     **row_out)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);
  GtkWidget *row = row_widget_of (picked);
  graphene_rect_t bounds;
  double fraction;

  *rule_out = picked != NULL ? pal_rule_cell_find_rule (picked) : NULL;
  *row_out = row;
  if (*rule_out == NULL || row == NULL
      || !gtk_widget_compute_bounds (row, GTK_WIDGET (self->column_view), &bounds))
    return DROP_NONE;

  /* Top and bottom quarters insert between rows; the middle makes a child. */
  fraction = (y - bounds.origin.y) / MAX (1.0, bounds.size.height);
  if (fraction < 0.25)
    return DROP_BEFORE;
  if (fraction > 0.75)
    return DROP_AFTER;
  return DROP_ONTO;
}

static GdkDragAction
drop_motion_cb (GtkDropTarget  *target,
                double          x,
                double          y,
                PalRuleOutline *self)
{
  PalRule *rule;
  GtkWidget *row;
  DropZone zone = drop_zone_at (self, x, y, &rule, &row);

  mark_drop_row (self, row, zone);
  return zone == DROP_NONE ? 0 : GDK_ACTION_MOVE;
}

static void
drop_leave_cb (GtkDropTarget  *target,
               PalRuleOutline *self)
{
  mark_drop_row (self, NULL, DROP_NONE);
}

static gboolean
drop_cb (GtkDropTarget  *target,
         const GValue   *value,
         double          x,
         double          y,
         PalRuleOutline *self)
{
  const char * const *ids = g_value_get_boxed (value);
  PalRule *rule, *parent;
  GtkWidget *row;
  DropZone zone = drop_zone_at (self, x, y, &rule, &row);
  g_autoptr(GtkTreeListRow) tree_row = NULL;
  guint position;

  mark_drop_row (self, NULL, DROP_NONE);
  if (zone == DROP_NONE || ids == NULL)
    return FALSE;

  tree_row = _pal_rule_outline_find_row (self, rule, FALSE);
  if (zone == DROP_ONTO)
    {
      parent = rule;
      position = G_MAXUINT;
    }
  else if (zone == DROP_AFTER && tree_row != NULL && gtk_tree_list_row_get_expanded (tree_row)
           && pal_rule_get_n_children (rule) > 0)
    {
      /* Just below an open parent is its first child's place. */
      parent = rule;
      position = 0;
    }
  else
    {
      parent = pal_rule_get_parent (rule);
      position = pal_outline_get_position (self->document, rule) + (zone == DROP_AFTER ? 1 : 0);
    }

  gtk_widget_activate_action (GTK_WIDGET (self), "win.move-rules", "(^assu)",
                              ids, parent != NULL ? pal_rule_get_id (parent) : "", position);
  return TRUE;
}

void
_pal_rule_outline_setup_dnd (PalRuleOutline *self)
{
  GtkDragSource *source = gtk_drag_source_new ();
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRV, GDK_ACTION_MOVE);

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (source));

  g_signal_connect (target, "motion", G_CALLBACK (drop_motion_cb), self);
  g_signal_connect (target, "enter", G_CALLBACK (drop_motion_cb), self);
  g_signal_connect (target, "leave", G_CALLBACK (drop_leave_cb), self);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (target));
}
