/* test-window-confirm.c — "Keep these firewall settings?" against the real
 * helper.
 *
 * Starts "palisade-helper --sandbox" (its own user and network namespace
 * and bus), with a preference of a 5-second countdown, and checks: Apply
 * shows the dialog counting down; Keep keeps the change past the
 * countdown; Revert and the countdown running out both bring back the
 * previous settings and the window says so. The Preferences window turns
 * the question off for a local session only: with it off Apply does not
 * ask, unless SSH_CONNECTION says the session runs over SSH.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "pal-application.h"
#include "pal-apply-settings.h"
#include "pal-confirm-dialog.h"
#include "pal-preferences-window.h"
#include "pal-window.h"

#include "gui-test-util.h"

#define TIMEOUT_S 20
#define COUNTDOWN_S 5

static PalApplication *application;
static GSubprocess *helper;
static char *runtime_dir;
static char *config_dir;

static gboolean
helper_available (gpointer data)
{
  return pal_helper_client_get_available (pal_application_get_helper (application));
}

/* The confirmation dialog among the toplevels, or NULL. */
static PalConfirmDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (PAL_IS_CONFIRM_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
        return PAL_CONFIRM_DIALOG (item);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog () == NULL;
}

static gboolean
waited (gpointer data)
{
  return g_get_monotonic_time () > *(gint64 *) data;
}

static PalWindow *
new_window (void)
{
  PalWindow *window = pal_window_new (GTK_APPLICATION (application));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
close_window (PalWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Applies the window's document and returns the dialog it shows. */
static PalConfirmDialog *
apply_and_get_dialog (PalWindow *window)
{
  PalConfirmDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  gui_test_wait_for_status (window, "Applied", TIMEOUT_S);
  g_assert_true (gui_test_wait_for (dialog_shown, NULL, TIMEOUT_S));
  dialog = find_dialog ();
  g_assert_cmpuint (pal_confirm_dialog_get_remaining (dialog), <=, COUNTDOWN_S);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Reverting in "));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Keep these firewall settings?");
  return dialog;
}

static void
test_keep (void)
{
  PalWindow *window = new_window ();
  PalConfirmDialog *dialog = apply_and_get_dialog (window);
  gint64 later = g_get_monotonic_time () + (COUNTDOWN_S + 2) * G_USEC_PER_SEC;

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  gui_test_wait_for_status (window, "Kept the new firewall settings", TIMEOUT_S);
  g_assert_true (gui_test_wait_for (dialog_gone, NULL, TIMEOUT_S));
  /* Past the countdown: still kept, nothing rolled back. */
  gui_test_wait_for (waited, &later, TIMEOUT_S);
  g_assert_true (g_str_has_prefix (pal_window_get_status (window), "Kept the new firewall settings"));
  close_window (window);
}

static void
test_revert (void)
{
  PalWindow *window = new_window ();
  PalConfirmDialog *dialog = apply_and_get_dialog (window);

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "revert");
  gui_test_wait_for_status (window, "The previous firewall settings are back: refused by the client that applied", TIMEOUT_S);
  g_assert_true (gui_test_wait_for (dialog_gone, NULL, TIMEOUT_S));
  close_window (window);
}

/* Nobody answers: the countdown ticks, and the helper rolls back. */
static void
test_expire (void)
{
  PalWindow *window = new_window ();
  PalConfirmDialog *dialog = apply_and_get_dialog (window);
  guint first = pal_confirm_dialog_get_remaining (dialog);
  gint64 tick = g_get_monotonic_time () + 2500 * 1000;

  gui_test_wait_for (waited, &tick, TIMEOUT_S);
  if (find_dialog () != NULL)
    g_assert_cmpuint (pal_confirm_dialog_get_remaining (find_dialog ()), <, first);
  gui_test_wait_for_status (window, "The previous firewall settings are back: not confirmed within 5 s", TIMEOUT_S);
  g_assert_true (gui_test_wait_for (dialog_gone, NULL, TIMEOUT_S));
  close_window (window);
}

/* The lockout warning: a document that drops everything, applied over
 * SSH, asks first; Cancel applies nothing, Apply Anyway applies. */
static AdwMessageDialog *
find_lockout_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item) && !PAL_IS_CONFIRM_DIALOG (item)
          && gtk_widget_get_visible (GTK_WIDGET (item)))
        return ADW_MESSAGE_DIALOG (item);
    }
  return NULL;
}

static gboolean
lockout_shown (gpointer data)
{
  return find_lockout_dialog () != NULL;
}

static gboolean
lockout_or_applied (gpointer data)
{
  return find_lockout_dialog () != NULL || g_str_has_prefix (pal_window_get_status (data), "Applied");
}

static void
test_lockout (void)
{
  PalWindow *window = new_window ();
  PalDocument *document = pal_window_get_document (window);
  AdwMessageDialog *dialog;
  PalConfirmDialog *confirm;

  for (guint i = 0; i < g_list_model_get_n_items (pal_document_get_rules (document)); i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (pal_document_get_rules (document), i);

      pal_rule_set_enabled (rule, FALSE);
    }
  pal_document_set_default_verdict (document, PAL_VERDICT_DROP);
  g_setenv ("SSH_CONNECTION", "192.0.2.1 50000 198.51.100.2 22", TRUE);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  g_assert_true (gui_test_wait_for (lockout_shown, NULL, TIMEOUT_S));
  dialog = find_lockout_dialog ();
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "This document would block your SSH connection from 192.0.2.1 to port 22"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "IPv6 neighbour"));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  gui_test_wait_for_status (window, "Not applied", TIMEOUT_S);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  g_assert_true (gui_test_wait_for (lockout_shown, NULL, TIMEOUT_S));
  dialog = find_lockout_dialog ();
  adw_message_dialog_response (dialog, "apply");
  gtk_window_close (GTK_WINDOW (dialog));
  gui_test_wait_for_status (window, "Applied", TIMEOUT_S);
  g_assert_true (gui_test_wait_for (dialog_shown, NULL, TIMEOUT_S));
  confirm = find_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "revert");
  gui_test_wait_for_status (window, "The previous firewall settings are back", TIMEOUT_S);
  g_unsetenv ("SSH_CONNECTION");
  close_window (window);
}

/* Conflict: another program changed the table; the window says who and
 * Apply Anyway goes through. */
static AdwMessageDialog *
find_heading (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item))
          && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (item)), heading) == 0)
        return ADW_MESSAGE_DIALOG (item);
    }
  return NULL;
}

static gboolean
conflict_shown (gpointer data)
{
  return find_heading ("Another program changed the firewall") != NULL;
}

static void
keep_after_apply (PalWindow *window)
{
  gui_test_wait_for_status (window, "Applied", TIMEOUT_S);
  g_assert_true (gui_test_wait_for (dialog_shown, NULL, TIMEOUT_S));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_dialog ()), "keep");
  gui_test_wait_for_status (window, "Kept the new firewall settings", TIMEOUT_S);
}

static void
test_conflict (void)
{
  PalWindow *window = new_window ();
  g_autofree char *command = g_strdup_printf ("nsenter -t %s -n nft add rule inet palisade input counter",
                                              g_subprocess_get_identifier (helper));
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  int status = 0;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  keep_after_apply (window);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  g_assert_true (gui_test_wait_for (conflict_shown, NULL, TIMEOUT_S));
  dialog = find_heading ("Another program changed the firewall");
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "(nft)"));
  g_assert_true (adw_message_dialog_has_response (dialog, "show-active"));
  g_assert_true (adw_message_dialog_has_response (dialog, "expert-view"));
  adw_message_dialog_response (dialog, "apply");
  gtk_window_close (GTK_WINDOW (dialog));
  keep_after_apply (window);
  close_window (window);
}

/* The preference: off counts in a local session only. */
static void
test_preference (void)
{
  g_autoptr(GError) error = NULL;

  g_unsetenv ("SSH_CONNECTION");
  g_unsetenv ("SSH_CLIENT");
  g_assert_true (pal_apply_settings_set_confirm (FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (pal_apply_settings_get_confirm ());
  g_assert_cmpuint (pal_apply_settings_get_confirm_seconds (), ==, 0);
  g_setenv ("SSH_CONNECTION", "192.0.2.1 50000 192.0.2.2 22", TRUE);
  g_assert_true (pal_apply_settings_is_remote ());
  g_assert_cmpuint (pal_apply_settings_get_confirm_seconds (), ==, COUNTDOWN_S);
  g_unsetenv ("SSH_CONNECTION");
  g_assert_true (pal_apply_settings_set_confirm (TRUE, &error));
  g_assert_cmpuint (pal_apply_settings_get_confirm_seconds (), ==, COUNTDOWN_S);
}


/* The Preferences window: its switch turns the question off for a local
 * session; over SSH it shows the override and Apply asks anyway. */
static PalPreferencesWindow *
open_preferences (PalWindow *window)
{
  PalPreferencesWindow *preferences = pal_preferences_window_new (GTK_WINDOW (window));

  gtk_window_present (GTK_WINDOW (preferences));
  gui_test_flush ();
  return preferences;
}

static GtkSwitch *
confirm_switch (PalPreferencesWindow *preferences)
{
  return GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (preferences), PAL_TYPE_PREFERENCES_WINDOW,
                                                    "confirm_switch"));
}

static const char *
confirm_subtitle (PalPreferencesWindow *preferences)
{
  GObject *row = gtk_widget_get_template_child (GTK_WIDGET (preferences), PAL_TYPE_PREFERENCES_WINDOW,
                                                "confirm_row");

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static void
close_preferences (PalPreferencesWindow *preferences)
{
  gtk_window_destroy (GTK_WINDOW (preferences));
  gui_test_flush ();
}

/* Apply, answering the lockout warning if the SSH address gets one. */
static void
apply_past_lockout (PalWindow *window)
{
  AdwMessageDialog *lockout;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  gui_test_wait_for (lockout_or_applied, window, TIMEOUT_S);
  lockout = find_lockout_dialog ();
  if (lockout != NULL)
    {
      adw_message_dialog_response (lockout, "apply");
      gtk_window_close (GTK_WINDOW (lockout));
    }
  gui_test_wait_for_status (window, "Applied", TIMEOUT_S);
}

static void
test_preference_window (void)
{
  PalWindow *window = new_window ();
  PalPreferencesWindow *preferences;

  g_unsetenv ("SSH_CONNECTION");
  g_unsetenv ("SSH_CLIENT");
  preferences = open_preferences (window);
  g_assert_true (gtk_switch_get_active (confirm_switch (preferences)));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (confirm_switch (preferences))));
  gtk_switch_set_active (confirm_switch (preferences), FALSE);
  gui_test_save_screenshot (GTK_WIDGET (preferences), "preferences-local");
  close_preferences (preferences);
  g_assert_false (pal_apply_settings_get_confirm ());

  /* Local, preference off: "Applied", and no question. The dialog would
   * have been shown in the same callback that says "Applied". */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  gui_test_wait_for_status (window, "Applied", TIMEOUT_S);
  gui_test_flush ();
  g_assert_null (find_dialog ());

  /* Over SSH: the window shows the override, Apply asks anyway. */
  g_setenv ("SSH_CONNECTION", "192.0.2.1 50000 198.51.100.2 22", TRUE);
  preferences = open_preferences (window);
  g_assert_true (gtk_switch_get_active (confirm_switch (preferences)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (confirm_switch (preferences))));
  g_assert_nonnull (strstr (confirm_subtitle (preferences), "SSH"));
  gui_test_save_screenshot (GTK_WIDGET (preferences), "preferences-ssh");
  close_preferences (preferences);
  g_assert_false (pal_apply_settings_get_confirm ());
  apply_past_lockout (window);
  g_assert_true (gui_test_wait_for (dialog_shown, NULL, TIMEOUT_S));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_dialog ()), "keep");
  gui_test_wait_for_status (window, "Kept the new firewall settings", TIMEOUT_S);
  g_assert_true (gui_test_wait_for (dialog_gone, NULL, TIMEOUT_S));

  g_unsetenv ("SSH_CONNECTION");
  g_assert_true (pal_apply_settings_set_confirm (TRUE, NULL));
  close_window (window);
}

static void
test_cannot_run (void)
{
  g_test_skip ("needs root and PAL_HELPER_PATH to run the sandbox helper");
}

/* Before anything reads them: GLib keeps the first values it sees. */
static void
make_dirs (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *palisade = NULL;

  runtime_dir = g_dir_make_tmp ("palisade-gui-confirm-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (runtime_dir, 0700);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  config_dir = g_dir_make_tmp ("palisade-gui-config-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  palisade = g_build_filename (config_dir, "palisade", NULL);
  g_mkdir (palisade, 0700);
  settings = g_build_filename (palisade, "settings.ini", NULL);
  g_file_set_contents (settings, "[apply]\nconfirm-seconds=" G_STRINGIFY (COUNTDOWN_S) "\n", -1, &error);
  g_assert_no_error (error);
}

static void
remove_dirs (void)
{
  g_autofree char *settings = g_build_filename (config_dir, "palisade", "settings.ini", NULL);
  g_autofree char *palisade = g_build_filename (config_dir, "palisade", NULL);

  g_unlink (settings);
  g_rmdir (palisade);
  g_rmdir (config_dir);
  g_rmdir (runtime_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  make_dirs ();
  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_unsetenv ("SSH_CONNECTION");
  g_unsetenv ("SSH_CLIENT");

  g_test_add_func ("/gui/confirm/preference", test_preference);
  if (getuid () != 0 || g_getenv ("PAL_HELPER_PATH") == NULL)
    {
      g_test_add_func ("/gui/confirm/skipped", test_cannot_run);
      status = g_test_run ();
      remove_dirs ();
      return status;
    }

  helper = gui_test_start_sandbox (runtime_dir);
  application = pal_application_new ();
  pal_application_set_sandbox (application, TRUE);
  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  if (!gui_test_wait_for (helper_available, NULL, TIMEOUT_S))
    g_error ("the sandbox helper did not answer");

  g_test_add_func ("/gui/confirm/keep", test_keep);
  g_test_add_func ("/gui/confirm/revert", test_revert);
  g_test_add_func ("/gui/confirm/expire", test_expire);
  g_test_add_func ("/gui/confirm/lockout", test_lockout);
  g_test_add_func ("/gui/confirm/conflict", test_conflict);
  g_test_add_func ("/gui/confirm/preference-window", test_preference_window);

  status = g_test_run ();
  g_clear_object (&application);
  gui_test_stop_sandbox (g_steal_pointer (&helper));
  remove_dirs ();
  return status;
}
