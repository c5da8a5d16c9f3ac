/* test-triggered-page.c — the Triggered tab against "palisade-helper
 * --sandbox" under Xvfb: it lists what the helper bans, counts the time
 * left down, drops what expired, and deletes the selected entries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "pal-application.h"
#include "pal-dbus-generated.h"
#include "pal-document-variant.h"
#include "pal-triggered-item.h"
#include "pal-triggered-page.h"

#define TIMEOUT_S 20

static PalApplication *application;
static GSubprocess *helper;
static char *runtime_dir;

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
helper_available (gpointer data)
{
  return pal_helper_client_get_available (pal_application_get_helper (application));
}

static PalDBusFirewall1 *
proxy (void)
{
  return PAL_DBUS_FIREWALL1 (pal_helper_client_get_proxy (pal_application_get_helper (application)));
}

static gint
find_row (PalTriggeredPage *page,
          const char       *address)
{
  GListModel *model = pal_triggered_page_get_model (page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PalTriggeredItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (pal_triggered_item_get_address (item), address))
        return (gint) i;
    }
  return -1;
}

typedef struct
{
  PalTriggeredPage *page;
  const char       *address;
  gboolean          present;
} Presence;

static gboolean
presence_is (gpointer data)
{
  Presence *presence = data;

  return (find_row (presence->page, presence->address) >= 0) == presence->present;
}

static void
wait_presence (PalTriggeredPage *page,
               const char       *address,
               gboolean          present)
{
  Presence presence = { page, address, present };

  if (!wait_for (presence_is, &presence))
    g_error ("%s was never %s the tab", address, present ? "in" : "gone from");
}

static gboolean
waited (gpointer data)
{
  return g_get_monotonic_time () > *(gint64 *) data;
}

static gboolean
kernel_has (const char *address)
{
  g_autoptr(GVariant) entries = NULL;
  g_autoptr(GError) error = NULL;
  GVariantIter iter;
  const char *listed;

  g_assert_true (pal_dbus_firewall1_call_list_triggered_sync (proxy (), G_DBUS_CALL_FLAGS_NONE, -1, &entries,
                                                              NULL, &error));
  g_variant_iter_init (&iter, entries);
  while (g_variant_iter_next (&iter, "(&stsxs)", &listed, NULL, NULL, NULL, NULL))
    if (g_str_equal (listed, address))
      return TRUE;
  return FALSE;
}

static void
test_list_count_down_delete (void)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(GError) error = NULL;
  const char *short_ban[] = { "192.0.2.10", NULL };
  const char *long_ban[] = { "192.0.2.20", "2001:db8::20", NULL };
  GtkWidget *window = gtk_window_new ();
  PalTriggeredPage *page = g_object_new (PAL_TYPE_TRIGGERED_PAGE, NULL);
  g_autofree char *first = NULL;
  g_autofree char *later = NULL;
  guint64 added = 0;
  gint64 until;
  gint row;

  pal_document_set_enabled (document, TRUE);
  g_assert_true (pal_dbus_firewall1_call_apply_sync (proxy (), pal_document_to_variant (document),
                                                     g_variant_new ("a{sv}", NULL), G_DBUS_CALL_FLAGS_NONE, -1,
                                                     NULL, &error));
  g_assert_no_error (error);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  pal_triggered_page_set_helper (page, pal_application_get_helper (application));

  g_assert_true (pal_dbus_firewall1_call_add_triggered_sync (proxy (), short_ban, 4, "short", G_DBUS_CALL_FLAGS_NONE,
                                                             -1, &added, NULL, &error));
  g_assert_true (pal_dbus_firewall1_call_add_triggered_sync (proxy (), long_ban, 3600, "long",
                                                             G_DBUS_CALL_FLAGS_NONE, -1, &added, NULL, &error));
  /* TriggeredChanged makes the tab list again. */
  wait_presence (page, "192.0.2.10", TRUE);
  wait_presence (page, "2001:db8::20", TRUE);

  /* The time left counts down by itself. */
  first = pal_triggered_page_dup_left_text (page, find_row (page, "192.0.2.10"));
  until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  g_assert_true (wait_for (waited, &until));
  row = find_row (page, "192.0.2.10");
  g_assert_cmpint (row, >=, 0);
  later = pal_triggered_page_dup_left_text (page, row);
  g_assert_cmpstr (first, !=, later);
  /* And the entry goes when it expires. */
  wait_presence (page, "192.0.2.10", FALSE);

  /* Delete the selected entry: the helper unbans it. */
  row = find_row (page, "192.0.2.20");
  gtk_selection_model_select_item (pal_triggered_page_get_selection (page), row, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (page), "triggered.delete", NULL);
  wait_presence (page, "192.0.2.20", FALSE);
  g_assert_false (kernel_has ("192.0.2.20"));
  g_assert_true (kernel_has ("2001:db8::20"));
  g_assert_cmpint (find_row (page, "2001:db8::20"), >=, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_cannot_run (void)
{
  g_test_skip ("needs root and PAL_HELPER_PATH to run the sandbox helper");
}

static gboolean
bus_file_exists (gpointer data)
{
  g_autofree char *path = g_build_filename (runtime_dir, "palisade-sandbox", "bus", NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGINT);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char *helper_path = g_getenv ("PAL_HELPER_PATH");
  int status;

  runtime_dir = g_dir_make_tmp ("palisade-gui-triggered-XXXXXX", &error);
  g_chmod (runtime_dir, 0700);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  /* The helper's saved bans stay in the test's directory. */
  g_setenv ("PALISADE_STATE_DIRECTORY", runtime_dir, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  if (getuid () != 0 || helper_path == NULL)
    {
      g_test_add_func ("/triggered/page/skipped", test_cannot_run);
      status = g_test_run ();
      g_rmdir (runtime_dir);
      return status;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  helper = g_subprocess_launcher_spawn (launcher, &error, helper_path, "--sandbox", NULL);
  g_assert_no_error (error);
  g_assert_true (wait_for (bus_file_exists, NULL));

  application = pal_application_new ();
  pal_application_set_sandbox (application, TRUE);
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  if (!wait_for (helper_available, NULL))
    g_error ("the sandbox helper did not answer");

  g_test_add_func ("/triggered/page/list-count-down-delete", test_list_count_down_delete);
  status = g_test_run ();

  g_clear_object (&application);
  g_subprocess_send_signal (helper, SIGINT);
  g_subprocess_wait (helper, NULL, NULL);
  g_clear_object (&helper);
  {
    g_autofree char *saved = g_build_filename (runtime_dir, "triggered.tsv", NULL);

    g_unlink (saved);
  }
  g_rmdir (runtime_dir);
  return status;
}
