/* pal-window-helper.c — what the window asks of palisade-helper: Apply,
 * Show Active, Expert View, the master switch, apply-on-open and the live
 * counters, through the application's PalHelperClient.
 *
 * While the helper cannot be reached these controls stay insensitive and
 * their tooltips say why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-autosave.h"
#include "pal-application.h"
#include "pal-enum-types.h"
#include "pal-helper-error.h"
#include "pal-window-private.h"

/* The kernel names a change by the thread that made it: the helper's main
 * thread "palisade-helper" or a worker "pool-palisade-h" (15 bytes). */
static gboolean
is_helper_program (const char *program)
{
  return program != NULL && strstr (program, "palisade-h") != NULL;
}

static const char *helper_actions[] = {
  "win.apply", "win.show-active", "win.expert-view", "win.set-firewall"
};

/* -------------------------------------------------------------- state */

static gboolean
helper_ready (PalWindow *self)
{
  return self->helper != NULL && pal_helper_client_get_available (self->helper);
}

static void
update_sensitivity (PalWindow *self)
{
  gboolean ready = helper_ready (self);
  const char *why = NULL;

  if (!ready)
    why = self->helper != NULL ? pal_helper_client_get_unavailable_reason (self->helper)
                               : _("Not connected to the Palisade helper");
  for (guint i = 0; i < G_N_ELEMENTS (helper_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), helper_actions[i], ready && !self->helper_busy);
  gtk_widget_set_tooltip_text (self->apply_button,
                               ready ? _("Send this document to the firewall (Ctrl+Return)") : why);
  gtk_widget_set_tooltip_text (self->show_active_button,
                               ready ? _("Replace the rules with those the firewall runs now") : why);
  gtk_widget_set_sensitive (GTK_WIDGET (self->firewall_switch), ready && !self->helper_busy);
  gtk_widget_set_tooltip_text (self->firewall_box,
                               ready ? _("Turns all filtering on or off; the rules stay loaded") : why);
}

/* The switch shows the kernel when the helper is there, else what the
 * document was saved with. */
void
_pal_window_helper_sync_switch (PalWindow *self)
{
  gboolean on;

  if (self->document == NULL)
    return;
  on = helper_ready (self) ? pal_helper_client_get_enabled (self->helper)
                           : pal_document_get_enabled (self->document);

  self->syncing_switch = TRUE;
  gtk_switch_set_active (self->firewall_switch, on);
  gtk_switch_set_state (self->firewall_switch, on);
  self->syncing_switch = FALSE;
}

static void
set_mirrors_kernel (PalWindow *self,
                    gboolean   mirrors)
{
  self->mirrors_kernel = mirrors;
}

void
_pal_window_helper_document_changed (PalWindow *self)
{
  /* Counters refresh only while the document is what the kernel runs; the
   * last values stay on screen. */
  set_mirrors_kernel (self, FALSE);
  /* Unsaved changes are kept for after a crash (pal-autosave.h). */
  pal_autosave_changed (pal_autosave_for_window (self));
}

gboolean
_pal_window_helper_get_mirrors_kernel (PalWindow *self)
{
  return self->mirrors_kernel;
}

/* Another window applied its document: this one no longer mirrors. */
static void
supersede_other_windows (PalWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (PAL_IS_WINDOW (l->data) && l->data != self)
      set_mirrors_kernel (l->data, FALSE);
}

/* A call cancelled because the window closed: nothing to show any more. */
static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* An answer that arrives after the window closed (its widgets are gone),
 * even one the cancellation came too late for. */
static gboolean
window_gone (PalWindow *self)
{
  return self->helper_cancellable == NULL || g_cancellable_is_cancelled (self->helper_cancellable)
         || gtk_window_get_application (GTK_WINDOW (self)) == NULL;
}

/* ------------------------------------------------------------ counters */

static void
counters_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PalWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) counters = NULL;

  counters = pal_helper_client_get_counters_finish (PAL_HELPER_CLIENT (source), result, &error);
  self->counters_pending = FALSE;
  if (window_gone (self))
    return;
  if (counters == NULL)
    {
      if (!is_cancelled (error))
        pal_window_set_status (self, TRUE, _("Could not read the counters: %s"), error->message);
      return;
    }
  if (self->mirrors_kernel
      && !pal_counter_table_update (self->counters, counters, g_get_monotonic_time (), &error))
    pal_window_set_status (self, TRUE, _("Could not read the counters: %s"), error->message);
}

void
_pal_window_helper_refresh_counters (PalWindow *self)
{
  if (!helper_ready (self) || self->counters_pending)
    return;
  self->counters_pending = TRUE;
  pal_helper_client_get_counters_async (self->helper, pal_counter_table_get_layout (self->counters),
                                        self->helper_cancellable, counters_cb, g_object_ref (self));
}

static gboolean
counters_tick_cb (gpointer data)
{
  PalWindow *self = data;

  /* Once a second, only while someone can see it and it means something. */
  if (self->mirrors_kernel && gtk_widget_get_mapped (GTK_WIDGET (self)))
    _pal_window_helper_refresh_counters (self);
  return G_SOURCE_CONTINUE;
}

/* --------------------------------------------------------------- apply */

static void
show_helper_error (PalWindow    *self,
                   const char   *what,
                   const GError *error)
{
  /* A refused document can have many located problems: they go to a
   * dialog; the status field keeps one line. */
  if (g_error_matches (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT)
      && strchr (error->message, '\n') != NULL)
    _pal_window_show_error (self, what, error);
  pal_window_set_status (self, TRUE, "%s: %s", what, error->message);
}

typedef struct
{
  PalWindow *window;
  gboolean   turn_on;     /* apply-on-open: switch the firewall on after */
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_object_unref (data->window);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApplyData, apply_data_free)

static void
turned_on_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PalWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = _pal_window_get_display_name (self);
  g_autofree char *text = NULL;

  if (!pal_helper_client_set_enabled_finish (PAL_HELPER_CLIENT (source), result, &error))
    {
      if (!window_gone (self))
        show_helper_error (self, _("The firewall was not turned on"), error);
      return;
    }
  if (window_gone (self))
    return;
  _pal_window_helper_sync_switch (self);
  text = g_strdup_printf (_("“%s” was saved On: it is applied and the firewall is on"), name);
  pal_window_set_status (self, FALSE, "%s", text);
  _pal_window_toast (self, text);
}

static void
applied_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ApplyData) data = user_data;
  PalWindow *self = data->window;
  g_autoptr(GError) error = NULL;
  gboolean applied = pal_helper_client_apply_finish (PAL_HELPER_CLIENT (source), result, &error);
  guint count;

  if (window_gone (self))
    return;
  self->helper_busy = FALSE;
  update_sensitivity (self);
  if (!applied)
    {
      show_helper_error (self, _("Not applied"), error);
      /* Someone else changed our table: say who, offer the ways on. */
      if (g_error_matches (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_CONFLICT))
        _pal_window_confirm_conflict (self, error->message, data->turn_on);
      return;
    }
  count = pal_document_count_rules (self->document);

  supersede_other_windows (self);
  set_mirrors_kernel (self, TRUE);
  pal_counter_table_clear (self->counters);
  _pal_window_helper_refresh_counters (self);
  _pal_window_confirm_start (self);

  if (data->turn_on)
    {
      pal_helper_client_set_enabled_async (self->helper, TRUE, self->helper_cancellable,
                                           turned_on_cb, g_object_ref (self));
      return;
    }
  if (pal_helper_client_get_enabled (self->helper))
    pal_window_set_status (self, FALSE,
                           g_dngettext (GETTEXT_PACKAGE, "Applied %u rule: the firewall runs this document",
                                        "Applied %u rules: the firewall runs this document", count),
                           count);
  else
    pal_window_set_status (self, FALSE,
                           g_dngettext (GETTEXT_PACKAGE, "Applied %u rule. The firewall is off: turn it on to enforce it",
                                        "Applied %u rules. The firewall is off: turn it on to enforce them", count),
                           count);
  _pal_window_toast (self, _("Applied"));
}

/* After the checks (and the lockout warning, if any, was answered). */
void
_pal_window_helper_start_apply (PalWindow *self,
                                gboolean   turn_on)
{
  ApplyData *data;

  if (!helper_ready (self) || self->helper_busy)
    return;
  self->helper_busy = TRUE;
  update_sensitivity (self);
  pal_window_set_status (self, FALSE, "%s", _("Applying…"));
  _pal_window_confirm_prepare (self);
  data = g_new0 (ApplyData, 1);
  data->window = g_object_ref (self);
  data->turn_on = turn_on;
  pal_helper_client_apply_async (self->helper, self->document, self->helper_cancellable,
                                 applied_cb, data);
}

static void
apply (PalWindow *self,
       gboolean   turn_on)
{
  g_autoptr(GError) error = NULL;

  if (!helper_ready (self) || self->helper_busy)
    return;
  /* The helper would refuse it too, but here the rule is selected. */
  if (!_pal_window_check_document (self, &error))
    {
      pal_window_set_status (self, TRUE, _("Not applied. %s"), error->message);
      return;
    }
  /* Would it cut the SSH session or IPv6? Then ask first. */
  if (_pal_window_confirm_lockout (self, turn_on))
    return;
  _pal_window_helper_start_apply (self, turn_on);
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  apply (PAL_WINDOW (widget), FALSE);
}

/* --------------------------------------------------------- show active */

static GPtrArray *
top_level_rules (PalDocument *document)
{
  GListModel *model = pal_document_get_rules (document);
  guint n = g_list_model_get_n_items (model);
  GPtrArray *rules = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (rules, g_list_model_get_item (model, i));
  return rules;
}

static void
other_tables_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PalWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) tables = NULL;

  tables = pal_helper_client_get_other_tables_finish (PAL_HELPER_CLIENT (source), result, &error);
  if (window_gone (self))
    return;
  if (tables == NULL)
    pal_other_tables_page_set_error (self->other_tables_page, error->message);
  else
    pal_other_tables_page_set_tables (self->other_tables_page, tables);
  adw_view_stack_page_set_badge_number (self->other_tables_stack_page,
                                        tables != NULL ? g_list_model_get_n_items (tables) : 0);
  adw_view_stack_page_set_visible (self->other_tables_stack_page, TRUE);
}

/* Beside the kernel's outline: the other tables a packet must pass. */
static void
read_other_tables (PalWindow *self)
{
  pal_helper_client_get_other_tables_async (self->helper, self->helper_cancellable,
                                            other_tables_cb, g_object_ref (self));
}

static void
shown_active_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PalWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) active = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  /* The settings that go with the outline: what the firewall bans and logs with. */
  static const char * const settings[] = {
    "default-verdict", "log-denied", "trigger-duration", "trusted", "adaptive",
  };
  guint count;

  active = pal_helper_client_get_active_finish (PAL_HELPER_CLIENT (source), result, &error);
  if (window_gone (self))
    return;
  self->helper_busy = FALSE;
  update_sensitivity (self);
  if (active == NULL)
    {
      show_helper_error (self, _("Could not read the active rules"), error);
      return;
    }

  /* The kernel's outline with its ids, so the counters keep mapping; one
   * command, so Undo brings the edited outline back. */
  rules = top_level_rules (active);
  pal_undo_stack_begin (self->undo, _("Show Active"));
  pal_undo_stack_set_rules (self->undo, rules);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_object_get_property (G_OBJECT (active), settings[i], &value);
      pal_undo_stack_set (self->undo, G_OBJECT (self->document), settings[i], &value);
    }
  pal_undo_stack_end (self->undo);

  set_mirrors_kernel (self, TRUE);
  _pal_window_helper_refresh_counters (self);
  read_other_tables (self);
  count = pal_document_count_rules (self->document);
  pal_window_set_status (self, FALSE,
                         g_dngettext (GETTEXT_PACKAGE, "Showing the %u rule the firewall runs now",
                                      "Showing the %u rules the firewall runs now", count),
                         count);
}

static void
show_active_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);

  if (!helper_ready (self) || self->helper_busy)
    return;
  self->helper_busy = TRUE;
  update_sensitivity (self);
  pal_helper_client_get_active_async (self->helper, self->helper_cancellable,
                                      shown_active_cb, g_object_ref (self));
}

/* --------------------------------------------------------- expert view */

static void
expert_view_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PalWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) active = NULL;
  PalWindow *window;

  active = pal_helper_client_get_active_finish (PAL_HELPER_CLIENT (source), result, &error);
  if (window_gone (self))
    return;
  if (active == NULL)
    {
      show_helper_error (self, _("Could not read the active rules"), error);
      return;
    }

  /* A new window: the edited document stays as it is. */
  window = pal_window_new (gtk_window_get_application (GTK_WINDOW (self)));
  pal_window_set_document (window, active, NULL);
  _pal_window_set_untitled_name (window, _("Active Settings"));
  set_mirrors_kernel (window, TRUE);
  _pal_window_helper_refresh_counters (window);
  read_other_tables (window);
  pal_window_set_status (window, FALSE, "%s", _("The settings the firewall runs now"));
  gtk_window_present (GTK_WINDOW (window));
}

static void
expert_view_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PalWindow *self = PAL_WINDOW (widget);

  if (!helper_ready (self))
    return;
  pal_helper_client_get_active_async (self->helper, self->helper_cancellable,
                                      expert_view_cb, g_object_ref (self));
}

/* ------------------------------------------------------- master switch */

static void
switched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PalWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean switched = pal_helper_client_set_enabled_finish (PAL_HELPER_CLIENT (source), result, &error);
  gboolean on;

  if (window_gone (self))
    return;
  self->helper_busy = FALSE;
  update_sensitivity (self);
  if (!switched)
    {
      show_helper_error (self, _("The firewall was not switched"), error);
      _pal_window_helper_sync_switch (self);
      return;
    }

  /* Saved with the document: a document saved On applies itself when
   * opened (IPNetSentryX's login items). */
  on = pal_helper_client_get_enabled (self->helper);
  _pal_window_set_document_enabled (self, on);
  _pal_window_helper_sync_switch (self);
  pal_window_set_status (self, FALSE, "%s", on ? _("The firewall is on") : _("The firewall is off: nothing is filtered"));
}

static void
set_firewall (PalWindow *self,
              gboolean   on)
{
  if (!helper_ready (self) || self->helper_busy)
    {
      _pal_window_helper_sync_switch (self);
      return;
    }
  self->helper_busy = TRUE;
  update_sensitivity (self);
  pal_helper_client_set_enabled_async (self->helper, on, self->helper_cancellable,
                                       switched_cb, g_object_ref (self));
}

static gboolean
switch_state_set_cb (GtkSwitch *sw,
                     gboolean   state,
                     PalWindow *self)
{
  if (self->syncing_switch)
    return FALSE;
  /* The switch moves when the kernel has switched, not before. */
  set_firewall (self, state);
  return TRUE;
}

/* The same as the switch, for the keyboard and the tests. */
static void
set_firewall_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  set_firewall (PAL_WINDOW (widget), g_variant_get_boolean (parameter));
}

/* --------------------------------------------------------- apply on open */

void
_pal_window_helper_apply_on_open (PalWindow *self)
{
  g_autofree char *name = _pal_window_get_display_name (self);
  g_autofree char *text = NULL;

  if (helper_ready (self))
    {
      apply (self, TRUE);
      return;
    }
  if (self->helper == NULL || pal_helper_client_get_failed (self->helper))
    {
      text = g_strdup_printf (_("“%s” was saved On, but nothing was applied: %s"), name,
                              self->helper != NULL ? pal_helper_client_get_unavailable_reason (self->helper)
                                                   : _("Not connected to the Palisade helper"));
      pal_window_set_status (self, TRUE, "%s", text);
      _pal_window_toast (self, text);
      return;
    }
  /* Still connecting: done when the helper answers. */
  self->apply_on_open = TRUE;
}

/* -------------------------------------------------------------- signals */

static void
helper_available_cb (PalWindow *self)
{
  update_sensitivity (self);
  _pal_window_helper_sync_switch (self);
  if (self->apply_on_open)
    {
      self->apply_on_open = FALSE;
      _pal_window_helper_apply_on_open (self);
    }
}

static void
helper_changed_cb (PalWindow  *self,
                   guint       generation,
                   const char *program)
{
  if (!self->mirrors_kernel || is_helper_program (program))
    return;
  /* Someone else changed our table: the document no longer says what runs. */
  set_mirrors_kernel (self, FALSE);
  pal_window_set_status (self, TRUE,
                         _("“%s” changed the firewall. Show Active shows what it runs now."),
                         program);
}

/* A change applied with confirmation was undone: by the countdown, by
 * Revert, or because its client left. Only the window that shows what
 * runs (or asked) has something to say. */
static void
helper_rolled_back_cb (PalWindow  *self,
                       const char *reason)
{
  if (!self->mirrors_kernel && self->confirm_dialog == NULL)
    return;
  set_mirrors_kernel (self, FALSE);
  _pal_window_confirm_rolled_back (self, reason);
}

void
_pal_window_helper_attach (PalWindow       *self,
                           PalHelperClient *helper)
{
  g_return_if_fail (self->helper == NULL);

  if (helper != NULL)
    {
      self->helper = g_object_ref (helper);
      g_signal_connect_object (helper, "notify::available", G_CALLBACK (helper_available_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (helper, "notify::enabled", G_CALLBACK (_pal_window_helper_sync_switch),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (helper, "changed", G_CALLBACK (helper_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (helper, "rolled-back", G_CALLBACK (helper_rolled_back_cb),
                               self, G_CONNECT_SWAPPED);
    }
  update_sensitivity (self);
  _pal_window_helper_sync_switch (self);
}

/* gtk_window_destroy() takes the window from its application long before
 * the last reference (held by calls on the way) goes: stop them then. */
static void
application_changed_cb (PalWindow *self)
{
  if (gtk_window_get_application (GTK_WINDOW (self)) == NULL && self->helper_cancellable != NULL)
    g_cancellable_cancel (self->helper_cancellable);
}

void
_pal_window_helper_init (PalWindow *self)
{
  g_signal_connect (self, "notify::application", G_CALLBACK (application_changed_cb), NULL);
  self->helper_cancellable = g_cancellable_new ();
  self->counters_source = g_timeout_add_seconds (1, counters_tick_cb, self);
  g_signal_connect (self->firewall_switch, "state-set", G_CALLBACK (switch_state_set_cb), self);
  update_sensitivity (self);
}

void
_pal_window_helper_dispose (PalWindow *self)
{
  _pal_window_confirm_dispose (self);
  g_cancellable_cancel (self->helper_cancellable);
  g_clear_object (&self->helper_cancellable);
  g_clear_handle_id (&self->counters_source, g_source_remove);
  g_clear_object (&self->helper);
}

void
_pal_window_class_helper_init (PalWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "win.show-active", NULL, show_active_action);
  gtk_widget_class_install_action (widget_class, "win.expert-view", NULL, expert_view_action);
  gtk_widget_class_install_action (widget_class, "win.set-firewall", "b", set_firewall_action);
}
