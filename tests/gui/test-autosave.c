/* test-autosave.c — unsaved documents are kept, and offered after a crash.
 *
 * An edit makes the window write its document to the autosave directory
 * within seconds; saving removes the copy, and so does closing with the
 * changes discarded, while a window destroyed unasked leaves it. Copies a
 * dead process left (a sidecar naming a pid that no longer runs) are
 * offered on start and open in windows of their own, modified, with their
 * original file; closing such a window asks, and its copy stays until it
 * is saved or discarded. Copies of a live process are not offered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gui-test-util.h"
#include "pal-application.h"
#include "pal-autosave.h"
#include "pal-fwdoc.h"
#include "pal-window.h"

#define TIMEOUT_S 10

static PalApplication *application;
static char *data_dir;

static gboolean
wait_for (GuiTestCondition condition,
          gpointer         data)
{
  return gui_test_wait_for (condition, data, TIMEOUT_S);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
file_gone (gpointer data)
{
  return !g_file_test (data, G_FILE_TEST_EXISTS);
}

static PalWindow *
new_window (void)
{
  PalWindow *window = pal_window_new (GTK_APPLICATION (application));

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
destroy_window (PalWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  gui_test_flush ();
}

static gboolean
dialog_shown (gpointer data)
{
  return gui_test_find_message_dialog () != NULL;
}

static gboolean
window_gone (gpointer data)
{
  return g_list_find (gtk_application_get_windows (GTK_APPLICATION (application)), data) == NULL;
}

/* Closes window the way its close button does and answers the dialog
 * that must come (its heading is checked) with response. */
static void
close_answering (PalWindow  *window,
                 const char *response)
{
  AdwMessageDialog *dialog;

  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (wait_for (dialog_shown, NULL));
  dialog = gui_test_find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save Changes?");
  adw_message_dialog_response (dialog, response);
  gui_test_flush ();
}

/* An edit is kept; saving removes the copy; so does closing with the
 * changes discarded; a window destroyed without asking keeps it. */
static void
test_autosave (void)
{
  PalWindow *window = new_window ();
  PalAutosave *autosave = pal_autosave_for_window (window);
  g_autofree char *path = g_strdup (pal_autosave_get_path (autosave));
  g_autofree char *saved = g_build_filename (data_dir, "saved.fwdoc", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (saved);
  g_autoptr(GError) error = NULL;
  guint n_rules = pal_document_count_rules (pal_window_get_document (window));

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-sibling", NULL);
  g_assert_true (pal_window_get_modified (window));
  g_assert_true (wait_for (file_exists, path));
  {
    g_autoptr(GFile) copy = g_file_new_for_path (path);
    g_autoptr(PalDocument) kept = pal_fwdoc_load_file (copy, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (pal_document_count_rules (kept), ==, n_rules + 1);
  }

  g_assert_true (pal_window_save_file (window, file, &error));
  g_assert_no_error (error);
  pal_autosave_changed (autosave);
  g_assert_true (wait_for (file_gone, path));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-sibling", NULL);
  g_assert_true (pal_autosave_save_now (autosave, &error));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  close_answering (window, "discard");
  g_assert_true (wait_for (window_gone, window));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Nobody said to discard these changes: the copy stays. */
  window = new_window ();
  autosave = pal_autosave_for_window (window);
  g_free (path);
  path = g_strdup (pal_autosave_get_path (autosave));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-sibling", NULL);
  g_assert_true (pal_autosave_save_now (autosave, &error));
  destroy_window (window);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  {
    g_autofree char *base = g_strndup (path, strlen (path) - strlen (".fwdoc"));
    g_autofree char *sidecar = g_strconcat (base, ".ini", NULL);

    g_unlink (path);
    g_unlink (sidecar);
  }
  g_unlink (saved);
  {
    g_autofree char *backup = g_strconcat (saved, "~", NULL);

    g_unlink (backup);
  }
}

/* A pid that surely runs no more. */
static int
dead_pid (void)
{
  pid_t pid = fork ();

  if (pid == 0)
    _exit (0);
  waitpid (pid, NULL, 0);
  return (int) pid;
}

static void
write_copy (const char *uuid,
            int         pid,
            const char *original_uri)
{
  g_autofree char *directory = pal_autosave_get_directory ();
  g_autofree char *name = g_strconcat (uuid, ".fwdoc", NULL);
  g_autofree char *sidecar_name = g_strconcat (uuid, ".ini", NULL);
  g_autofree char *path = g_build_filename (directory, name, NULL);
  g_autofree char *sidecar = g_build_filename (directory, sidecar_name, NULL);
  g_autofree char *ini = g_strdup_printf ("[autosave]\noriginal=%s\ntime=2026-11-22T03:00:00Z\npid=%d\n",
                                          original_uri, pid);
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalRule) rule = pal_rule_new (PAL_PROPERTY_DESTINATION_PORT, PAL_ACTION_PASS);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;

  pal_rule_set_value (rule, "22");
  pal_rule_set_name (rule, "Restored rule");
  pal_document_append_rule (document, rule);
  data = pal_fwdoc_save_data (document, NULL);
  g_mkdir_with_parents (directory, 0700);
  g_file_set_contents (path, data, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (sidecar, ini, -1, &error);
  g_assert_no_error (error);
}

static PalWindow *
find_restored_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l != NULL; l = l->next)
    if (PAL_IS_WINDOW (l->data) && g_str_has_prefix (pal_window_get_status (l->data), "Restored"))
      return l->data;
  return NULL;
}

static gboolean
restored_window_shown (gpointer data)
{
  return find_restored_window () != NULL;
}

/* Offers the orphans over parent, answers Restore, and returns the window
 * the copy at uuid opened in. */
static PalWindow *
restore_orphans (PalWindow  *parent,
                 const char *expected_name)
{
  AdwMessageDialog *dialog;

  pal_autosave_offer_restore (GTK_APPLICATION (application), GTK_WINDOW (parent));
  g_assert_true (wait_for (dialog_shown, NULL));
  dialog = gui_test_find_message_dialog ();
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), expected_name));
  adw_message_dialog_response (dialog, "restore");
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (wait_for (restored_window_shown, NULL));
  return find_restored_window ();
}

static char *
copy_path (const char *uuid)
{
  g_autofree char *directory = pal_autosave_get_directory ();
  g_autofree char *name = g_strconcat (uuid, ".fwdoc", NULL);

  return g_build_filename (directory, name, NULL);
}

static void
assert_restored (PalWindow  *restored,
                 const char *original)
{
  g_autoptr(GFile) expected = g_file_new_for_path (original);
  g_autoptr(PalRule) rule = g_list_model_get_item (pal_document_get_rules (pal_window_get_document (restored)), 0);

  g_assert_cmpstr (pal_rule_get_name (rule), ==, "Restored rule");
  g_assert_true (g_file_equal (pal_window_get_file (restored), expected));
  /* The restored changes are in no file: modified, with the mark. */
  g_assert_true (pal_window_get_modified (restored));
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (restored)), "• "));
  g_assert_false (pal_window_is_pristine (restored));
}

/* Restored: modified; closing asks; Cancel keeps window and copy; the copy
 * is no orphan while this process runs; Discard removes it. */
static void
test_restore (void)
{
  PalWindow *window = new_window ();
  g_autofree char *original = g_build_filename (data_dir, "home.fwdoc", NULL);
  g_autofree char *uri = g_filename_to_uri (original, NULL, NULL);
  g_autofree char *copy = copy_path ("22222222-2222-4222-8222-222222222222");
  g_autoptr(GPtrArray) orphans = NULL;
  PalWindow *restored;

  /* A live process's copy is not an orphan. */
  write_copy ("11111111-1111-4111-8111-111111111111", (int) getpid (), "");
  write_copy ("22222222-2222-4222-8222-222222222222", dead_pid (), uri);
  orphans = pal_autosave_find_orphans ();
  g_assert_cmpuint (orphans->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (orphans, 0), ==, copy);

  restored = restore_orphans (window, "home.fwdoc");
  assert_restored (restored, original);
  gui_test_save_screenshot (GTK_WIDGET (restored), "window-restored");
  g_clear_pointer (&orphans, g_ptr_array_unref);
  orphans = pal_autosave_find_orphans ();
  g_assert_cmpuint (orphans->len, ==, 0);
  g_assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));

  close_answering (restored, "cancel");
  g_assert_false (window_gone (restored));
  g_assert_true (pal_window_get_modified (restored));
  g_assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));

  close_answering (restored, "discard");
  g_assert_true (wait_for (window_gone, restored));
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
  destroy_window (window);
  g_clear_pointer (&orphans, g_ptr_array_unref);
  orphans = pal_autosave_find_orphans ();
  g_assert_cmpuint (orphans->len, ==, 0);
}

/* Restored and saved: to the original file, the copy removed, and the
 * window then closes without asking. */
static void
test_restore_save (void)
{
  PalWindow *window = new_window ();
  g_autofree char *original = g_build_filename (data_dir, "office.fwdoc", NULL);
  g_autofree char *uri = g_filename_to_uri (original, NULL, NULL);
  g_autofree char *copy = copy_path ("33333333-3333-4333-8333-333333333333");
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) saved = NULL;
  PalWindow *restored;

  write_copy ("33333333-3333-4333-8333-333333333333", dead_pid (), uri);
  restored = restore_orphans (window, "office.fwdoc");
  assert_restored (restored, original);

  g_assert_true (pal_window_save_file (restored, pal_window_get_file (restored), &error));
  g_assert_no_error (error);
  g_assert_false (pal_window_get_modified (restored));
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GFile) file = g_file_new_for_path (original);

    saved = pal_fwdoc_load_file (file, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (pal_document_count_rules (saved), ==, 1);
  }
  gtk_window_close (GTK_WINDOW (restored));
  g_assert_true (wait_for (window_gone, restored));
  g_assert_null (gui_test_find_message_dialog ());
  destroy_window (window);
  g_unlink (original);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  data_dir = g_dir_make_tmp ("palisade-autosave-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  application = pal_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/gui/autosave/keeps-and-removes", test_autosave);
  g_test_add_func ("/gui/autosave/restore", test_restore);
  g_test_add_func ("/gui/autosave/restore-save", test_restore_save);

  status = g_test_run ();
  g_clear_object (&application);
  {
    const char *argv_rm[] = { "rm", "-rf", data_dir, NULL };

    g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return status;
}
