/* pal-window-edit.c — the outline's editing commands.
 *
 * Each action is one undoable command on the window's PalUndoStack, works
 * on the outline's selection, and confirms itself in the status field.
 * Cells edit through win.set-field, drag and drop through win.move-rules,
 * so the tests drive the very same code as the mouse and the keyboard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-enum-types.h"
#include "pal-fwdoc.h"
#include "pal-outline-path.h"
#include "pal-rule-cell.h"
#include "pal-rule-text-cell.h"
#include "pal-value.h"
#include "pal-window-private.h"

/* The clipboard's own type, beside text/plain (the same JSON text). */
#define RULES_MIME_TYPE "application/x-fwdoc-rules"

/* ------------------------------------------------------------- helpers */

/* The selected rules in outline order. */
static GPtrArray *
get_selected_rules (PalWindow *self)
{
  g_autoptr(GPtrArray) rows = pal_rule_outline_get_selected_rows (self->outline);
  GPtrArray *rules = g_ptr_array_new_full (rows->len, g_object_unref);

  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (rules, gtk_tree_list_row_get_item (g_ptr_array_index (rows, i)));
  return rules;
}

/* The selected rules that no other selected rule contains: what Delete,
 * Cut and a drag take (each with its whole subtree). */
static GPtrArray *
get_selected_roots (PalWindow *self)
{
  g_autoptr(GPtrArray) selected = get_selected_rules (self);
  GPtrArray *roots = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < selected->len; i++)
    {
      PalRule *rule = g_ptr_array_index (selected, i);
      gboolean covered = FALSE;

      for (guint j = 0; j < roots->len && !covered; j++)
        covered = pal_outline_is_ancestor (g_ptr_array_index (roots, j), rule);
      if (!covered)
        g_ptr_array_add (roots, g_object_ref (rule));
    }
  return roots;
}

static gboolean
any_read_only (GPtrArray *rules)
{
  for (guint i = 0; i < rules->len; i++)
    if (pal_rule_get_read_only (g_ptr_array_index (rules, i)))
      return TRUE;
  return FALSE;
}

static guint
subtree_height (PalRule *rule)
{
  guint n = pal_rule_get_n_children (rule);
  guint height = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) child = pal_rule_get_child (rule, i);
      height = MAX (height, subtree_height (child) + 1);
    }
  return height;
}

/* The reader refuses outlines nested deeper than PAL_DOCUMENT_MAX_DEPTH:
 * never build one. */
static gboolean
fits_below (PalWindow *self,
            PalRule   *parent,
            GPtrArray *rules)
{
  guint depth = parent != NULL ? pal_rule_get_depth (parent) + 1 : 0;

  for (guint i = 0; i < rules->len; i++)
    if (depth + subtree_height (g_ptr_array_index (rules, i)) >= PAL_DOCUMENT_MAX_DEPTH)
      {
        pal_window_set_status (self, TRUE, _("Rules can be nested at most %d deep"),
                               PAL_DOCUMENT_MAX_DEPTH);
        return FALSE;
      }
  return TRUE;
}

static void
count_rules (GPtrArray *rules,
             guint     *count)
{
  *count = 0;
  for (guint i = 0; i < rules->len; i++)
    *count += pal_rule_count (g_ptr_array_index (rules, i));
}

/* Where New and Paste put rules: just below the selection as the outline
 * shows it. Below an open parent that is its first child, as in
 * IPNetSentryX; with no selection, the end of the outline. */
static void
insertion_point_after (PalWindow *self,
                       PalRule  **parent,
                       guint     *position)
{
  g_autoptr(GPtrArray) rows = pal_rule_outline_get_selected_rows (self->outline);
  GtkTreeListRow *row;
  g_autoptr(PalRule) last = NULL;

  if (rows->len == 0)
    {
      *parent = NULL;
      *position = g_list_model_get_n_items (pal_document_get_rules (self->document));
      return;
    }
  row = g_ptr_array_index (rows, rows->len - 1);
  last = gtk_tree_list_row_get_item (row);
  if (gtk_tree_list_row_get_expanded (row) && pal_rule_get_n_children (last) > 0)
    {
      *parent = last;
      *position = 0;
    }
  else
    {
      *parent = pal_rule_get_parent (last);
      *position = pal_outline_get_position (self->document, last) + 1;
    }
}

/* Inserts rules (fresh, without parent) at parent/position as one command,
 * then selects them. */
static void
insert_rules (PalWindow  *self,
              const char *label,
              PalRule    *parent,
              guint       position,
              GPtrArray  *rules)
{
  pal_undo_stack_begin (self->undo, label);
  for (guint i = 0; i < rules->len; i++)
    pal_undo_stack_insert (self->undo, parent, position + i, g_ptr_array_index (rules, i));
  pal_undo_stack_end (self->undo);
  pal_rule_outline_select_rules (self->outline, rules);
}

/* ------------------------------------------------------------ new rule */

typedef struct
{
  PalWindow *window;
  PalRule   *rule;
  guint      frames;
} RenameLater;

static void
rename_later_free (gpointer data)
{
  RenameLater *later = data;

  g_object_unref (later->rule);
  g_free (later);
}

static gboolean
rename_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  RenameLater *later = data;
  PalWindow *self = later->window;
  guint position;

  /* The new row gets its widgets in the next layout: wait a frame or two. */
  if (pal_rule_outline_get_cell (self->outline, later->rule, "name") == NULL && later->frames++ < 4)
    return G_SOURCE_CONTINUE;
  if (pal_outline_lookup_position (self->document, later->rule, &position))
    pal_rule_outline_rename (self->outline, later->rule);
  return G_SOURCE_REMOVE;
}

static void
rename_when_shown (PalWindow *self,
                   PalRule   *rule)
{
  RenameLater *later;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  later = g_new0 (RenameLater, 1);
  later->window = self;
  later->rule = g_object_ref (rule);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), rename_tick_cb, later, rename_later_free);
}

static PalRule *
create_rule (void)
{
  /* "Count" has no effect on packets: a new rule changes nothing until its
   * condition and action are chosen. */
  PalRule *rule = pal_rule_new (PAL_PROPERTY_ANY, PAL_ACTION_COUNT);

  pal_rule_set_name (rule, _("New rule"));
  return rule;
}

static void
add_new_rule (PalWindow  *self,
              const char *label,
              PalRule    *parent,
              guint       position)
{
  g_autoptr(PalRule) rule = create_rule ();
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();

  if (parent != NULL && pal_rule_get_read_only (parent))
    {
      pal_window_set_status (self, TRUE, _("Rules made by other programs cannot be changed"));
      return;
    }
  g_ptr_array_add (rules, rule);
  if (!fits_below (self, parent, rules))
    return;
  insert_rules (self, label, parent, position, rules);
  if (parent != NULL)
    pal_window_set_status (self, FALSE, _("Added a rule inside “%s”"), pal_rule_get_name (parent));
  else
    pal_window_set_status (self, FALSE, "%s", _("Added a rule"));
  rename_when_shown (self, rule);
}

static void
new_sibling_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  PalRule *parent;
  guint position;

  insertion_point_after (self, &parent, &position);
  add_new_rule (self, _("New Rule"), parent, position);
}

static void
new_child_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  g_autoptr(GPtrArray) selected = get_selected_rules (self);
  PalRule *parent;

  if (selected->len == 0)
    {
      pal_window_set_status (self, TRUE, _("Select the rule that gets the new child"));
      return;
    }
  parent = g_ptr_array_index (selected, selected->len - 1);
  pal_rule_outline_expand (self->outline, parent, FALSE);
  add_new_rule (self, _("New Child Rule"), parent, pal_rule_get_n_children (parent));
}

static void
new_before_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  g_autoptr(GPtrArray) selected = get_selected_rules (self);
  PalRule *first;

  if (selected->len == 0)
    {
      add_new_rule (self, _("New Rule"), NULL, 0);
      return;
    }
  first = g_ptr_array_index (selected, 0);
  add_new_rule (self, _("New Rule"), pal_rule_get_parent (first),
                pal_outline_get_position (self->document, first));
}

/* -------------------------------------------------------------- delete */

/* After a delete, the row that took the first deleted rule's place (or the
 * one before it, or its parent) is selected, so Delete can be repeated. */
static void
select_near (PalWindow *self,
             PalRule   *parent,
             guint      position)
{
  GListModel *siblings = parent != NULL ? pal_rule_get_children (parent)
                                        : pal_document_get_rules (self->document);
  guint n = g_list_model_get_n_items (siblings);
  g_autoptr(GPtrArray) select = g_ptr_array_new_with_free_func (g_object_unref);

  if (n > 0)
    g_ptr_array_add (select, g_list_model_get_item (siblings, MIN (position, n - 1)));
  else if (parent != NULL)
    g_ptr_array_add (select, g_object_ref (parent));
  pal_rule_outline_select_rules (self->outline, select);
}

static gboolean
delete_roots (PalWindow  *self,
              const char *label,
              GPtrArray  *roots)
{
  PalRule *parent;
  guint position;

  if (roots->len == 0)
    {
      pal_window_set_status (self, TRUE, _("No rule is selected"));
      return FALSE;
    }
  if (any_read_only (roots))
    {
      pal_window_set_status (self, TRUE, _("Rules made by other programs cannot be changed"));
      return FALSE;
    }

  parent = pal_rule_get_parent (g_ptr_array_index (roots, 0));
  position = pal_outline_get_position (self->document, g_ptr_array_index (roots, 0));
  if (parent != NULL)
    g_object_ref (parent);

  pal_undo_stack_begin (self->undo, label);
  for (guint i = 0; i < roots->len; i++)
    pal_undo_stack_remove (self->undo, g_ptr_array_index (roots, i));
  pal_undo_stack_end (self->undo);

  select_near (self, parent, position);
  g_clear_object (&parent);
  return TRUE;
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  g_autoptr(GPtrArray) roots = get_selected_roots (self);
  guint count;

  count_rules (roots, &count);
  if (delete_roots (self, _("Delete"), roots))
    pal_window_set_status (self, FALSE,
                           g_dngettext (GETTEXT_PACKAGE, "Deleted %u rule", "Deleted %u rules", count),
                           count);
}

/* ----------------------------------------------------------- clipboard */

/* What Copy takes, as IPNetSentryX did: each selected row with, for a
 * collapsed parent, all its children, and for an open one only its
 * selected children. */
static GPtrArray *
copy_selection (PalWindow *self)
{
  g_autoptr(GPtrArray) rows = pal_rule_outline_get_selected_rows (self->outline);
  g_autoptr(GHashTable) copies = g_hash_table_new (NULL, NULL);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < rows->len; i++)
    {
      GtkTreeListRow *row = g_ptr_array_index (rows, i);
      g_autoptr(PalRule) rule = gtk_tree_list_row_get_item (row);
      PalRule *copy = pal_rule_copy (rule, TRUE);
      PalRule *holder = NULL;

      if (gtk_tree_list_row_get_expanded (row))
        while (pal_rule_get_n_children (copy) > 0)
          pal_rule_remove_child (copy, 0);

      for (PalRule *up = pal_rule_get_parent (rule); up != NULL && holder == NULL;
           up = pal_rule_get_parent (up))
        holder = g_hash_table_lookup (copies, up);
      if (holder != NULL)
        {
          pal_rule_append_child (holder, copy);
          g_object_unref (copy);
        }
      else
        g_ptr_array_add (result, copy);
      g_hash_table_insert (copies, rule, copy);
    }
  return result;
}

static gboolean
copy_to_clipboard (PalWindow *self,
                   GPtrArray *rules,
                   guint     *count)
{
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkContentProvider) provider = NULL;
  GdkContentProvider *providers[2];

  count_rules (rules, count);
  if (rules->len == 0)
    {
      pal_window_set_status (self, TRUE, _("No rule is selected"));
      return FALSE;
    }

  /* Plain text, so the rules can be kept in any text file and pasted back. */
  text = pal_fwdoc_rules_to_data (rules);
  bytes = g_bytes_new (text, strlen (text));
  providers[0] = gdk_content_provider_new_for_bytes (RULES_MIME_TYPE, bytes);
  providers[1] = gdk_content_provider_new_typed (G_TYPE_STRING, text);
  provider = gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
  gdk_clipboard_set_content (gtk_widget_get_clipboard (GTK_WIDGET (self)), provider);
  return TRUE;
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  g_autoptr(GPtrArray) rules = copy_selection (self);
  guint count;

  if (copy_to_clipboard (self, rules, &count))
    pal_window_set_status (self, FALSE,
                           g_dngettext (GETTEXT_PACKAGE, "Copied %u rule", "Copied %u rules", count),
                           count);
}

static void
cut_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  g_autoptr(GPtrArray) roots = get_selected_roots (self);
  guint count;

  if (any_read_only (roots))
    {
      pal_window_set_status (self, TRUE, _("Rules made by other programs cannot be changed"));
      return;
    }
  /* Cut puts on the clipboard exactly what it deletes: whole subtrees, so
   * cut and paste never loses the children of an open parent. */
  if (copy_to_clipboard (self, roots, &count) && delete_roots (self, _("Cut"), roots))
    pal_window_set_status (self, FALSE,
                           g_dngettext (GETTEXT_PACKAGE, "Cut %u rule", "Cut %u rules", count),
                           count);
}

static void
paste_text (PalWindow  *self,
            const char *text)
{
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  PalRule *parent;
  guint position, count;

  if (text == NULL)
    {
      pal_window_set_status (self, TRUE, _("The clipboard holds no text to paste"));
      return;
    }
  rules = pal_fwdoc_rules_from_data (text, -1, NULL, &error);
  if (rules == NULL)
    {
      pal_window_set_status (self, TRUE, _("The clipboard holds no rules: %s"), error->message);
      return;
    }

  /* Pasted rules are new rules: fresh ids, so counters and Show Active
   * never confuse them with the originals. */
  for (guint i = 0; i < rules->len; i++)
    pal_rule_renew_ids (g_ptr_array_index (rules, i));

  insertion_point_after (self, &parent, &position);
  if (parent != NULL && pal_rule_get_read_only (parent))
    {
      pal_window_set_status (self, TRUE, _("Rules made by other programs cannot be changed"));
      return;
    }
  if (!fits_below (self, parent, rules))
    return;
  insert_rules (self, _("Paste"), parent, position, rules);
  count_rules (rules, &count);
  pal_window_set_status (self, FALSE,
                         g_dngettext (GETTEXT_PACKAGE, "Pasted %u rule", "Pasted %u rules", count),
                         count);
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PalWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);

  if (error != NULL)
    pal_window_set_status (self, TRUE, _("Could not read the clipboard: %s"), error->message);
  else
    paste_text (self, text);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GdkContentProvider *content = gdk_clipboard_get_content (clipboard);

  /* Our own copy is read at once; another program's needs a round trip. */
  if (content != NULL)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, G_TYPE_STRING);
      if (gdk_content_provider_get_value (content, &value, NULL))
        {
          paste_text (self, g_value_get_string (&value));
          return;
        }
    }
  gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, g_object_ref (self));
}

/* ----------------------------------------------------------- set-field */

static gboolean
field_to_value (const char  *field,
                GVariant    *variant,
                GValue      *value,
                const char **label)
{
  const char *text = g_variant_is_of_type (variant, G_VARIANT_TYPE_STRING)
                     ? g_variant_get_string (variant, NULL) : NULL;
  int number;

  if (g_strcmp0 (field, "enabled") == 0 && g_variant_is_of_type (variant, G_VARIANT_TYPE_BOOLEAN))
    {
      g_value_init (value, G_TYPE_BOOLEAN);
      g_value_set_boolean (value, g_variant_get_boolean (variant));
      *label = g_variant_get_boolean (variant) ? _("Turn Rule On") : _("Turn Rule Off");
      return TRUE;
    }
  if (text == NULL)
    return FALSE;

  if (g_strcmp0 (field, "name") == 0 || g_strcmp0 (field, "value") == 0
      || g_strcmp0 (field, "parameter") == 0)
    {
      g_value_init (value, G_TYPE_STRING);
      g_value_set_string (value, text);
      *label = field[0] == 'n' ? _("Rename Rule") : field[0] == 'v' ? _("Change Value")
                                                                  : _("Change Parameter");
      return TRUE;
    }
  if (g_strcmp0 (field, "property") == 0 && pal_property_from_string (text, (PalProperty *) &number))
    {
      g_value_init (value, PAL_TYPE_PROPERTY);
      *label = _("Change Property");
    }
  else if (g_strcmp0 (field, "relation") == 0 && pal_relation_from_string (text, (PalRelation *) &number))
    {
      g_value_init (value, PAL_TYPE_RELATION);
      *label = _("Change Relation");
    }
  else if (g_strcmp0 (field, "action") == 0 && pal_action_from_string (text, (PalAction *) &number))
    {
      g_value_init (value, PAL_TYPE_ACTION);
      *label = _("Change Action");
    }
  else
    return FALSE;
  g_value_set_enum (value, number);
  return TRUE;
}

static gboolean
check_text_limits (PalWindow  *self,
                   const char *field,
                   GValue     *value)
{
  const char *text = G_VALUE_HOLDS_STRING (value) ? g_value_get_string (value) : NULL;

  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  if (g_strcmp0 (field, "name") == 0 && strlen (text) > PAL_DOCUMENT_MAX_NAME_LENGTH)
    {
      pal_window_set_status (self, TRUE, _("A rule name can be at most %d bytes long"),
                             PAL_DOCUMENT_MAX_NAME_LENGTH);
      return FALSE;
    }
  if (strlen (text) > PAL_VALUE_MAX_LENGTH)
    {
      pal_window_set_status (self, TRUE, _("That text is too long for a rule"));
      return FALSE;
    }
  return TRUE;
}

/* After an edit, say what changed, or why the rule is now marked: the cell
 * shows the same message as its tooltip. */
static void
report_edit (PalWindow  *self,
             PalRule    *rule,
             const char *field,
             const char *label)
{
  g_autoptr(GError) error = NULL;
  gboolean value_field = g_strcmp0 (field, "value") == 0 || g_strcmp0 (field, "property") == 0;
  gboolean parameter_field = g_strcmp0 (field, "parameter") == 0 || g_strcmp0 (field, "action") == 0;

  if ((value_field && !pal_rule_check_text (rule, PAL_RULE_TEXT_VALUE, &error))
      || (parameter_field && !pal_rule_check_text (rule, PAL_RULE_TEXT_PARAMETER, &error)))
    {
      /* The parser's sentence may or may not end with a full stop. */
      g_autofree char *sentence = g_strdup (error->message);
      gsize length = strlen (sentence);

      if (length > 0 && sentence[length - 1] == '.')
        sentence[length - 1] = '\0';
      pal_window_set_status (self, TRUE, _("Rule “%s”: %s. Fix it before saving or applying."),
                             pal_rule_get_name (rule), sentence);
    }
  else
    pal_window_set_status (self, FALSE, _("%s: “%s”"), label, pal_rule_get_name (rule));
}

static void
set_field_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  const char *id, *field;
  g_autoptr(GVariant) variant = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  const char *label = NULL;
  PalRule *rule;

  g_variant_get (parameter, "(&s&sv)", &id, &field, &variant);
  rule = pal_document_find_rule (self->document, id);
  if (rule == NULL)
    return;
  if (pal_rule_get_read_only (rule))
    {
      pal_window_set_status (self, TRUE, _("Rules made by other programs cannot be changed"));
      return;
    }
  if (!field_to_value (field, variant, &value, &label))
    {
      g_warning ("win.set-field: no field “%s” of that type", field);
      return;
    }
  if (!check_text_limits (self, field, &value))
    return;

  pal_undo_stack_begin (self->undo, label);
  pal_undo_stack_set (self->undo, G_OBJECT (rule), field, &value);
  pal_undo_stack_end (self->undo);
  report_edit (self, rule, field, label);
}

static void
toggle_enabled_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  g_autoptr(GPtrArray) rules = get_selected_rules (self);
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean enable;

  if (rules->len == 0 || any_read_only (rules))
    return;

  /* Like a check box over several rows: all on unless the first is on. */
  enable = !pal_rule_get_enabled (g_ptr_array_index (rules, 0));
  g_value_init (&value, G_TYPE_BOOLEAN);
  g_value_set_boolean (&value, enable);
  pal_undo_stack_begin (self->undo, enable ? _("Turn Rules On") : _("Turn Rules Off"));
  for (guint i = 0; i < rules->len; i++)
    pal_undo_stack_set (self->undo, g_ptr_array_index (rules, i), "enabled", &value);
  pal_undo_stack_end (self->undo);
  pal_window_set_status (self, FALSE,
                         enable ? g_dngettext (GETTEXT_PACKAGE, "Turned %u rule on", "Turned %u rules on", rules->len)
                                : g_dngettext (GETTEXT_PACKAGE, "Turned %u rule off", "Turned %u rules off", rules->len),
                         rules->len);
}

/* ---------------------------------------------------------------- move */

static GPtrArray *
find_rules (PalWindow          *self,
            const char * const *ids)
{
  GPtrArray *rules = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      PalRule *rule = pal_document_find_rule (self->document, ids[i]);

      if (rule == NULL)
        {
          g_ptr_array_unref (rules);
          return NULL;
        }
      g_ptr_array_add (rules, g_object_ref (rule));
    }
  return rules;
}

static gboolean
check_move (PalWindow *self,
            GPtrArray *rules,
            PalRule   *parent)
{
  if (rules->len == 0)
    return FALSE;
  if (any_read_only (rules) || (parent != NULL && pal_rule_get_read_only (parent)))
    {
      pal_window_set_status (self, TRUE, _("Rules made by other programs cannot be changed"));
      return FALSE;
    }
  for (guint i = 0; i < rules->len; i++)
    if (parent != NULL && pal_outline_is_ancestor (g_ptr_array_index (rules, i), parent))
      {
        pal_window_set_status (self, TRUE, _("A rule cannot be moved inside itself"));
        return FALSE;
      }
  return fits_below (self, parent, rules);
}

static void
move_rules_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  g_autofree const char **ids = NULL;
  const char *parent_id;
  guint position, count;
  g_autoptr(GPtrArray) rules = NULL;
  GListModel *siblings;
  g_autoptr(PalRule) anchor = NULL;
  PalRule *parent = NULL;

  g_variant_get (parameter, "(^a&s&su)", &ids, &parent_id, &position);
  rules = find_rules (self, ids);
  if (parent_id[0] != '\0')
    parent = pal_document_find_rule (self->document, parent_id);
  if (rules == NULL || (parent_id[0] != '\0' && parent == NULL) || !check_move (self, rules, parent))
    return;

  /* The rule the moved ones go before survives their removal; its place
   * afterwards is the insertion point. A moved rule cannot be the anchor. */
  siblings = parent != NULL ? pal_rule_get_children (parent) : pal_document_get_rules (self->document);
  for (guint n = g_list_model_get_n_items (siblings); position < n && anchor == NULL; position++)
    {
      anchor = g_list_model_get_item (siblings, position);
      if (g_ptr_array_find (rules, anchor, NULL))
        g_clear_object (&anchor);
    }

  /* One command: undo puts every rule back where it was. */
  pal_undo_stack_begin (self->undo, _("Move"));
  for (guint i = 0; i < rules->len; i++)
    pal_undo_stack_remove (self->undo, g_ptr_array_index (rules, i));
  position = anchor != NULL ? pal_outline_get_position (self->document, anchor)
                            : g_list_model_get_n_items (siblings);
  insert_rules (self, _("Move"), parent, position, rules);
  pal_undo_stack_end (self->undo);

  count_rules (rules, &count);
  pal_window_set_status (self, FALSE,
                         g_dngettext (GETTEXT_PACKAGE, "Moved %u rule", "Moved %u rules", count),
                         count);
}

/* ------------------------------------------------------- rename, expand */

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  g_autoptr(GPtrArray) rules = get_selected_rules (self);

  if (rules->len > 0)
    pal_rule_outline_rename (self->outline, g_ptr_array_index (rules, rules->len - 1));
}

static void
expand_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  g_autoptr(GPtrArray) roots = get_selected_roots (self);

  for (guint i = 0; i < roots->len; i++)
    pal_rule_outline_expand (self->outline, g_ptr_array_index (roots, i), TRUE);
}

void
_pal_window_update_edit_actions (PalWindow *self)
{
  GtkSelectionModel *selection = pal_rule_outline_get_selection (self->outline);
  g_autoptr(GtkBitset) selected = NULL;
  gboolean any;

  if (selection == NULL)
    return;
  selected = gtk_selection_model_get_selection (selection);
  any = !gtk_bitset_is_empty (selected);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-child", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cut", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.rename", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-enabled", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.expand-all", any);
}

void
_pal_window_class_edit_init (PalWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.new-sibling", NULL, new_sibling_action);
  gtk_widget_class_install_action (widget_class, "win.new-child", NULL, new_child_action);
  gtk_widget_class_install_action (widget_class, "win.new-before", NULL, new_before_action);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "win.cut", NULL, cut_action);
  gtk_widget_class_install_action (widget_class, "win.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "win.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "win.set-field", "(ssv)", set_field_action);
  gtk_widget_class_install_action (widget_class, "win.move-rules", "(assu)", move_rules_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-enabled", NULL, toggle_enabled_action);
  gtk_widget_class_install_action (widget_class, "win.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "win.expand-all", NULL, expand_all_action);

  /* Bubble phase (after the focused widget): in a cell being edited these
   * keys edit the text; elsewhere they edit the outline. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_x, GDK_CONTROL_MASK, "win.cut", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "win.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "win.paste", NULL);
}
