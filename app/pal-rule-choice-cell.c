/* pal-rule-choice-cell.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-enum-types.h"
#include "pal-rule-cell.h"
#include "pal-rule-choice-cell.h"

struct _PalRuleChoiceCell
{
  GtkWidget      parent_instance;

  GtkDropDown   *drop_down;
  PalRuleChoice  choice;
  PalRule       *rule;          /* not a reference: see bind/unbind */
  gulong         notify_id;
  gboolean       updating;
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

  /* One list per column for the whole program: cells are recycled by the
   * thousand and must not each build their own. */
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
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->drop_down, rule_value (self));
  self->updating = FALSE;
}

static void
selected_cb (PalRuleChoiceCell *self)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *value;
  guint selected = gtk_drop_down_get_selected (self->drop_down);

  if (self->updating || self->rule == NULL || (int) selected == rule_value (self))
    return;

  klass = g_type_class_ref (choice_enum_type (self->choice));
  value = g_enum_get_value (klass, selected);
  if (value == NULL)
    return;
  pal_rule_cell_edit (GTK_WIDGET (self), field_names[self->choice],
                      g_variant_new_string (value->value_nick));
  /* Back to what the rule says, whether or not the window took the edit. */
  sync_from_rule (self);
}

static void
pal_rule_choice_cell_dispose (GObject *object)
{
  PalRuleChoiceCell *self = PAL_RULE_CHOICE_CELL (object);

  pal_rule_choice_cell_unbind (self);
  g_clear_pointer ((GtkWidget **) &self->drop_down, gtk_widget_unparent);

  G_OBJECT_CLASS (pal_rule_choice_cell_parent_class)->dispose (object);
}

static void
pal_rule_choice_cell_class_init (PalRuleChoiceCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_rule_choice_cell_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pal_rule_choice_cell_init (PalRuleChoiceCell *self)
{
}

GtkWidget *
pal_rule_choice_cell_new (PalRuleChoice choice)
{
  PalRuleChoiceCell *self;

  g_return_val_if_fail (choice <= PAL_RULE_CHOICE_ACTION, NULL);

  self = g_object_new (PAL_TYPE_RULE_CHOICE_CELL, NULL);
  self->choice = choice;
  self->drop_down = GTK_DROP_DOWN (gtk_drop_down_new (g_object_ref (pal_rule_choice_get_labels (choice)),
                                                      NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->drop_down), "flat");
  gtk_widget_set_parent (GTK_WIDGET (self->drop_down), GTK_WIDGET (self));
  g_signal_connect_swapped (self->drop_down, "notify::selected", G_CALLBACK (selected_cb), self);
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
  gtk_widget_set_sensitive (GTK_WIDGET (self->drop_down), !pal_rule_get_read_only (rule));
  sync_from_rule (self);
}

void
pal_rule_choice_cell_unbind (PalRuleChoiceCell *self)
{
  g_return_if_fail (PAL_IS_RULE_CHOICE_CELL (self));

  if (self->rule == NULL)
    return;
  g_clear_signal_handler (&self->notify_id, self->rule);
  pal_rule_cell_set_rule (GTK_WIDGET (self), NULL);
  self->rule = NULL;
}
