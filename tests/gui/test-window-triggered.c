/* test-window-triggered.c — the Triggered tab's document settings against
 * "palisade-helper --sandbox" under Xvfb.
 *
 * Through the tab's own widgets and actions: the expiration interval, the
 * adaptive firewall's settings and the trusted list are edited (bad values
 * refused with a message on their field), undone and redone through the
 * window's undo stack, saved and opened again in a new window; after
 * Apply the helper's trusted list (ListTrusted) is the document's, and a
 * ban by hand lasts the interval the tab shows. The live table's empty
 * state and entries are screenshot. Needs root for the sandbox; skips
 * otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "gui-test-util.h"
#include "pal-application.h"
#include "pal-ban-settings.h"
#include "pal-dbus-generated.h"
#include "pal-fwdoc.h"
#include "pal-triggered-page.h"
#include "pal-trusted-list.h"
#include "pal-window.h"

#define TIMEOUT_S 20

static PalApplication *application;
static char *runtime_dir;

/* ------------------------------------------------------------- helpers */

static PalDBusFirewall1 *
proxy (void)
{
  return PAL_DBUS_FIREWALL1 (pal_helper_client_get_proxy (pal_application_get_helper (application)));
}

static gboolean
helper_available (gpointer data)
{
  return pal_helper_client_get_available (pal_application_get_helper (application));
}

static gpointer
template_child (PalWindow  *window,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), PAL_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

static PalWindow *
new_window (void)
{
  PalWindow *window = pal_window_new (GTK_APPLICATION (application));

  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 960);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-tab", "s", "triggered"));
  gui_test_flush ();
  return window;
}

static void
close_window (PalWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  gui_test_flush ();
}

/* Types text into a setting's entry and presses Enter. */
static void
type_setting (PalWindow  *window,
              const char *setting,
              const char *text)
{
  GtkEditable *entry = pal_ban_settings_get_entry (template_child (window, "ban_settings"), setting);

  gtk_editable_set_text (entry, text);
  g_signal_emit_by_name (entry, "activate");
}

static const char *
setting_text (PalWindow  *window,
              const char *setting)
{
  return gtk_editable_get_text (pal_ban_settings_get_entry (template_child (window, "ban_settings"), setting));
}

static const char *
setting_error (PalWindow  *window,
               const char *setting)
{
  return pal_ban_settings_get_error (template_child (window, "ban_settings"), setting);
}

static void
trust (PalWindow  *window,
       const char *text)
{
  PalTrustedList *list = template_child (window, "trusted_list");

  gtk_editable_set_text (pal_trusted_list_get_entry (list), text);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "trusted.add", NULL));
}

static const PalAdaptiveSettings *
adaptive (PalWindow *window)
{
  return pal_document_get_adaptive (pal_window_get_document (window));
}

static void
assert_strv (const char * const *have,
             const char * const *want)
{
  g_autofree char *have_text = g_strjoinv (" ", (char **) have);
  g_autofree char *want_text = g_strjoinv (" ", (char **) want);

  g_assert_cmpstr (have_text, ==, want_text);
}

/* The edited settings, as the steps below leave them. */
static const char * const edited_trusted[] = { "192.168.1.0/24", "10.9.8.7", NULL };
static const char * const edited_services[] = { "sshd", "dovecot", NULL };

static void
assert_edited (PalWindow *window)
{
  PalDocument *document = pal_window_get_document (window);

  g_assert_cmpuint (pal_document_get_trigger_duration (document), ==, 3600);
  g_assert_true (adaptive (window)->enabled);
  g_assert_cmpuint (adaptive (window)->failures, ==, 5);
  g_assert_cmpuint (adaptive (window)->window, ==, 600);
  g_assert_cmpuint (adaptive (window)->max_duration, ==, 2 * 24 * 3600);
  assert_strv ((const char * const *) adaptive (window)->services, edited_services);
  assert_strv (pal_document_get_trusted (document), edited_trusted);
  /* And the fields show it. */
  g_assert_cmpstr (setting_text (window, "expiration"), ==, "1h");
  g_assert_cmpstr (setting_text (window, "failures"), ==, "5");
  g_assert_cmpstr (setting_text (window, "window"), ==, "10m");
  g_assert_cmpstr (setting_text (window, "max-duration"), ==, "2d");
  g_assert_cmpstr (setting_text (window, "services"), ==, "sshd, dovecot");
  g_assert_true (adw_expander_row_get_enable_expansion (
    pal_ban_settings_get_adaptive_row (template_child (window, "ban_settings"))));
}

/* The edits of test_edit_undo_save_apply, each an undo step. */
static guint
edit (PalWindow *window)
{
  PalDocument *document = pal_window_get_document (window);
  PalTrustedList *list = template_child (window, "trusted_list");
  const char * const none[] = { NULL };

  /* Refused: the field says why, the document and the undo stack are unchanged. */
  type_setting (window, "expiration", "0");
  g_assert_cmpstr (setting_error (window, "expiration"), !=, "");
  type_setting (window, "expiration", "15 minutes");
  g_test_message ("refused: %s", setting_error (window, "expiration"));
  g_assert_cmpstr (setting_error (window, "expiration"), !=, "");
  type_setting (window, "failures", "0");
  g_test_message ("refused: %s", setting_error (window, "failures"));
  g_assert_nonnull (strstr (setting_error (window, "failures"), "failures"));
  type_setting (window, "window", "forever");
  g_assert_cmpstr (setting_error (window, "window"), !=, "");
  type_setting (window, "services", "ssh d;");
  g_assert_cmpstr (setting_error (window, "services"), !=, "");
  trust (window, "192.168.1.300");
  g_test_message ("refused: %s", pal_trusted_list_get_error (list));
  g_assert_nonnull (strstr (pal_trusted_list_get_error (list), "192.168.1.300"));
  g_assert_cmpuint (pal_document_get_trigger_duration (document), ==, 900);
  g_assert_cmpuint (adaptive (window)->failures, ==, 10);
  assert_strv (pal_document_get_trusted (document), none);
  g_assert_false (pal_window_get_modified (window));
  g_assert_null (pal_undo_stack_get_undo_label (pal_window_get_undo_stack (window)));
  gui_test_save_screenshot (GTK_WIDGET (window), "triggered-refused");

  /* Taken: each one undo step, the document modified. */
  type_setting (window, "expiration", "1h");
  g_assert_cmpstr (setting_error (window, "expiration"), ==, "");
  g_assert_true (pal_window_get_modified (window));
  g_assert_cmpstr (pal_undo_stack_get_undo_label (pal_window_get_undo_stack (window)), ==,
                   "Set Expiration Interval");
  adw_expander_row_set_enable_expansion (pal_ban_settings_get_adaptive_row (template_child (window, "ban_settings")),
                                         TRUE);
  type_setting (window, "failures", "5");
  type_setting (window, "window", "10m");
  type_setting (window, "max-duration", "48h");
  type_setting (window, "services", "sshd,  dovecot");
  /* An unchanged value is no step. */
  type_setting (window, "duration", "15m");
  trust (window, "192.168.1.0/24, 2001:db8::/32");
  g_assert_cmpstr (pal_trusted_list_get_error (list), ==, "");
  trust (window, "10.9.8.7");
  g_assert_true (pal_trusted_list_select (list, "2001:db8::/32"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "trusted.remove", NULL));
  assert_edited (window);
  return 9;
}

static void
undo_all (PalWindow *window,
          guint      steps)
{
  for (guint i = 0; i < steps; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
}

static void
redo_all (PalWindow *window,
          guint      steps)
{
  for (guint i = 0; i < steps; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static GStrv
sorted (const char * const *strv)
{
  GStrv copy = g_strdupv ((char **) strv);

  qsort (copy, g_strv_length (copy), sizeof (char *), compare_strings);
  return copy;
}

/* The helper's trusted list, sorted (the kernel's sets keep no order). */
static GStrv
list_trusted (void)
{
  g_auto(GStrv) trusted = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pal_dbus_firewall1_call_list_trusted_sync (proxy (), G_DBUS_CALL_FLAGS_NONE, -1, &trusted, NULL,
                                                            &error));
  g_assert_no_error (error);
  return sorted ((const char * const *) trusted);
}

static guint64
seconds_left (const char *address)
{
  g_autoptr(GVariant) entries = NULL;
  g_autoptr(GError) error = NULL;
  GVariantIter iter;
  const char *listed;
  guint64 left;

  g_assert_true (pal_dbus_firewall1_call_list_triggered_sync (proxy (), G_DBUS_CALL_FLAGS_NONE, -1, &entries,
                                                              NULL, &error));
  g_variant_iter_init (&iter, entries);
  while (g_variant_iter_next (&iter, "(&stsxs)", &listed, &left, NULL, NULL, NULL))
    if (g_str_equal (listed, address))
      return left;
  return 0;
}

typedef struct
{
  PalTriggeredPage *page;
  const char       *state;
  guint             rows;
} PageState;

static gboolean
page_state_is (gpointer data)
{
  PageState *want = data;

  return g_str_equal (pal_triggered_page_get_state (want->page), want->state)
         && g_list_model_get_n_items (pal_triggered_page_get_model (want->page)) == want->rows;
}

static void
wait_page (PalWindow  *window,
           const char *state,
           guint       rows)
{
  PageState want = { template_child (window, "triggered_page"), state, rows };

  if (!gui_test_wait_for (page_state_is, &want, TIMEOUT_S))
    g_error ("the tab never showed “%s” with %u rows (it shows “%s”)", state, rows,
             pal_triggered_page_get_state (want.page));
}

/* ------------------------------------------------------------- tests */

static void
test_edit_undo_save_apply (void)
{
  PalWindow *window = new_window ();
  g_autofree char *original = pal_fwdoc_save_data (pal_window_get_document (window), NULL);
  g_autofree char *edited = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *redone = NULL;
  g_autofree char *path = g_build_filename (runtime_dir, "triggered.fwdoc", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) helper_trusted = NULL;
  g_auto(GStrv) document_trusted = NULL;
  PalTriggeredPage *page;
  PalWindow *opened;
  guint steps;
  guint64 left;

  steps = edit (window);
  edited = pal_fwdoc_save_data (pal_window_get_document (window), NULL);
  gui_test_save_screenshot (GTK_WIDGET (window), "triggered-edited");

  /* Undo goes back step by step to the document as it was, unmodified;
   * the fields follow. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_true (pal_trusted_list_select (template_child (window, "trusted_list"), "2001:db8::/32"));
  undo_all (window, steps - 1);
  undone = pal_fwdoc_save_data (pal_window_get_document (window), NULL);
  g_assert_cmpstr (undone, ==, original);
  g_assert_false (pal_window_get_modified (window));
  g_assert_cmpstr (setting_text (window, "expiration"), ==, "15m");
  g_assert_cmpstr (setting_text (window, "services"), ==, "sshd");
  redo_all (window, steps);
  redone = pal_fwdoc_save_data (pal_window_get_document (window), NULL);
  g_assert_cmpstr (redone, ==, edited);
  assert_edited (window);

  /* Saved and opened again: the same settings, in the fields too. */
  g_assert_true (pal_window_save_file (window, file, &error));
  g_assert_no_error (error);
  g_assert_false (pal_window_get_modified (window));
  opened = new_window ();
  g_assert_true (pal_window_load_file (opened, file, &error));
  g_assert_no_error (error);
  assert_edited (opened);
  close_window (opened);

  /* Apply: the helper trusts what the document trusts. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  gui_test_wait_for_status (window, "Applied", TIMEOUT_S);
  helper_trusted = list_trusted ();
  document_trusted = sorted (pal_document_get_trusted (pal_window_get_document (window)));
  assert_strv ((const char * const *) helper_trusted, (const char * const *) document_trusted);

  /* A ban by hand lasts the interval the tab shows (1h, not 15m). */
  page = template_child (window, "triggered_page");
  gtk_editable_set_text (pal_triggered_page_get_address_entry (page), "192.0.2.77");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "triggered.add", NULL));
  wait_page (window, "list", 1);
  left = seconds_left ("192.0.2.77");
  g_assert_cmpuint (left, >, 900);
  g_assert_cmpuint (left, <=, 3600);

  /* Undo after Apply: the helper keeps the applied list until the next Apply. */
  undo_all (window, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  gui_test_wait_for_status (window, "Applied", TIMEOUT_S);
  g_clear_pointer (&helper_trusted, g_strfreev);
  g_clear_pointer (&document_trusted, g_strfreev);
  helper_trusted = list_trusted ();
  document_trusted = sorted (pal_document_get_trusted (pal_window_get_document (window)));
  assert_strv ((const char * const *) helper_trusted, (const char * const *) document_trusted);
  g_assert_cmpuint (g_strv_length (helper_trusted), ==, 3);

  /* Changed behind the window's back (as palisadectl trusted add does):
   * Show Active brings the applied list and settings into the document,
   * as one undoable command with the outline. */
  {
    const char *more[] = { "172.16.0.0/12", NULL };
    g_autofree char *before = pal_fwdoc_save_data (pal_window_get_document (window), NULL);
    g_autofree char *after_undo = NULL;
    const char *added;

    g_assert_true (pal_dbus_firewall1_call_add_trusted_sync (proxy (), more, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                                             &error));
    g_assert_no_error (error);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-active", NULL);
    gui_test_wait_for_status (window, "Showing", TIMEOUT_S);
    g_clear_pointer (&helper_trusted, g_strfreev);
    g_clear_pointer (&document_trusted, g_strfreev);
    helper_trusted = list_trusted ();
    document_trusted = sorted (pal_document_get_trusted (pal_window_get_document (window)));
    assert_strv ((const char * const *) helper_trusted, (const char * const *) document_trusted);
    /* Read back from the kernel's interval set as the network it is, not
     * as the range 172.16.0.0-172.31.255.255. */
    added = "172.16.0.0/12";
    g_assert_true (g_strv_contains ((const char * const *) document_trusted, added));
    g_assert_true (pal_trusted_list_select (template_child (window, "trusted_list"), added));
    g_assert_cmpuint (pal_document_get_trigger_duration (pal_window_get_document (window)), ==, 3600);
    g_assert_cmpuint (adaptive (window)->failures, ==, 5);
    g_assert_cmpstr (setting_text (window, "expiration"), ==, "1h");
    undo_all (window, 1);
    g_assert_false (g_strv_contains (pal_document_get_trusted (pal_window_get_document (window)), added));
    after_undo = pal_fwdoc_save_data (pal_window_get_document (window), NULL);
    g_assert_cmpstr (after_undo, ==, before);
  }

  g_assert_true (pal_dbus_firewall1_call_flush_triggered_sync (proxy (), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_unlink (path);
  close_window (window);
}

static void
test_empty_and_entries (void)
{
  PalWindow *window = new_window ();
  g_autoptr(GError) error = NULL;
  const char *sshd[] = { "198.51.100.23", NULL };
  const char *rule[] = { "203.0.113.5", "2001:db8::bad", NULL };
  guint64 added;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  gui_test_wait_for_status (window, "Applied", TIMEOUT_S);
  g_assert_true (pal_dbus_firewall1_call_flush_triggered_sync (proxy (), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_assert_no_error (error);
  wait_page (window, "empty", 0);
  gui_test_save_screenshot (GTK_WIDGET (window), "triggered-empty");

  g_assert_true (pal_dbus_firewall1_call_add_triggered_sync (proxy (), sshd, 1800, "sshd: 10 failed logins",
                                                             G_DBUS_CALL_FLAGS_NONE, -1, &added, NULL, &error));
  g_assert_true (pal_dbus_firewall1_call_add_triggered_sync (proxy (), rule, 3600, "", G_DBUS_CALL_FLAGS_NONE, -1,
                                                             &added, NULL, &error));
  g_assert_no_error (error);
  trust (window, "192.168.1.0/24");
  wait_page (window, "list", 3);
  gui_test_save_screenshot (GTK_WIDGET (window), "triggered-entries");

  g_assert_true (pal_dbus_firewall1_call_flush_triggered_sync (proxy (), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  wait_page (window, "empty", 0);
  close_window (window);
}

static void
test_cannot_run (void)
{
  g_test_skip ("needs root and PAL_HELPER_PATH to run the sandbox helper");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  GSubprocess *helper;
  int status;

  runtime_dir = g_dir_make_tmp ("palisade-gui-triggered-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (runtime_dir, 0700);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_setenv ("PALISADE_STATE_DIRECTORY", runtime_dir, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  if (getuid () != 0 || g_getenv ("PAL_HELPER_PATH") == NULL)
    {
      g_test_add_func ("/gui/triggered/skipped", test_cannot_run);
      status = g_test_run ();
      g_rmdir (runtime_dir);
      return status;
    }

  helper = gui_test_start_sandbox (runtime_dir);
  application = pal_application_new ();
  pal_application_set_sandbox (application, TRUE);
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  if (!gui_test_wait_for (helper_available, NULL, TIMEOUT_S))
    g_error ("the sandbox helper did not answer");

  g_test_add_func ("/gui/triggered/edit-undo-save-apply", test_edit_undo_save_apply);
  g_test_add_func ("/gui/triggered/empty-and-entries", test_empty_and_entries);
  status = g_test_run ();

  g_clear_object (&application);
  gui_test_stop_sandbox (helper);
  {
    g_autofree char *saved = g_build_filename (runtime_dir, "triggered.tsv", NULL);

    g_unlink (saved);
  }
  g_rmdir (runtime_dir);
  return status;
}
