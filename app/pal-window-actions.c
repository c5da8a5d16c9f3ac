/* pal-window-actions.c — the window's document, tool and undo actions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-fwdoc.h"
#include "pal-templates.h"
#include "pal-window-private.h"

#define MAX_RECENT 10

static GtkFileFilter *
create_fwdoc_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Firewall Documents"));
  gtk_file_filter_add_mime_type (filter, "application/x-fwdoc");
  gtk_file_filter_add_suffix (filter, "fwdoc");
  return filter;
}

/* ------------------------------------------------------------------ open */

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  PalWindow       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *uri = g_file_get_uri (file);

      /* The application decides: this window if it is still pristine,
       * the file's own window if it is open, else a new one. */
      gtk_widget_activate_action (GTK_WIDGET (self), "app.open-uri", "s", uri);
    }
  g_object_unref (dialog);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = create_fwdoc_filter ();

  dialog = gtk_file_chooser_native_new (_("Open Firewall Document"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static gint
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GtkRecentInfo *info_a = *(GtkRecentInfo **) a;
  GtkRecentInfo *info_b = *(GtkRecentInfo **) b;
  /* Owned by the infos (transfer none in GTK 4): not to be unreffed. */
  GDateTime *time_a = gtk_recent_info_get_modified (info_a);
  GDateTime *time_b = gtk_recent_info_get_modified (info_b);

  return g_date_time_compare (time_b, time_a);
}

static gboolean
is_recent_fwdoc (GtkRecentInfo *info)
{
  return g_str_has_suffix (gtk_recent_info_get_uri (info), ".fwdoc")
         || g_strcmp0 (gtk_recent_info_get_mime_type (info), "application/x-fwdoc") == 0;
}

void
_pal_window_fill_recent (PalWindow *self)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  g_autoptr(GPtrArray) recent = g_ptr_array_new ();

  for (GList *l = items; l != NULL; l = l->next)
    if (is_recent_fwdoc (l->data) && gtk_recent_info_exists (l->data))
      g_ptr_array_add (recent, l->data);
  g_ptr_array_sort (recent, compare_recent);

  g_menu_remove_all (self->recent_section);
  for (guint i = 0; i < MIN (recent->len, MAX_RECENT); i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (recent, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (gtk_recent_info_get_display_name (info), NULL);

      g_menu_item_set_action_and_target (item, "app.open-uri", "s", gtk_recent_info_get_uri (info));
      g_menu_append_item (self->recent_section, item);
    }
  if (recent->len == 0)
    g_menu_append (self->recent_section, _("No Recent Documents"), "win.none");

  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

/* ------------------------------------------------------------------ save */

typedef struct
{
  PalWindow *window;
  gboolean   close_after;
} SaveAsData;

static GFile *
with_fwdoc_suffix (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autoptr(GFile) parent = NULL;
  g_autofree char *name = NULL;

  if (g_str_has_suffix (basename, ".fwdoc"))
    return g_object_ref (file);
  parent = g_file_get_parent (file);
  name = g_strconcat (basename, ".fwdoc", NULL);
  return g_file_get_child (parent, name);
}

static void
save_as_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     SaveAsData      *data)
{
  PalWindow *self = data->window;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GFile) file = with_fwdoc_suffix (chosen);
      g_autoptr(GError) error = NULL;

      if (!pal_window_save_file (self, file, &error))
        _pal_window_show_error (self, _("Could Not Save the Document"), error);
      else if (data->close_after)
        _pal_window_close_later (self);
    }
  g_object_unref (dialog);
  g_object_unref (data->window);
  g_free (data);
}

void
_pal_window_save_as (PalWindow *self,
                     gboolean   close_after)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = create_fwdoc_filter ();
  g_autofree char *name = NULL;
  SaveAsData *data;

  dialog = gtk_file_chooser_native_new (_("Save Firewall Document"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  if (self->file != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), self->file, NULL);
  else
    {
      name = g_strconcat (self->untitled_name != NULL ? self->untitled_name : _("Untitled"),
                          ".fwdoc", NULL);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
    }

  data = g_new0 (SaveAsData, 1);
  data->window = g_object_ref (self);
  data->close_after = close_after;
  g_signal_connect (dialog, "response", G_CALLBACK (save_as_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->file == NULL)
    _pal_window_save_as (self, FALSE);
  else if (!pal_window_save_file (self, self->file, &error))
    _pal_window_show_error (self, _("Could Not Save the Document"), error);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _pal_window_save_as (PAL_WINDOW (widget), FALSE);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* ------------------------------------------------------------------ undo */

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  g_autofree char *label = g_strdup (pal_undo_stack_get_undo_label (self->undo));

  if (pal_undo_stack_undo (self->undo))
    pal_window_set_status (self, FALSE, _("Undid: %s"), label);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  g_autofree char *label = g_strdup (pal_undo_stack_get_redo_label (self->undo));

  if (pal_undo_stack_redo (self->undo))
    pal_window_set_status (self, FALSE, _("Redid: %s"), label);
}

/* ----------------------------------------------------------------- tools */

static void
defaults_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  g_autoptr(PalDocument) defaults = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;
  guint n;

  defaults = pal_templates_load ("default", &error);
  if (defaults == NULL)
    {
      pal_window_set_status (self, TRUE, _("The default document could not be read: %s"),
                             error->message);
      return;
    }

  /* Only the outline is replaced, as IPNetSentryX's Defaults button did;
   * the document's other settings stay. One command: Undo brings back the
   * whole previous outline. */
  model = pal_document_get_rules (defaults);
  n = g_list_model_get_n_items (model);
  rules = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (rules, g_list_model_get_item (model, i));

  pal_undo_stack_begin (self->undo, _("Defaults"));
  pal_undo_stack_set_rules (self->undo, rules);
  pal_undo_stack_end (self->undo);
  pal_window_set_status (self, FALSE, _("Restored the default rules (%u). Undo brings back the previous ones."),
                         pal_document_count_rules (self->document));
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  /* Disabled: the Test feature has its own issue. */
}

static void
show_tab_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, name);
}

void
_pal_window_update_actions (PalWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "win.undo", pal_undo_stack_can_undo (self->undo));
  gtk_widget_action_set_enabled (widget, "win.redo", pal_undo_stack_can_redo (self->undo));
  _pal_window_update_edit_actions (self);
}

void
_pal_window_class_actions_init (PalWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.defaults", NULL, defaults_action);
  gtk_widget_class_install_action (widget_class, "win.test", NULL, test_action);
  gtk_widget_class_install_property_action (widget_class, "win.show-log", "log-visible");
  gtk_widget_class_install_action (widget_class, "win.show-tab", "s", show_tab_action);

  /* Window-level bindings run after the focused widget: while a cell is
   * being edited, Ctrl+Z undoes typing, not the document. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.redo", NULL);
}
