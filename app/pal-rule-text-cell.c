/* pal-rule-text-cell.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-rule-cell.h"
#include "pal-rule-text-cell.h"
#include "pal-value.h"

struct _PalRuleTextCell
{
  GtkWidget         parent_instance;

  PalInlineEntry   *label;
  PalRuleText       kind;
  PalRule          *rule;        /* not a reference: see bind/unbind */
  gulong            text_id;
  gulong            kind_id;
  char             *error;
};

G_DEFINE_FINAL_TYPE (PalRuleTextCell, pal_rule_text_cell, GTK_TYPE_WIDGET)

gboolean
pal_rule_check_text (PalRule     *rule,
                     PalRuleText  kind,
                     GError     **error)
{
  g_return_val_if_fail (PAL_IS_RULE (rule), FALSE);

  if (kind == PAL_RULE_TEXT_VALUE)
    {
      g_autoptr(PalValue) value = pal_value_parse (pal_rule_get_property (rule),
                                                   pal_rule_get_value (rule), error);
      return value != NULL;
    }
  else
    {
      g_autoptr(PalParameter) parameter = pal_parameter_parse (pal_rule_get_action (rule),
                                                               pal_rule_get_parameter (rule),
                                                               error);
      return parameter != NULL;
    }
}

static const char *
rule_text (PalRuleTextCell *self)
{
  return self->kind == PAL_RULE_TEXT_VALUE ? pal_rule_get_value (self->rule)
                                           : pal_rule_get_parameter (self->rule);
}

static void
validate (PalRuleTextCell *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *label = GTK_WIDGET (self->label);

  g_clear_pointer (&self->error, g_free);
  if (!pal_rule_check_text (self->rule, self->kind, &error))
    self->error = g_strdup (error->message);

  if (self->error != NULL)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

/* Made when asked for: gtk_widget_set_tooltip_text() on every bind would
 * query the pointer from the display server once per row. */
static gboolean
query_tooltip_cb (PalRuleTextCell *self,
                  int              x,
                  int              y,
                  gboolean         keyboard,
                  GtkTooltip      *tooltip)
{
  const char *text = NULL;

  if (self->rule == NULL)
    return FALSE;
  if (self->error != NULL)
    text = self->error;
  else if (self->kind == PAL_RULE_TEXT_VALUE)
    text = pal_value_get_hint (pal_rule_get_property (self->rule));
  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
sync_from_rule (PalRuleTextCell *self)
{
  /* Undo or another edit changed the text: an edit in progress is void. */
  pal_inline_entry_stop_editing (self->label, FALSE);
  pal_inline_entry_set_text (self->label, rule_text (self));
  validate (self);
}

static void
commit_cb (PalRuleTextCell *self,
           const char      *text)
{
  if (self->rule == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (g_strcmp0 (text, rule_text (self)) != 0)
    pal_rule_cell_edit (GTK_WIDGET (self),
                        self->kind == PAL_RULE_TEXT_VALUE ? "value" : "parameter",
                        g_variant_new_string (text));
}

static void
pal_rule_text_cell_dispose (GObject *object)
{
  PalRuleTextCell *self = PAL_RULE_TEXT_CELL (object);

  pal_rule_text_cell_unbind (self);
  g_clear_pointer ((GtkWidget **) &self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (pal_rule_text_cell_parent_class)->dispose (object);
}

static void
pal_rule_text_cell_class_init (PalRuleTextCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_rule_text_cell_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pal_rule_text_cell_init (PalRuleTextCell *self)
{
  self->label = PAL_INLINE_ENTRY (pal_inline_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->label), GTK_WIDGET (self));
  g_signal_connect_swapped (self->label, "commit", G_CALLBACK (commit_cb), self);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  pal_rule_cell_edit_on_double_click (GTK_WIDGET (self), self->label);
}

GtkWidget *
pal_rule_text_cell_new (PalRuleText kind)
{
  PalRuleTextCell *self = g_object_new (PAL_TYPE_RULE_TEXT_CELL, NULL);

  self->kind = kind;
  return GTK_WIDGET (self);
}

void
pal_rule_text_cell_bind (PalRuleTextCell *self,
                         PalRule         *rule)
{
  gboolean value = self->kind == PAL_RULE_TEXT_VALUE;

  g_return_if_fail (PAL_IS_RULE_TEXT_CELL (self));
  g_return_if_fail (PAL_IS_RULE (rule));
  g_return_if_fail (self->rule == NULL);

  self->rule = rule;
  pal_rule_cell_set_rule (GTK_WIDGET (self), rule);
  pal_inline_entry_set_editable (self->label, !pal_rule_get_read_only (rule));
  /* The same text can turn valid or invalid when the property (or action)
   * changes, so both are watched. */
  self->text_id = g_signal_connect_swapped (rule, value ? "notify::value" : "notify::parameter",
                                            G_CALLBACK (sync_from_rule), self);
  self->kind_id = g_signal_connect_swapped (rule, value ? "notify::property" : "notify::action",
                                            G_CALLBACK (validate), self);
  sync_from_rule (self);
}

void
pal_rule_text_cell_unbind (PalRuleTextCell *self)
{
  PalRule *rule = self->rule;

  g_return_if_fail (PAL_IS_RULE_TEXT_CELL (self));

  if (rule == NULL)
    return;
  self->rule = NULL;
  pal_inline_entry_stop_editing (self->label, FALSE);
  g_clear_signal_handler (&self->text_id, rule);
  g_clear_signal_handler (&self->kind_id, rule);
  g_clear_pointer (&self->error, g_free);
  pal_rule_cell_set_rule (GTK_WIDGET (self), NULL);
}

const char *
pal_rule_text_cell_get_error (PalRuleTextCell *self)
{
  g_return_val_if_fail (PAL_IS_RULE_TEXT_CELL (self), NULL);
  return self->error;
}

void
pal_rule_text_cell_start_editing (PalRuleTextCell *self)
{
  g_return_if_fail (PAL_IS_RULE_TEXT_CELL (self));

  if (self->rule == NULL || pal_rule_get_read_only (self->rule))
    return;
  pal_inline_entry_start_editing (self->label);
}
