/* pal-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-application.h"
#include "pal-autosave.h"
#include "pal-fwdoc.h"
#include "pal-templates.h"
#include "pal-triggered-page.h"
#include "pal-validator.h"
#include "pal-value.h"
#include "pal-window-private.h"

G_DEFINE_FINAL_TYPE (PalWindow, pal_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_LOG_VISIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------- title */

char *
_pal_window_get_display_name (PalWindow *self)
{
  if (self->file != NULL)
    {
      g_autofree char *basename = g_file_get_basename (self->file);

      return g_filename_display_name (basename);
    }
  return g_strdup (self->untitled_name != NULL ? self->untitled_name : _("Untitled Document"));
}

static char *
get_display_path (PalWindow *self)
{
  g_autoptr(GFile) parent = NULL;
  g_autoptr(GFile) home = NULL;
  g_autofree char *path = NULL;
  g_autofree char *relative = NULL;

  if (self->file == NULL)
    return g_strdup (_("Not saved"));

  parent = g_file_get_parent (self->file);
  if (parent == NULL)
    return g_file_get_parse_name (self->file);
  home = g_file_new_for_path (g_get_home_dir ());
  if (g_file_equal (parent, home))
    return g_strdup ("~");
  relative = g_file_get_relative_path (home, parent);
  if (relative != NULL)
    return g_strconcat ("~/", relative, NULL);
  path = g_file_get_parse_name (parent);
  return g_steal_pointer (&path);
}

static void
update_title (PalWindow *self)
{
  g_autofree char *name = _pal_window_get_display_name (self);
  g_autofree char *path = get_display_path (self);
  g_autofree char *title = NULL;
  g_autofree char *window_title = NULL;

  /* The mark IPNetSentryX put in the close button: unsaved changes. */
  if (pal_window_get_modified (self))
    title = g_strdup_printf ("• %s", name);
  else
    title = g_strdup (name);
  adw_window_title_set_title (self->title, title);
  adw_window_title_set_subtitle (self->title, path);

  window_title = g_strdup_printf (_("%s — Palisade"), title);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

/* The Triggered tab's live table: a template child without a struct field. */
static PalTriggeredPage *
get_triggered_page (PalWindow *self)
{
  return PAL_TRIGGERED_PAGE (gtk_widget_get_template_child (GTK_WIDGET (self), PAL_TYPE_WINDOW, "triggered_page"));
}

/* -------------------------------------------------------------- status */

const char *
pal_window_get_status (PalWindow *self)
{
  g_return_val_if_fail (PAL_IS_WINDOW (self), NULL);
  return gtk_label_get_text (self->status);
}

void
pal_window_set_status (PalWindow  *self,
                       gboolean    error,
                       const char *format,
                       ...)
{
  g_autofree char *text = NULL;
  va_list args;

  g_return_if_fail (PAL_IS_WINDOW (self));

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  gtk_label_set_text (self->status, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status), text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status), "error");
}

void
_pal_window_toast (PalWindow  *self,
                   const char *text)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

void
_pal_window_show_error (PalWindow    *self,
                        const char   *heading,
                        const GError *error)
{
  GtkWidget *dialog;

  pal_window_set_status (self, TRUE, "%s", error->message);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------ document */

static void
selection_changed_cb (PalWindow *self)
{
  _pal_window_update_edit_actions (self);
}

static void
undo_changed_cb (PalWindow *self)
{
  _pal_window_helper_document_changed (self);
  update_title (self);
  _pal_window_update_actions (self);
  /* A moved or toggled rule can change what its subtree shows as inactive. */
  pal_rule_outline_refresh_state (self->outline);
}

void
pal_window_set_document (PalWindow   *self,
                         PalDocument *document,
                         GFile       *file)
{
  g_return_if_fail (PAL_IS_WINDOW (self));
  g_return_if_fail (PAL_IS_DOCUMENT (document));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (self->undo != NULL)
    g_clear_signal_handler (&self->undo_changed_id, self->undo);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_func (self->document, _pal_window_helper_sync_switch, self);
  _pal_window_log_set_document (self, document);

  g_set_object (&self->document, document);
  self->settings_modified = FALSE;
  self->restored = FALSE;
  g_set_object (&self->file, file);
  g_clear_object (&self->undo);
  self->undo = pal_undo_stack_new (document);
  self->undo_changed_id = g_signal_connect_swapped (self->undo, "changed",
                                                    G_CALLBACK (undo_changed_cb), self);
  g_signal_connect_swapped (document, "notify::enabled", G_CALLBACK (_pal_window_helper_sync_switch), self);

  /* Counters belong to the rules that were applied, not to this document's. */
  pal_counter_table_clear (self->counters);
  pal_rule_outline_set_document (self->outline, document);
  g_signal_connect_object (pal_rule_outline_get_selection (self->outline), "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  _pal_window_helper_sync_switch (self);
  pal_interfaces_page_set_undo_stack (self->interfaces_page, self->undo);
  pal_trusted_list_set_undo_stack (self->trusted_list, self->undo);
  pal_ban_settings_set_undo_stack (self->ban_settings, self->undo);
  pal_triggered_page_set_document (get_triggered_page (self), document);
  undo_changed_cb (self);
}

void
_pal_window_set_untitled_name (PalWindow  *self,
                               const char *name)
{
  g_free (self->untitled_name);
  self->untitled_name = g_strdup (name);
  update_title (self);
}

void
_pal_window_set_document_enabled (PalWindow *self,
                                  gboolean   enabled)
{
  if (pal_document_get_enabled (self->document) == !!enabled)
    return;
  pal_document_set_enabled (self->document, enabled);
  self->settings_modified = TRUE;
  update_title (self);
}

PalDocument *
pal_window_get_document (PalWindow *self)
{
  g_return_val_if_fail (PAL_IS_WINDOW (self), NULL);
  return self->document;
}

GFile *
pal_window_get_file (PalWindow *self)
{
  g_return_val_if_fail (PAL_IS_WINDOW (self), NULL);
  return self->file;
}

PalUndoStack *
pal_window_get_undo_stack (PalWindow *self)
{
  g_return_val_if_fail (PAL_IS_WINDOW (self), NULL);
  return self->undo;
}

PalCounterTable *
pal_window_get_counters (PalWindow *self)
{
  g_return_val_if_fail (PAL_IS_WINDOW (self), NULL);
  return self->counters;
}

PalRuleOutline *
pal_window_get_outline (PalWindow *self)
{
  g_return_val_if_fail (PAL_IS_WINDOW (self), NULL);
  return self->outline;
}

GListModel *
pal_window_get_other_tables (PalWindow *self)
{
  g_return_val_if_fail (PAL_IS_WINDOW (self), NULL);
  return pal_other_tables_page_get_tables (self->other_tables_page);
}

gboolean
pal_window_get_modified (PalWindow *self)
{
  g_return_val_if_fail (PAL_IS_WINDOW (self), FALSE);
  return self->settings_modified || self->restored
         || (self->undo != NULL && pal_undo_stack_get_modified (self->undo));
}

void
pal_window_mark_restored (PalWindow *self)
{
  g_return_if_fail (PAL_IS_WINDOW (self));
  self->restored = TRUE;
  update_title (self);
  _pal_window_update_actions (self);
}

gboolean
pal_window_is_pristine (PalWindow *self)
{
  g_return_val_if_fail (PAL_IS_WINDOW (self), FALSE);
  return self->file == NULL && !pal_window_get_modified (self)
         && !pal_undo_stack_can_undo (self->undo);
}

gboolean
pal_window_load_file (PalWindow  *self,
                      GFile      *file,
                      GError    **error)
{
  g_autoptr(PalDocument) document = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (PAL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  document = pal_fwdoc_load_file (file, NULL, NULL, error);
  if (document == NULL)
    return FALSE;

  g_clear_pointer (&self->untitled_name, g_free);
  pal_window_set_document (self, document, file);
  name = _pal_window_get_display_name (self);
  pal_window_set_status (self, FALSE, _("Opened “%s”: %u rules"),
                         name, pal_document_count_rules (document));
  return TRUE;
}

gboolean
_pal_window_check_document (PalWindow  *self,
                            GError    **error)
{
  g_autoptr(GPtrArray) problems = pal_validate_document (self->document);
  PalProblem *first;
  g_autofree char *message = NULL;

  if (problems->len == 0)
    return TRUE;

  /* The first problem, named by its rule as the outline shows it, and that
   * rule selected so the marked cell is in view. */
  first = g_ptr_array_index (problems, 0);
  if (first->rule != NULL)
    {
      g_autoptr(GPtrArray) select = g_ptr_array_new ();

      message = g_strdup_printf (_("Rule “%s”: %s"), pal_rule_get_name (first->rule), first->message);
      g_ptr_array_add (select, first->rule);
      pal_rule_outline_select_rules (self->outline, select);
    }
  else
    message = g_strdup_printf ("%s: %s", first->path, first->message);
  if (problems->len > 1)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (and %u more problem)",
                                                            "%s (and %u more problems)",
                                                            problems->len - 1),
                                               message, problems->len - 1);
      g_free (message);
      message = g_steal_pointer (&more);
    }
  g_set_error_literal (error, PAL_DOCUMENT_ERROR, first->code, message);
  return FALSE;
}

gboolean
pal_window_save_file (PalWindow  *self,
                      GFile      *file,
                      GError    **error)
{
  g_autoptr(GError) invalid = NULL;
  g_autofree char *name = NULL;
  g_autofree char *uri = NULL;

  g_return_val_if_fail (PAL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  /* The reader validates what it reads: never write a file we could not
   * open again. */
  if (!_pal_window_check_document (self, &invalid))
    {
      g_set_error (error, invalid->domain, invalid->code, _("Not saved. %s"), invalid->message);
      pal_window_set_status (self, TRUE, "%s", (*error)->message);
      return FALSE;
    }

  if (!pal_fwdoc_save_file (self->document, file, NULL, error))
    {
      pal_window_set_status (self, TRUE, _("Could not save: %s"), (*error)->message);
      return FALSE;
    }

  g_set_object (&self->file, file);
  g_clear_pointer (&self->untitled_name, g_free);
  self->settings_modified = FALSE;
  self->restored = FALSE;
  pal_undo_stack_mark_clean (self->undo);
  uri = g_file_get_uri (file);
  gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
  name = _pal_window_get_display_name (self);
  pal_window_set_status (self, FALSE, _("Saved “%s”"), name);
  update_title (self);
  return TRUE;
}

/* -------------------------------------------------------------- closing */

static gboolean
close_idle_cb (gpointer data)
{
  g_autoptr(PalWindow) self = data;

  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

/* Closes once the dialog has finished answering: destroying the window
 * from inside the response would destroy the dialog under its own feet. */
void
_pal_window_close_later (PalWindow *self)
{
  g_idle_add (close_idle_cb, g_object_ref (self));
}

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   PalWindow        *self)
{
  if (g_strcmp0 (response, "discard") == 0)
    _pal_window_close_later (self);
  else if (g_strcmp0 (response, "save") == 0)
    {
      g_autoptr(GError) error = NULL;

      if (self->file == NULL)
        _pal_window_save_as (self, TRUE);
      else if (pal_window_save_file (self, self->file, &error))
        _pal_window_close_later (self);
      else
        _pal_window_show_error (self, _("Could Not Save the Document"), error);
    }
}

static gboolean
pal_window_close_request (GtkWindow *window)
{
  PalWindow *self = PAL_WINDOW (window);
  g_autofree char *name = NULL;
  GtkWidget *dialog;

  if (self->close_confirmed || !pal_window_get_modified (self))
    {
      /* Saved, or its changes discarded on purpose: the copy has served. */
      pal_autosave_discard (pal_autosave_for_window (self));
      return GTK_WINDOW_CLASS (pal_window_parent_class)->close_request (window);
    }

  name = _pal_window_get_display_name (self);
  dialog = adw_message_dialog_new (window, _("Save Changes?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” has unsaved changes. Changes which are not saved will be lost."),
                                  name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (close_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* ---------------------------------------------------------- file drops */

static gboolean
file_drop_cb (GtkDropTarget *target,
              const GValue  *value,
              double         x,
              double         y,
              PalWindow     *self)
{
  GSList *files = g_value_get_boxed (value);

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *uri = g_file_get_uri (l->data);

      gtk_widget_activate_action (GTK_WIDGET (self), "app.open-uri", "s", uri);
    }
  return files != NULL;
}

/* ------------------------------------------------------------- GObject */

static void
fill_templates_menu (PalWindow *self)
{
  guint n = 0;
  const PalTemplate *templates = pal_templates_get_all (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (pal_template_get_title (&templates[i]), NULL);

      g_menu_item_set_action_and_target (item, "app.new-from-template", "s", templates[i].id);
      g_menu_append_item (self->templates_section, item);
    }
}

/* The Tools menu: Expert View, Defaults, and Test as a real button, so it
 * can say (in its tooltip) why it is off. */
static void
setup_tools_menu (PalWindow *self)
{
  GtkWidget *popover = gtk_popover_menu_new_from_model (self->tools_menu);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Test"));
  GtkWidget *button = gtk_button_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.test");
  gtk_widget_set_tooltip_text (button, _("Coming with the Test feature"));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "menu-like");
  gtk_popover_menu_add_child (GTK_POPOVER_MENU (popover), button, "test");
  gtk_menu_button_set_popover (self->tools_menu_button, popover);
}

static void
pal_window_dispose (GObject *object)
{
  PalWindow *self = PAL_WINDOW (object);

  if (self->recent_changed_id != 0)
    g_clear_signal_handler (&self->recent_changed_id, gtk_recent_manager_get_default ());
  if (self->undo != NULL)
    g_clear_signal_handler (&self->undo_changed_id, self->undo);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_func (self->document, _pal_window_helper_sync_switch, self);
  _pal_window_log_set_document (self, NULL);
  _pal_window_helper_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PAL_TYPE_WINDOW);

  g_clear_object (&self->undo);
  g_clear_object (&self->document);
  g_clear_object (&self->counters);
  g_clear_object (&self->file);
  g_clear_pointer (&self->untitled_name, g_free);

  G_OBJECT_CLASS (pal_window_parent_class)->dispose (object);
}

static void
pal_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PalWindow *self = PAL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOG_VISIBLE:
      g_value_set_boolean (value, self->log_revealer != NULL
                                  && gtk_revealer_get_reveal_child (self->log_revealer));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pal_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PalWindow *self = PAL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOG_VISIBLE:
      if (gtk_revealer_get_reveal_child (self->log_revealer) == g_value_get_boolean (value))
        break;
      gtk_revealer_set_reveal_child (self->log_revealer, g_value_get_boolean (value));
      gtk_button_set_icon_name (GTK_BUTTON (self->log_button),
                                g_value_get_boolean (value) ? "pan-down-symbolic" : "pan-up-symbolic");
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pal_window_class_init (PalWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pal_window_dispose;
  object_class->get_property = pal_window_get_property;
  object_class->set_property = pal_window_set_property;

  /* The log drawer (lower left), as the win.show-log toggle. */
  properties[PROP_LOG_VISIBLE] =
    g_param_spec_boolean ("log-visible", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  window_class->close_request = pal_window_close_request;

  g_type_ensure (PAL_TYPE_RULE_OUTLINE);
  g_type_ensure (PAL_TYPE_LOG_DRAWER);
  g_type_ensure (PAL_TYPE_INTERFACES_PAGE);
  g_type_ensure (PAL_TYPE_TRIGGERED_PAGE);
  g_type_ensure (PAL_TYPE_OTHER_TABLES_PAGE);
  g_type_ensure (PAL_TYPE_TRUSTED_LIST);
  g_type_ensure (PAL_TYPE_BAN_SETTINGS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/palisade/Palisade/pal-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PalWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, title);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, firewall_box);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, firewall_switch);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, outline);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, interfaces_page);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, other_tables_stack_page);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, other_tables_page);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, trusted_list);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, ban_settings);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, log_revealer);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, log_button);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, log_drawer);
  /* Not in the struct: found with gtk_widget_get_template_child(). */
  gtk_widget_class_bind_template_child_full (widget_class, "triggered_page", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, status);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, apply_button);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, show_active_button);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, templates_section);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, recent_section);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, tools_menu);
  gtk_widget_class_bind_template_child (widget_class, PalWindow, tools_menu_button);

  _pal_window_class_actions_init (klass);
  _pal_window_class_edit_init (klass);
  _pal_window_class_helper_init (klass);
}

static void
pal_window_init (PalWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->counters = pal_counter_table_new ();
  pal_rule_outline_set_counters (self->outline, self->counters);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.test", FALSE);
  _pal_window_helper_init (self);
  _pal_window_startup_init (self);
  _pal_window_log_init (self);
  fill_templates_menu (self);
  setup_tools_menu (self);
  _pal_window_fill_recent (self);
  self->recent_changed_id = g_signal_connect_swapped (gtk_recent_manager_get_default (), "changed",
                                                      G_CALLBACK (_pal_window_fill_recent), self);

  /* Drop a .fwdoc from the file manager to open it. */
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (file_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

gboolean
pal_window_load_template (PalWindow   *self,
                          const char  *template_id,
                          GError     **error)
{
  const PalTemplate *tmpl;
  g_autoptr(PalDocument) document = NULL;

  g_return_val_if_fail (PAL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (template_id != NULL, FALSE);

  tmpl = pal_templates_lookup (template_id);
  document = pal_templates_load (template_id, error);
  if (document == NULL)
    return FALSE;

  pal_window_set_document (self, document, NULL);
  g_free (self->untitled_name);
  self->untitled_name = g_strdup (pal_template_get_title (tmpl));
  update_title (self);
  pal_window_set_status (self, FALSE,
                         _("New document from “%s”. Nothing reaches the firewall until you Apply it."),
                         self->untitled_name);
  return TRUE;
}

PalWindow *
pal_window_new (GtkApplication *application)
{
  PalWindow *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  self = g_object_new (PAL_TYPE_WINDOW, "application", application, NULL);
  _pal_window_helper_attach (self, PAL_IS_APPLICATION (application)
                                   ? pal_application_get_helper (PAL_APPLICATION (application)) : NULL);
  _pal_window_log_attach (self, self->helper);
  pal_triggered_page_set_helper (get_triggered_page (self), self->helper);
  if (!pal_window_load_template (self, "default", &error))
    {
      g_autoptr(PalDocument) document = pal_document_new ();

      /* A shipped template that does not load is a packaging bug; still
       * give the user a window to work in, and say why it is empty. */
      pal_window_set_document (self, document, NULL);
      pal_window_set_status (self, TRUE, _("The default document could not be read: %s"),
                             error->message);
    }
  return self;
}
