/* pal-rule-outline.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-outline-path.h"
#include "pal-rule-cell.h"
#include "pal-rule-choice-cell.h"
#include "pal-rule-enabled-cell.h"
#include "pal-rule-last-cell.h"
#include "pal-rule-name-cell.h"
#include "pal-rule-outline-private.h"
#include "pal-rule-text-cell.h"

G_DEFINE_FINAL_TYPE (PalRuleOutline, pal_rule_outline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LAST_COLUMN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *last_column_kinds[] = {
  PAL_LAST_COLUMN_PARAMETER,
  PAL_LAST_COLUMN_PACKETS,
  PAL_LAST_COLUMN_BYTES,
  PAL_LAST_COLUMN_LAST,
};

/* ------------------------------------------------------------------ cells */

static GtkWidget *
create_cell (Column column)
{
  switch (column)
    {
    case COL_ENABLED:
      return pal_rule_enabled_cell_new ();
    case COL_NAME:
      return pal_rule_name_cell_new ();
    case COL_PROPERTY:
      return pal_rule_choice_cell_new (PAL_RULE_CHOICE_PROPERTY);
    case COL_RELATION:
      return pal_rule_choice_cell_new (PAL_RULE_CHOICE_RELATION);
    case COL_VALUE:
      return pal_rule_text_cell_new (PAL_RULE_TEXT_VALUE);
    case COL_ACTION:
      return pal_rule_choice_cell_new (PAL_RULE_CHOICE_ACTION);
    case COL_LAST:
      return pal_rule_last_cell_new ();
    default:
      g_assert_not_reached ();
    }
}

static void
bind_cell (GtkWidget      *cell,
           Column          column,
           GtkTreeListRow *row,
           PalRule        *rule)
{
  switch (column)
    {
    case COL_ENABLED:
      pal_rule_enabled_cell_bind (PAL_RULE_ENABLED_CELL (cell), rule);
      break;
    case COL_NAME:
      pal_rule_name_cell_bind (PAL_RULE_NAME_CELL (cell), row);
      break;
    case COL_PROPERTY:
    case COL_RELATION:
    case COL_ACTION:
      pal_rule_choice_cell_bind (PAL_RULE_CHOICE_CELL (cell), rule);
      break;
    case COL_VALUE:
      pal_rule_text_cell_bind (PAL_RULE_TEXT_CELL (cell), rule);
      break;
    case COL_LAST:
      pal_rule_last_cell_bind (PAL_RULE_LAST_CELL (cell), rule);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
unbind_cell (GtkWidget *cell,
             Column     column)
{
  switch (column)
    {
    case COL_ENABLED:
      pal_rule_enabled_cell_unbind (PAL_RULE_ENABLED_CELL (cell));
      break;
    case COL_NAME:
      pal_rule_name_cell_unbind (PAL_RULE_NAME_CELL (cell));
      break;
    case COL_PROPERTY:
    case COL_RELATION:
    case COL_ACTION:
      pal_rule_choice_cell_unbind (PAL_RULE_CHOICE_CELL (cell));
      break;
    case COL_VALUE:
      pal_rule_text_cell_unbind (PAL_RULE_TEXT_CELL (cell));
      break;
    case COL_LAST:
      pal_rule_last_cell_unbind (PAL_RULE_LAST_CELL (cell));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
update_cell_state (GtkWidget *cell)
{
  PalRule *rule = pal_rule_cell_get_rule (cell);

  /* Unchecking a parent turns its whole subtree off: show it. */
  if (rule != NULL && !pal_rule_get_effective_enabled (rule))
    gtk_widget_add_css_class (cell, "inactive");
  else
    gtk_widget_remove_css_class (cell, "inactive");
}

/* The last column's mode from the last-column kind. */
static gboolean
last_column_mode (PalRuleOutline *self,
                  PalLiveKind    *kind)
{
  if (g_strcmp0 (self->last_column_kind, PAL_LAST_COLUMN_PACKETS) == 0)
    *kind = PAL_LIVE_PACKETS;
  else if (g_strcmp0 (self->last_column_kind, PAL_LAST_COLUMN_BYTES) == 0)
    *kind = PAL_LIVE_BYTES;
  else if (g_strcmp0 (self->last_column_kind, PAL_LAST_COLUMN_LAST) == 0)
    *kind = PAL_LIVE_LAST;
  else
    return FALSE;
  return TRUE;
}

static void
refresh_last_cell (PalRuleOutline *self,
                   GtkWidget      *cell,
                   gint64          now)
{
  PalLiveKind kind = PAL_LIVE_PACKETS;
  gboolean live = last_column_mode (self, &kind);

  pal_rule_last_cell_set_mode (PAL_RULE_LAST_CELL (cell), live, kind);
  if (live && self->counters != NULL)
    pal_rule_last_cell_refresh (PAL_RULE_LAST_CELL (cell), self->counters, now);
}

static gboolean
is_live (Column column)
{
  return column == COL_LAST;
}

/* Keyboard users reach a cell with Tab: select its row, so the editing
 * actions (which work on the selection) act on the row being edited. */
static void
cell_focus_enter_cb (GtkEventControllerFocus *controller,
                     GtkListItem             *item)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  PalRuleOutline *self = PAL_RULE_OUTLINE (gtk_widget_get_ancestor (cell, PAL_TYPE_RULE_OUTLINE));
  guint position = gtk_list_item_get_position (item);
  GtkRoot *root = gtk_widget_get_root (cell);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (self == NULL || position == GTK_INVALID_LIST_POSITION)
    return;
  /* Focus that went into a cell's own popover is not a row change. */
  if (focus != NULL && gtk_widget_get_native (focus) != gtk_widget_get_native (cell))
    return;
  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
}

static GType
cell_type (Column column)
{
  switch (column)
    {
    case COL_ENABLED:
      return PAL_TYPE_RULE_ENABLED_CELL;
    case COL_NAME:
      return PAL_TYPE_RULE_NAME_CELL;
    case COL_PROPERTY:
    case COL_RELATION:
    case COL_ACTION:
      return PAL_TYPE_RULE_CHOICE_CELL;
    case COL_VALUE:
      return PAL_TYPE_RULE_TEXT_CELL;
    case COL_LAST:
      return PAL_TYPE_RULE_LAST_CELL;
    default:
      g_assert_not_reached ();
    }
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *cell = create_cell (column);
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "enter", G_CALLBACK (cell_focus_enter_cb), item);
  gtk_widget_add_controller (cell, focus);
  gtk_list_item_set_child (item, cell);
}

static PalRuleOutline *
factory_get_outline (GtkListItemFactory *factory)
{
  return g_object_get_data (G_OBJECT (factory), "pal-outline");
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  PalRuleOutline *self = factory_get_outline (GTK_LIST_ITEM_FACTORY (factory));
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *cell = gtk_list_item_get_child (item);
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  g_autoptr(PalRule) rule = gtk_tree_list_row_get_item (row);

  if (cell == NULL || !g_type_is_a (G_OBJECT_TYPE (cell), cell_type (column)))
    {
      factory_setup_cb (factory, item, user_data);
      cell = gtk_list_item_get_child (item);
    }
  bind_cell (cell, column, row, rule);
  g_hash_table_insert (self->cells, cell, GINT_TO_POINTER (column));
  update_cell_state (cell);
  if (is_live (column))
    refresh_last_cell (self, cell, g_get_monotonic_time ());
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  PalRuleOutline *self = factory_get_outline (GTK_LIST_ITEM_FACTORY (factory));
  GtkWidget *cell = gtk_list_item_get_child (item);
  gpointer column;

  /* Unbind as the cell was bound, whichever factory asks. */
  if (cell == NULL || !g_hash_table_lookup_extended (self->cells, cell, NULL, &column))
    return;
  g_hash_table_remove (self->cells, cell);
  unbind_cell (cell, GPOINTER_TO_INT (column));
}

static void
factory_teardown_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  /* GTK 4.8 tears cells down without unbinding them when a column's
   * factory is swapped (the last column): unbind here, and leave no cell
   * behind for the next factory. */
  factory_unbind_cb (factory, item, user_data);
  gtk_list_item_set_child (item, NULL);
}

static GtkListItemFactory *
create_factory (PalRuleOutline *self,
                Column          column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  /* Not a reference: the outline owns the factory. */
  g_object_set_data (G_OBJECT (factory), "pal-outline", self);
  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "teardown", G_CALLBACK (factory_teardown_cb), GINT_TO_POINTER (column));
  return factory;
}

/* ---------------------------------------------------------------- model */

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  /* Every rule offers its (maybe empty) children, so that a first child
   * appears at once when one is added; leaves just hide the triangle. */
  return g_object_ref (pal_rule_get_children (PAL_RULE (item)));
}

void
pal_rule_outline_set_document (PalRuleOutline *self,
                               PalDocument    *document)
{
  GListModel *rules;

  g_return_if_fail (PAL_IS_RULE_OUTLINE (self));
  g_return_if_fail (PAL_IS_DOCUMENT (document));

  if (!g_set_object (&self->document, document))
    return;

  rules = g_object_ref (pal_document_get_rules (document));
  g_clear_object (&self->tree);
  self->tree = gtk_tree_list_model_new (rules, FALSE, FALSE, create_children_cb, NULL, NULL);
  g_clear_object (&self->selection);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->tree)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
}

/* -------------------------------------------------------------- counters */

static void
counters_updated_cb (PalRuleOutline *self)
{
  GHashTableIter iter;
  gpointer cell, column;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, self->cells);
  while (g_hash_table_iter_next (&iter, &cell, &column))
    if (is_live (GPOINTER_TO_INT (column)))
      refresh_last_cell (self, cell, now);
}

void
pal_rule_outline_set_counters (PalRuleOutline  *self,
                               PalCounterTable *counters)
{
  g_return_if_fail (PAL_IS_RULE_OUTLINE (self));
  g_return_if_fail (counters == NULL || PAL_IS_COUNTER_TABLE (counters));

  if (self->counters != NULL)
    g_clear_signal_handler (&self->counters_id, self->counters);
  g_set_object (&self->counters, counters);
  if (counters != NULL)
    self->counters_id = g_signal_connect_swapped (counters, "updated",
                                                  G_CALLBACK (counters_updated_cb), self);
  counters_updated_cb (self);
}

/* ----------------------------------------------------------- last column */

const char *
pal_rule_outline_get_last_column_title (const char *last_column)
{
  if (g_strcmp0 (last_column, PAL_LAST_COLUMN_PACKETS) == 0)
    return _("Match Count");
  if (g_strcmp0 (last_column, PAL_LAST_COLUMN_BYTES) == 0)
    return _("Byte Count");
  if (g_strcmp0 (last_column, PAL_LAST_COLUMN_LAST) == 0)
    return _("Last Time");
  return _("Parameter");
}

const char *
pal_rule_outline_get_last_column (PalRuleOutline *self)
{
  g_return_val_if_fail (PAL_IS_RULE_OUTLINE (self), NULL);
  return self->last_column_kind;
}

void
pal_rule_outline_set_last_column (PalRuleOutline *self,
                                  const char     *last_column)
{
  int index = -1;

  g_return_if_fail (PAL_IS_RULE_OUTLINE (self));

  for (guint i = 0; i < G_N_ELEMENTS (last_column_kinds); i++)
    if (g_strcmp0 (last_column, last_column_kinds[i]) == 0)
      index = i;
  g_return_if_fail (index >= 0);

  if (g_strcmp0 (self->last_column_kind, last_column) == 0)
    return;
  g_free (self->last_column_kind);
  self->last_column_kind = g_strdup (last_column);

  /* The bound cells switch in place: the model, selection, expansion,
   * scroll position and the other columns stay as they are. */
  counters_updated_cb (self);
  gtk_column_view_column_set_title (self->last_column,
                                    pal_rule_outline_get_last_column_title (last_column));
  gtk_menu_button_set_label (self->last_column_button,
                             pal_rule_outline_get_last_column_title (last_column));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_COLUMN]);
}

/* ------------------------------------------------------------- selection */

GtkSelectionModel *
pal_rule_outline_get_selection (PalRuleOutline *self)
{
  g_return_val_if_fail (PAL_IS_RULE_OUTLINE (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

GPtrArray *
pal_rule_outline_get_selected_rows (PalRuleOutline *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  guint position;

  g_return_val_if_fail (PAL_IS_RULE_OUTLINE (self), rows);

  if (self->selection == NULL)
    return rows;
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok; ok = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (rows, g_list_model_get_item (G_LIST_MODEL (self->tree), position));
  return rows;
}

/* Finds (and with expand, reveals) the row of rule: the path from the top
 * level down, one child index per level. */
GtkTreeListRow *
_pal_rule_outline_find_row (PalRuleOutline *self,
          PalRule        *rule,
          gboolean        expand)
{
  g_autoptr(GPtrArray) path = g_ptr_array_new ();
  GtkTreeListRow *row = NULL;

  for (PalRule *r = rule; r != NULL; r = pal_rule_get_parent (r))
    g_ptr_array_insert (path, 0, r);

  for (guint i = 0; i < path->len; i++)
    {
      PalRule *step = g_ptr_array_index (path, i);
      GtkTreeListRow *next;
      guint position;

      if (!pal_outline_lookup_position (self->document, step, &position))
        {
          g_clear_object (&row);
          return NULL;
        }
      if (row == NULL)
        next = gtk_tree_list_model_get_child_row (self->tree, position);
      else
        {
          if (expand)
            gtk_tree_list_row_set_expanded (row, TRUE);
          next = gtk_tree_list_row_get_child_row (row, position);
          g_object_unref (row);
        }
      row = next;
      if (row == NULL)
        return NULL;
    }
  return row;
}

GtkTreeListRow *
pal_rule_outline_get_row (PalRuleOutline *self,
                          PalRule        *rule)
{
  g_return_val_if_fail (PAL_IS_RULE_OUTLINE (self), NULL);
  g_return_val_if_fail (PAL_IS_RULE (rule), NULL);

  if (self->tree == NULL)
    return NULL;
  return _pal_rule_outline_find_row (self, rule, FALSE);
}

static GtkWidget *
get_list_view (PalRuleOutline *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

static void
scroll_to (PalRuleOutline *self,
           guint           position)
{
  GtkWidget *list_view = get_list_view (self);

  /* GTK 4.8 has no gtk_column_view_scroll_to(); its list view's own action
   * scrolls and moves the keyboard focus there. */
  if (list_view != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);
}

void
pal_rule_outline_select_rules (PalRuleOutline *self,
                               GPtrArray      *rules)
{
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = NULL;
  guint first = GTK_INVALID_LIST_POSITION;

  g_return_if_fail (PAL_IS_RULE_OUTLINE (self));
  g_return_if_fail (rules != NULL);

  for (guint i = 0; i < rules->len; i++)
    {
      g_autoptr(GtkTreeListRow) row = _pal_rule_outline_find_row (self, g_ptr_array_index (rules, i), TRUE);
      guint position;

      if (row == NULL)
        continue;
      position = gtk_tree_list_row_get_position (row);
      gtk_bitset_add (selected, position);
      first = MIN (first, position);
    }

  mask = gtk_bitset_new_range (0, g_list_model_get_n_items (G_LIST_MODEL (self->tree)));
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), selected, mask);
  if (first != GTK_INVALID_LIST_POSITION)
    scroll_to (self, first);
}

void
pal_rule_outline_expand (PalRuleOutline *self,
                         PalRule        *rule,
                         gboolean        recursive)
{
  g_autoptr(GtkTreeListRow) row = NULL;

  g_return_if_fail (PAL_IS_RULE_OUTLINE (self));
  g_return_if_fail (PAL_IS_RULE (rule));

  row = _pal_rule_outline_find_row (self, rule, TRUE);
  if (row == NULL)
    return;
  if (recursive)
    pal_tree_list_row_expand_all (row);
  else
    gtk_tree_list_row_set_expanded (row, TRUE);
}

GtkWidget *
pal_rule_outline_get_cell (PalRuleOutline *self,
                           PalRule        *rule,
                           const char     *column)
{
  GHashTableIter iter;
  gpointer cell, kind;

  g_return_val_if_fail (PAL_IS_RULE_OUTLINE (self), NULL);

  g_hash_table_iter_init (&iter, self->cells);
  while (g_hash_table_iter_next (&iter, &cell, &kind))
    {
      static const char *names[N_COLUMNS] = {
        "enabled", "name", "property", "relation", "value", "action", "last"
      };
      Column c = GPOINTER_TO_INT (kind);

      if (pal_rule_cell_get_rule (cell) != rule || g_strcmp0 (names[c], column) != 0)
        continue;
      /* The last column's cell answers with what it shows. */
      return c == COL_LAST ? pal_rule_last_cell_get_visible (cell) : cell;
    }
  return NULL;
}

void
pal_rule_outline_rename (PalRuleOutline *self,
                         PalRule        *rule)
{
  GtkWidget *cell;

  g_return_if_fail (PAL_IS_RULE_OUTLINE (self));
  g_return_if_fail (PAL_IS_RULE (rule));

  cell = pal_rule_outline_get_cell (self, rule, "name");
  if (cell != NULL)
    pal_rule_name_cell_start_editing (PAL_RULE_NAME_CELL (cell));
}

void
pal_rule_outline_refresh_state (PalRuleOutline *self)
{
  GHashTableIter iter;
  gpointer cell;

  g_return_if_fail (PAL_IS_RULE_OUTLINE (self));

  g_hash_table_iter_init (&iter, self->cells);
  while (g_hash_table_iter_next (&iter, &cell, NULL))
    update_cell_state (cell);
}

guint
pal_rule_outline_get_n_bound_cells (PalRuleOutline *self)
{
  g_return_val_if_fail (PAL_IS_RULE_OUTLINE (self), 0);
  return g_hash_table_size (self->cells);
}

/* ------------------------------------------------------------ popovers */

static gboolean
drop_cell_popover_idle (gpointer data)
{
  g_autoptr(GtkPopover) popover = data;

  if (gtk_widget_get_parent (GTK_WIDGET (popover)) != NULL)
    gtk_widget_unparent (GTK_WIDGET (popover));
  return G_SOURCE_REMOVE;
}

static void
cell_popover_closed_cb (GtkPopover     *popover,
                        PalRuleOutline *self)
{
  if (self->cell_popover == popover)
    self->cell_popover = NULL;
  /* After "closed" has finished, not from inside it. */
  g_idle_add (drop_cell_popover_idle, g_object_ref (popover));
}

void
pal_rule_outline_show_popover (PalRuleOutline *self,
                               GtkPopover     *popover,
                               GtkWidget      *cell)
{
  graphene_rect_t bounds;
  GdkRectangle rect;

  g_return_if_fail (PAL_IS_RULE_OUTLINE (self));
  g_return_if_fail (GTK_IS_POPOVER (popover));
  g_return_if_fail (GTK_IS_WIDGET (cell));

  if (self->cell_popover != NULL)
    gtk_popover_popdown (self->cell_popover);
  if (!gtk_widget_compute_bounds (cell, GTK_WIDGET (self), &bounds))
    return;
  rect = (GdkRectangle) { bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height };

  self->cell_popover = popover;
  gtk_widget_set_parent (GTK_WIDGET (popover), GTK_WIDGET (self));
  gtk_popover_set_pointing_to (popover, &rect);
  g_signal_connect (popover, "closed", G_CALLBACK (cell_popover_closed_cb), self);
  gtk_popover_popup (popover);
}

/* --------------------------------------------------------- context menu */

static void
popup_menu_at (PalRuleOutline *self,
               double          x,
               double          y)
{
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  gtk_popover_set_pointing_to (self->context_menu, &rect);
  gtk_popover_popup (self->context_menu);
}

static void
secondary_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      PalRuleOutline  *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);
  PalRule *rule = picked != NULL ? pal_rule_cell_find_rule (picked) : NULL;
  g_autoptr(GtkTreeListRow) row = NULL;
  double ox = x, oy = y;

  /* Right-click on an unselected row acts on that row, as in every outline. */
  if (rule != NULL && (row = _pal_rule_outline_find_row (self, rule, FALSE)) != NULL)
    {
      guint position = gtk_tree_list_row_get_position (row);

      if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_translate_coordinates (GTK_WIDGET (self->column_view), GTK_WIDGET (self),
                                    x, y, &ox, &oy);
  popup_menu_at (self, ox, oy);
}

static void
menu_key_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PalRuleOutline *self = PAL_RULE_OUTLINE (widget);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  graphene_rect_t bounds;

  if (focus != NULL && gtk_widget_is_ancestor (focus, widget)
      && gtk_widget_compute_bounds (focus, widget, &bounds))
    popup_menu_at (self, bounds.origin.x + 8, bounds.origin.y + bounds.size.height);
  else
    popup_menu_at (self, 16, 16);
}

/* ------------------------------------------------------------- GObject */

static void
activate_cb (PalRuleOutline *self,
             guint           position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);
  g_autoptr(PalRule) rule = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;

  /* Enter (or a double click) on a row renames it. */
  if (rule != NULL)
    pal_rule_outline_rename (self, rule);
}

static void
pal_rule_outline_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  PalRuleOutline *self = PAL_RULE_OUTLINE (widget);

  gtk_widget_measure (self->box, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
pal_rule_outline_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  PalRuleOutline *self = PAL_RULE_OUTLINE (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
  gtk_popover_present (self->context_menu);
  if (self->cell_popover != NULL)
    gtk_popover_present (self->cell_popover);
}

static void
pal_rule_outline_dispose (GObject *object)
{
  PalRuleOutline *self = PAL_RULE_OUTLINE (object);

  if (self->counters != NULL)
    g_clear_signal_handler (&self->counters_id, self->counters);
  g_clear_weak_pointer (&self->drop_row);
  g_clear_pointer ((GtkWidget **) &self->context_menu, gtk_widget_unparent);
  if (self->cell_popover != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->cell_popover, cell_popover_closed_cb, self);
      g_clear_pointer ((GtkWidget **) &self->cell_popover, gtk_widget_unparent);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), PAL_TYPE_RULE_OUTLINE);

  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  g_clear_object (&self->document);
  g_clear_object (&self->counters);
  for (guint i = 0; i < N_COLUMNS; i++)
    g_clear_object (&self->factories[i]);

  G_OBJECT_CLASS (pal_rule_outline_parent_class)->dispose (object);
}

static void
pal_rule_outline_finalize (GObject *object)
{
  PalRuleOutline *self = PAL_RULE_OUTLINE (object);

  g_clear_pointer (&self->cells, g_hash_table_unref);
  g_clear_pointer (&self->last_column_kind, g_free);

  G_OBJECT_CLASS (pal_rule_outline_parent_class)->finalize (object);
}

static void
pal_rule_outline_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PalRuleOutline *self = PAL_RULE_OUTLINE (object);

  switch (prop_id)
    {
    case PROP_LAST_COLUMN:
      g_value_set_string (value, self->last_column_kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pal_rule_outline_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PalRuleOutline *self = PAL_RULE_OUTLINE (object);

  switch (prop_id)
    {
    case PROP_LAST_COLUMN:
      pal_rule_outline_set_last_column (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pal_rule_outline_class_init (PalRuleOutlineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_rule_outline_dispose;
  object_class->finalize = pal_rule_outline_finalize;
  object_class->get_property = pal_rule_outline_get_property;
  object_class->set_property = pal_rule_outline_set_property;
  widget_class->measure = pal_rule_outline_measure;
  widget_class->size_allocate = pal_rule_outline_size_allocate;

  properties[PROP_LAST_COLUMN] =
    g_param_spec_string ("last-column", NULL, NULL, PAL_LAST_COLUMN_PARAMETER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/palisade/Palisade/pal-rule-outline.ui");
  gtk_widget_class_bind_template_child (widget_class, PalRuleOutline, box);
  gtk_widget_class_bind_template_child (widget_class, PalRuleOutline, last_column_button);
  gtk_widget_class_bind_template_child (widget_class, PalRuleOutline, scroller);
  gtk_widget_class_bind_template_child (widget_class, PalRuleOutline, column_view);
  gtk_widget_class_bind_template_child (widget_class, PalRuleOutline, enabled_column);
  gtk_widget_class_bind_template_child (widget_class, PalRuleOutline, name_column);
  gtk_widget_class_bind_template_child (widget_class, PalRuleOutline, property_column);
  gtk_widget_class_bind_template_child (widget_class, PalRuleOutline, relation_column);
  gtk_widget_class_bind_template_child (widget_class, PalRuleOutline, value_column);
  gtk_widget_class_bind_template_child (widget_class, PalRuleOutline, action_column);
  gtk_widget_class_bind_template_child (widget_class, PalRuleOutline, last_column);
  gtk_widget_class_bind_template_child (widget_class, PalRuleOutline, row_menu);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);

  gtk_widget_class_install_property_action (widget_class, "outline.last-column", "last-column");
  gtk_widget_class_install_action (widget_class, "outline.context-menu", NULL, menu_key_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "outline.context-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "outline.context-menu", NULL);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pal_rule_outline_init (PalRuleOutline *self)
{
  GtkGesture *gesture;

  /* Before the template: the property action reads it right away. */
  self->last_column_kind = g_strdup (PAL_LAST_COLUMN_PARAMETER);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cells = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < N_COLUMNS; i++)
    self->factories[i] = create_factory (self, i);

  gtk_column_view_column_set_factory (self->enabled_column, self->factories[COL_ENABLED]);
  gtk_column_view_column_set_factory (self->name_column, self->factories[COL_NAME]);
  gtk_column_view_column_set_factory (self->property_column, self->factories[COL_PROPERTY]);
  gtk_column_view_column_set_factory (self->relation_column, self->factories[COL_RELATION]);
  gtk_column_view_column_set_factory (self->value_column, self->factories[COL_VALUE]);
  gtk_column_view_column_set_factory (self->action_column, self->factories[COL_ACTION]);
  gtk_column_view_column_set_factory (self->last_column, self->factories[COL_LAST]);

  self->context_menu = GTK_POPOVER (gtk_popover_menu_new_from_model (self->row_menu));
  gtk_popover_set_has_arrow (self->context_menu, FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->context_menu), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->context_menu), GTK_WIDGET (self));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (secondary_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (gesture));

  _pal_rule_outline_setup_dnd (self);
}
