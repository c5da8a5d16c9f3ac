/* test-autosave.c — unsaved documents are kept, and offered after a crash.
 *
 * An edit makes the window write its document to the autosave directory
 * within seconds; saving removes the copy. Copies a dead process left
 * (a sidecar naming a pid that no longer runs) are offered on start and
 * open in windows of their own; copies of a live process are not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pal-application.h"
#include "pal-autosave.h"
#include "pal-fwdoc.h"
#include "pal-window.h"

#define TIMEOUT_S 10

static PalApplication *application;
static char *data_dir;

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  return TRUE;
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
close_window (PalWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* An edit is kept; saving removes the copy; so does closing. */
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
  close_window (window);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
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

static AdwMessageDialog *
find_restore_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
        return ADW_MESSAGE_DIALOG (item);
    }
  return NULL;
}

static gboolean
restore_shown (gpointer data)
{
  return find_restore_dialog () != NULL;
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

static void
test_restore (void)
{
  PalWindow *window = new_window ();
  g_autofree char *original = g_build_filename (data_dir, "home.fwdoc", NULL);
  g_autofree char *uri = g_filename_to_uri (original, NULL, NULL);
  g_autoptr(GPtrArray) orphans = NULL;
  AdwMessageDialog *dialog;
  PalWindow *restored;
  PalRule *rule;

  /* A live process's copy is not an orphan. */
  write_copy ("11111111-1111-4111-8111-111111111111", (int) getpid (), "");
  write_copy ("22222222-2222-4222-8222-222222222222", dead_pid (), uri);
  orphans = pal_autosave_find_orphans ();
  g_assert_cmpuint (orphans->len, ==, 1);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (orphans, 0), "22222222-2222-4222-8222-222222222222.fwdoc"));

  pal_autosave_offer_restore (GTK_APPLICATION (application), GTK_WINDOW (window));
  g_assert_true (wait_for (restore_shown, NULL));
  dialog = find_restore_dialog ();
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "home.fwdoc"));
  adw_message_dialog_response (dialog, "restore");
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (wait_for (restored_window_shown, NULL));
  restored = find_restored_window ();
  rule = g_list_model_get_item (pal_document_get_rules (pal_window_get_document (restored)), 0);
  g_assert_cmpstr (pal_rule_get_name (rule), ==, "Restored rule");
  g_object_unref (rule);
  {
    g_autoptr(GFile) expected = g_file_new_for_path (original);

    g_assert_true (g_file_equal (pal_window_get_file (restored), expected));
  }
  close_window (restored);
  close_window (window);
  /* Closed: the restored copy is gone; the live one stays. */
  g_clear_pointer (&orphans, g_ptr_array_unref);
  orphans = pal_autosave_find_orphans ();
  g_assert_cmpuint (orphans->len, ==, 0);
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

  status = g_test_run ();
  g_clear_object (&application);
  {
    const char *argv_rm[] = { "rm", "-rf", data_dir, NULL };

    g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return status;
}
