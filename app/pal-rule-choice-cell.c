/* pal-rule-choice-cell.c
 *
 * Drawn as a label with an arrow, like a flat drop-down; the list of
 * choices is a popover made when it is opened. A GtkDropDown per cell (a
 * button, a popover, a list view and a factory, times three columns times
 * the couple of hundred rows a GtkListView keeps) made a 10,000-rule
 * document take seconds to show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-enum-types.h"
#include "pal-rule-cell.h"
#include "pal-rule-choice-cell.h"
#include "pal-rule-outline.h"

struct _PalRuleChoiceCell
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkLabel      *label;
  GtkPopover    *popover;     /* weak: only while open (the outline owns it) */
  PalRuleChoice  choice;
  PalRule       *rule;        /* not a reference: see bind/unbind */
  gulong         notify_id;
  gboolean       editable;
};

G_DEFINE_FINAL_TYPE (PalRuleChoiceCell, pal_rule_choice_cell, GTK_TYPE_WIDGET)

static const char *field_names[] = { "property", "relation", "action" };

static GType
choice_enum_type (PalRuleChoice choice)
{
  switch (choice)
    {
    case PAL_RULE_CHOICE_PROPERTY:
      return PAL_TYPE_PROPERTY;
    case PAL_RULE_CHOICE_RELATION:
      return PAL_TYPE_RELATION;
    case PAL_RULE_CHOICE_ACTION:
      return PAL_TYPE_ACTION;
    default:
      g_assert_not_reached ();
    }
}

static const char *
choice_label (PalRuleChoice choice,
              int           value)
{
  switch (choice)
    {
    case PAL_RULE_CHOICE_PROPERTY:
      return pal_property_get_label (value);
    case PAL_RULE_CHOICE_RELATION:
      return value == PAL_RELATION_IS ? _("is") : _("is not");
    case PAL_RULE_CHOICE_ACTION:
      return pal_action_get_label (value);
    default:
      g_assert_not_reached ();
    }
}

GListModel *
pal_rule_choice_get_labels (PalRuleChoice choice)
{
  static GListModel *labels[3];

  g_return_val_if_fail (choice <= PAL_RULE_CHOICE_ACTION, NULL);

  /* One list per column for the whole program. */
  if (labels[choice] == NULL)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (choice_enum_type (choice));
      GtkStringList *list = gtk_string_list_new (NULL);

      for (guint i = 0; i < klass->n_values; i++)
        gtk_string_list_append (list, choice_label (choice, klass->values[i].value));
      labels[choice] = G_LIST_MODEL (list);
    }
  return labels[choice];
}

static int
rule_value (PalRuleChoiceCell *self)
{
  switch (self->choice)
    {
    case PAL_RULE_CHOICE_PROPERTY:
      return pal_rule_get_property (self->rule);
    case PAL_RULE_CHOICE_RELATION:
      return pal_rule_get_relation (self->rule);
    case PAL_RULE_CHOICE_ACTION:
      return pal_rule_get_action (self->rule);
    default:
      g_assert_not_reached ();
    }
}

static void
sync_from_rule (PalRuleChoiceCell *self)
{
  gtk_label_set_text (self->label, choice_label (self->choice, rule_value (self)));
}

static void
choose (PalRuleChoiceCell *self,
        int                value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (choice_enum_type (self->choice));
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  if (self->rule == NULL || enum_value == NULL || value == rule_value (self))
    return;
  pal_rule_cell_edit (GTK_WIDGET (self), field_names[self->choice],
                      g_variant_new_string (enum_value->value_nick));
}

/* ---------------------------------------------------------------- popover */

static void
popover_closed_cb (PalRuleChoiceCell *self)
{
  if (self->rule != NULL && gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
row_activated_cb (GtkListBox        *list,
                  GtkListBoxRow     *row,
                  PalRuleChoiceCell *self)
{
  int value = gtk_list_box_row_get_index (row);

  gtk_popover_popdown (self->popover);
  choose (self, value);
}

static GtkWidget *
create_choice_list (PalRuleChoiceCell *self)
{
  GListModel *labels = pal_rule_choice_get_labels (self->choice);
  guint n = g_list_model_get_n_items (labels);
  GtkWidget *list = gtk_list_box_new ();
  int current = rule_value (self);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_BROWSE);
  gtk_widget_add_css_class (list, "navigation-sidebar");
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *label = gtk_label_new (gtk_string_list_get_string (GTK_STRING_LIST (labels), i));

      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_list_box_append (GTK_LIST_BOX (list), label);
    }
  gtk_list_box_select_row (GTK_LIST_BOX (list), gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), current));
  g_signal_connect (list, "row-activated", G_CALLBACK (row_activated_cb), self);
  return list;
}

static void
open_popover (PalRuleChoiceCell *self)
{
  GtkWidget *list, *scroller;
  GtkListBoxRow *current;
  GtkWidget *outline = gtk_widget_get_ancestor (GTK_WIDGET (self), PAL_TYPE_RULE_OUTLINE);

  if (self->rule == NULL || !self->editable || self->popover != NULL || outline == NULL)
    return;

  list = create_choice_list (self);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);

  g_set_weak_pointer (&self->popover, GTK_POPOVER (gtk_popover_new ()));
  gtk_popover_set_child (self->popover, scroller);
  gtk_popover_set_position (self->popover, GTK_POS_BOTTOM);
  gtk_widget_add_css_class (GTK_WIDGET (self->popover), "menu");
  g_signal_connect_object (self->popover, "closed", G_CALLBACK (popover_closed_cb), self,
                           G_CONNECT_SWAPPED);
  pal_rule_outline_show_popover (PAL_RULE_OUTLINE (outline), self->popover, GTK_WIDGET (self));

  current = gtk_list_box_get_selected_row (GTK_LIST_BOX (list));
  if (current != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (current));
}

static void
pressed_cb (GtkGestureClick   *gesture,
            int                n_press,
            double             x,
            double             y,
            PalRuleChoiceCell *self)
{
  if (self->rule == NULL || !self->editable)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  open_popover (self);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  open_popover (PAL_RULE_CHOICE_CELL (widget));
}

/* ---------------------------------------------------------------- GObject */

static void
pal_rule_choice_cell_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  PalRuleChoiceCell *self = PAL_RULE_CHOICE_CELL (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
}

static void
pal_rule_choice_cell_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  PalRuleChoiceCell *self = PAL_RULE_CHOICE_CELL (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
pal_rule_choice_cell_dispose (GObject *object)
{
  PalRuleChoiceCell *self = PAL_RULE_CHOICE_CELL (object);

  pal_rule_choice_cell_unbind (self);
  g_clear_weak_pointer (&self->popover);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (pal_rule_choice_cell_parent_class)->dispose (object);
}

static void
pal_rule_choice_cell_class_init (PalRuleChoiceCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_rule_choice_cell_dispose;
  widget_class->measure = pal_rule_choice_cell_measure;
  widget_class->size_allocate = pal_rule_choice_cell_size_allocate;

  gtk_widget_class_set_css_name (widget_class, "choicecell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_COMBO_BOX);
  gtk_widget_class_install_action (widget_class, "choice.open", NULL, open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "choice.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "choice.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "choice.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "choice.open", NULL);
}

static void
pal_rule_choice_cell_init (PalRuleChoiceCell *self)
{
  GtkWidget *arrow = gtk_image_new_from_icon_name ("pan-down-symbolic");
  GtkGesture *gesture = gtk_gesture_click_new ();

  self->editable = TRUE;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0.0);
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_widget_add_css_class (arrow, "arrow");

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->label));
  gtk_box_append (GTK_BOX (self->box), arrow);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}

GtkWidget *
pal_rule_choice_cell_new (PalRuleChoice choice)
{
  PalRuleChoiceCell *self;

  g_return_val_if_fail (choice <= PAL_RULE_CHOICE_ACTION, NULL);

  self = g_object_new (PAL_TYPE_RULE_CHOICE_CELL, NULL);
  self->choice = choice;
  return GTK_WIDGET (self);
}

void
pal_rule_choice_cell_bind (PalRuleChoiceCell *self,
                           PalRule           *rule)
{
  g_autofree char *signal = NULL;

  g_return_if_fail (PAL_IS_RULE_CHOICE_CELL (self));
  g_return_if_fail (PAL_IS_RULE (rule));
  g_return_if_fail (self->rule == NULL);

  self->rule = rule;
  pal_rule_cell_set_rule (GTK_WIDGET (self), rule);
  signal = g_strconcat ("notify::", field_names[self->choice], NULL);
  self->notify_id = g_signal_connect_swapped (rule, signal, G_CALLBACK (sync_from_rule), self);
  self->editable = !pal_rule_get_read_only (rule);
  gtk_widget_set_sensitive (GTK_WIDGET (self), self->editable);
  sync_from_rule (self);
}

void
pal_rule_choice_cell_unbind (PalRuleChoiceCell *self)
{
  g_return_if_fail (PAL_IS_RULE_CHOICE_CELL (self));

  if (self->rule == NULL)
    return;
  if (self->popover != NULL)
    gtk_popover_popdown (self->popover);
  g_clear_weak_pointer (&self->popover);
  g_clear_signal_handler (&self->notify_id, self->rule);
  pal_rule_cell_set_rule (GTK_WIDGET (self), NULL);
  self->rule = NULL;
}

void
pal_rule_choice_cell_choose (PalRuleChoiceCell *self,
                             int                value)
{
  g_return_if_fail (PAL_IS_RULE_CHOICE_CELL (self));
  choose (self, value);
}
