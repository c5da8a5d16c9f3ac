/* pal-trusted-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-problem.h"
#include "pal-trusted-list.h"
#include "pal-validator.h"

struct _PalTrustedList
{
  GtkBox        parent_instance;

  GtkListBox   *list;
  GtkEntry     *entry;
  GtkLabel     *error_label;

  PalUndoStack *undo;
  PalDocument  *document;
};

G_DEFINE_FINAL_TYPE (PalTrustedList, pal_trusted_list, GTK_TYPE_BOX)

static void
set_error (PalTrustedList *self,
           const char     *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
}

static void
fill (PalTrustedList *self)
{
  const char * const *trusted = pal_document_get_trusted (self->document);
  GtkListBoxRow *row;

  /* Rows only: the placeholder is a child of the list box too. */
  while ((row = gtk_list_box_get_row_at_index (self->list, 0)) != NULL)
    gtk_list_box_remove (self->list, GTK_WIDGET (row));
  for (guint i = 0; trusted[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (trusted[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_list_box_append (self->list, label);
    }
}

/* The document's list changed to trusted, as one undoable command. */
static void
commit (PalTrustedList     *self,
        const char         *label,
        const char * const *trusted)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRV);
  g_value_set_boxed (&value, trusted);
  pal_undo_stack_begin (self->undo, label);
  pal_undo_stack_set (self->undo, G_OBJECT (self->document), "trusted", &value);
  pal_undo_stack_end (self->undo);
}

/* The entries the text names that the list lacks, each checked as the
 * document's validator checks it; NULL (and the reason set) when one is bad. */
static GStrv
parse_new (PalTrustedList *self,
           const char     *text)
{
  const char * const *old = pal_document_get_trusted (self->document);
  g_auto(GStrv) words = g_strsplit_set (text, ", \t", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) added = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  guint named = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      named++;
      if (!g_strv_contains (old, words[i]))
        g_strv_builder_add (builder, words[i]);
    }
  added = g_strv_builder_end (builder);
  if (added[0] == NULL)
    {
      set_error (self, named == 0 ? _("Type an address, a range or a network to trust.") : _("Already trusted."));
      return NULL;
    }
  problems = pal_validate_trusted ((const char * const *) added);
  if (problems->len > 0)
    {
      PalProblem *problem = g_ptr_array_index (problems, 0);

      set_error (self, problem->message);
      return NULL;
    }
  if (g_strv_length ((char **) old) + g_strv_length (added) > PAL_DOCUMENT_MAX_TRUSTED)
    {
      g_autofree char *message = g_strdup_printf (_("The trusted list may hold at most %d entries."),
                                                  PAL_DOCUMENT_MAX_TRUSTED);

      set_error (self, message);
      return NULL;
    }
  return g_steal_pointer (&added);
}

static void
add_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PalTrustedList *self = PAL_TRUSTED_LIST (widget);
  g_auto(GStrv) added = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) trusted = NULL;
  g_autofree char *label = NULL;

  if (self->undo == NULL
      || (added = parse_new (self, gtk_editable_get_text (GTK_EDITABLE (self->entry)))) == NULL)
    return;
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) pal_document_get_trusted (self->document));
  g_strv_builder_addv (builder, (const char **) added);
  trusted = g_strv_builder_end (builder);
  label = g_strdup_printf (_("Trust %s"), added[0]);
  set_error (self, NULL);
  commit (self, label, (const char * const *) trusted);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
}

static void
remove_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PalTrustedList *self = PAL_TRUSTED_LIST (widget);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  const char * const *old;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) trusted = NULL;
  g_autofree char *label = NULL;
  const char *gone;

  if (self->undo == NULL)
    return;
  if (row == NULL)
    {
      set_error (self, _("Select a trusted entry to remove first."));
      return;
    }
  old = pal_document_get_trusted (self->document);
  gone = old[gtk_list_box_row_get_index (row)];
  builder = g_strv_builder_new ();
  for (guint i = 0; old[i] != NULL; i++)
    if (old[i] != gone)
      g_strv_builder_add (builder, old[i]);
  trusted = g_strv_builder_end (builder);
  label = g_strdup_printf (_("Stop Trusting %s"), gone);
  set_error (self, NULL);
  commit (self, label, (const char * const *) trusted);
}

static void
entry_changed_cb (PalTrustedList *self)
{
  set_error (self, NULL);
}

static void
entry_activate_cb (PalTrustedList *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "trusted.add", NULL);
}

static void
selection_changed_cb (PalTrustedList *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "trusted.remove",
                                 gtk_list_box_get_selected_row (self->list) != NULL);
}

void
pal_trusted_list_set_undo_stack (PalTrustedList *self,
                                 PalUndoStack   *undo)
{
  g_return_if_fail (PAL_IS_TRUSTED_LIST (self));
  g_return_if_fail (PAL_IS_UNDO_STACK (undo));

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->undo, undo);
  g_set_object (&self->document, pal_undo_stack_get_document (undo));
  g_signal_connect_swapped (self->document, "notify::trusted", G_CALLBACK (fill), self);
  set_error (self, NULL);
  fill (self);
}

GtkEditable *
pal_trusted_list_get_entry (PalTrustedList *self)
{
  g_return_val_if_fail (PAL_IS_TRUSTED_LIST (self), NULL);
  return GTK_EDITABLE (self->entry);
}

gboolean
pal_trusted_list_select (PalTrustedList *self,
                         const char     *entry)
{
  const char * const *trusted;

  g_return_val_if_fail (PAL_IS_TRUSTED_LIST (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  trusted = self->document != NULL ? pal_document_get_trusted (self->document) : NULL;
  for (guint i = 0; trusted != NULL && trusted[i] != NULL; i++)
    if (g_str_equal (trusted[i], entry))
      {
        gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, (int) i));
        return TRUE;
      }
  return FALSE;
}

const char *
pal_trusted_list_get_error (PalTrustedList *self)
{
  g_return_val_if_fail (PAL_IS_TRUSTED_LIST (self), NULL);
  return gtk_label_get_text (self->error_label);
}

static void
pal_trusted_list_dispose (GObject *object)
{
  PalTrustedList *self = PAL_TRUSTED_LIST (object);

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  g_clear_object (&self->undo);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAL_TYPE_TRUSTED_LIST);

  G_OBJECT_CLASS (pal_trusted_list_parent_class)->dispose (object);
}

static void
pal_trusted_list_class_init (PalTrustedListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_trusted_list_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/palisade/Palisade/pal-trusted-list.ui");
  gtk_widget_class_bind_template_child (widget_class, PalTrustedList, list);
  gtk_widget_class_bind_template_child (widget_class, PalTrustedList, entry);
  gtk_widget_class_bind_template_child (widget_class, PalTrustedList, error_label);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);

  gtk_widget_class_install_action (widget_class, "trusted.add", NULL, add_activated);
  gtk_widget_class_install_action (widget_class, "trusted.remove", NULL, remove_activated);
}

static void
pal_trusted_list_init (PalTrustedList *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The empty state: say what the list is for, not only that it is empty. */
  placeholder = gtk_label_new (_("Nothing is trusted yet. Add the networks you administer from, "
                                 "so that a mistyped password never locks you out."));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_label_set_justify (GTK_LABEL (placeholder), GTK_JUSTIFY_CENTER);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->list, placeholder);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "trusted.remove", FALSE);
}
