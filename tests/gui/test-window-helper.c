/* test-window-helper.c — the document window against the real helper.
 *
 * Starts "palisade-helper --sandbox" (its own user and network namespace,
 * its own bus; the machine's firewall is never touched), points the GUI at
 * it as "palisade --sandbox" does, and drives Apply, the master switch,
 * Show Active (with the other programs' tables, read-only), Expert View
 * and apply-on-open through the window's actions.
 * Traffic on the sandbox's loopback (nsenter into its network namespace,
 * which needs root) must show up in the window's counters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include <string.h>

#include "gui-test-util.h"
#include "pal-application.h"
#include "pal-fwdoc.h"
#include "pal-other-table.h"
#include "pal-rule-live-cell.h"
#include "pal-window.h"

#define TIMEOUT_S 20

static PalApplication *application;
static GSubprocess *helper;
static char *runtime_dir;

/* ------------------------------------------------------------- helpers */

static gboolean
helper_available (gpointer data)
{
  return pal_helper_client_get_available (pal_application_get_helper (application));
}

static gboolean
helper_failed (gpointer data)
{
  return pal_helper_client_get_failed (pal_application_get_helper (application));
}

static gboolean
enabled_is (gpointer data)
{
  gpointer *args = data;

  return pal_helper_client_get_enabled (pal_application_get_helper (application)) == GPOINTER_TO_INT (args[0]);
}

static void
wait_for_enabled (gboolean on)
{
  gpointer args[] = { GINT_TO_POINTER (on) };

  g_assert_true (gui_test_wait_for (enabled_is, args, TIMEOUT_S));
}

/* UDP datagrams to the sandbox's own loopback, from inside its network
 * namespace: real packets through the applied rules. */
static void
send_traffic (void)
{
  const char *pid = g_subprocess_get_identifier (helper);
  g_autoptr(GError) error = NULL;
  int status = 0;
  g_autofree char *command = g_strdup_printf ("nsenter -t %s -n sh -c "
                                              "'for i in 1 2 3 4 5; do echo hello | nc -u -w1 -q0 127.0.0.1 9; done'",
                                              pid);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
}

static PalWindow *
new_window (void)
{
  PalWindow *window = pal_window_new (GTK_APPLICATION (application));

  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 640);
  gtk_window_present (GTK_WINDOW (window));
  gui_test_wait_frames (GTK_WIDGET (window), 2);
  return window;
}

static void
close_window (PalWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
packets_counted (gpointer data)
{
  gpointer *args = data;
  const PalCounter *counter = pal_counter_table_lookup (pal_window_get_counters (args[0]),
                                                        pal_rule_get_id (args[1]));

  if (counter == NULL || counter->packets == 0)
    {
      /* Keep the loopback busy until the next refresh sees it. */
      if (g_random_int_range (0, 50) == 0)
        send_traffic ();
      return FALSE;
    }
  return TRUE;
}

/* --------------------------------------------------------------- tests */

/* Apply, switch on, traffic, counters in the model and on screen. */
static void
test_apply_and_counters (void)
{
  PalWindow *window = new_window ();
  PalRuleOutline *outline = pal_window_get_outline (window);
  PalRule *always = gui_test_top_rule (window, 0);
  PalRule *loopback = gui_test_child_rule (always, 0);
  gpointer args[] = { window, loopback };
  GtkWidget *cell;

  g_assert_cmpstr (pal_rule_get_name (loopback), ==, "Loopback");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  gui_test_wait_for_status (window, "Applied", TIMEOUT_S);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-firewall", "b", TRUE);
  wait_for_enabled (TRUE);
  gui_test_wait_for_status (window, "The firewall is on", TIMEOUT_S);

  send_traffic ();
  if (!gui_test_wait_for (packets_counted, args, TIMEOUT_S))
    g_error ("no packets counted; status “%s”, %u counters",
             pal_window_get_status (window), pal_counter_table_get_size (pal_window_get_counters (window)));
  g_test_message ("Loopback counted %" G_GUINT64_FORMAT " packets",
                  pal_counter_table_lookup (pal_window_get_counters (window), pal_rule_get_id (loopback))->packets);

  /* On screen too: the last column as Match Count. */
  pal_rule_outline_expand (outline, always, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (outline), "outline.last-column", "s", "packets");
  gui_test_wait_frames (GTK_WIDGET (window), 3);
  cell = pal_rule_outline_get_cell (outline, loopback, "last");
  g_assert_nonnull (cell);
  g_assert_cmpstr (pal_rule_live_cell_get_text (PAL_RULE_LIVE_CELL (cell)), !=, "");
  g_assert_cmpstr (pal_rule_live_cell_get_text (PAL_RULE_LIVE_CELL (cell)), !=, "0");
  gui_test_save_screenshot (GTK_WIDGET (window), "window-live-counters");

  /* Editing stops the refresh: the document no longer says what runs. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-firewall", "b", FALSE);
  wait_for_enabled (FALSE);
  close_window (window);
}

/* Show Active brings the kernel's outline back into an edited document,
 * with the applied ids, as one undoable command. */
static void
test_show_active (void)
{
  PalWindow *window = new_window ();
  g_autofree char *applied = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *first_id = NULL;
  PalRule *first;
  g_autoptr(GRegex) names = g_regex_new ("\"(name|enabled)\": [^\\n]*\\n", 0, 0, NULL);
  g_autofree char *applied_rules = NULL;
  g_autofree char *shown_rules = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  gui_test_wait_for_status (window, "Applied", TIMEOUT_S);
  applied = pal_fwdoc_save_data (pal_window_get_document (window), NULL);
  first = gui_test_top_rule (window, 0);
  first_id = g_strdup (pal_rule_get_id (first));

  /* Edit, then ask the kernel. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-field", "(ssv)", first_id, "name",
                              g_variant_new_string ("Edited, not applied"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-active", NULL);
  gui_test_wait_for_status (window, "Showing", TIMEOUT_S);

  g_assert_nonnull (pal_document_find_rule (pal_window_get_document (window), first_id));
  g_assert_cmpuint (pal_document_count_rules (pal_window_get_document (window)), >, 5);
  shown = pal_fwdoc_save_data (pal_window_get_document (window), NULL);
  g_test_message ("active rules: %u", pal_document_count_rules (pal_window_get_document (window)));

  /* Same ids and conditions as applied (names are the kernel's business). */
  applied_rules = g_regex_replace_literal (names, applied, -1, 0, "", 0, NULL);
  shown_rules = g_regex_replace_literal (names, shown, -1, 0, "", 0, NULL);
  if (g_strcmp0 (applied_rules, shown_rules) != 0)
    g_test_message ("applied and active documents differ beyond names:\n%s\n----\n%s", applied, shown);
  g_assert_cmpstr (pal_rule_get_name (pal_document_find_rule (pal_window_get_document (window), first_id)), !=,
                   "Edited, not applied");

  /* One undo brings the edited outline back. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpstr (pal_rule_get_name (gui_test_top_rule (window, 0)), ==, "Edited, not applied");
  close_window (window);
}

static gboolean
has_two_windows (gpointer data)
{
  return g_list_length (gtk_application_get_windows (GTK_APPLICATION (application))) >= 2;
}

static void
test_expert_view (void)
{
  PalWindow *window = new_window ();
  g_autofree char *before = pal_fwdoc_save_data (pal_window_get_document (window), NULL);
  g_autofree char *after = NULL;
  PalWindow *expert = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  gui_test_wait_for_status (window, "Applied", TIMEOUT_S);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.expert-view", NULL);
  g_assert_true (gui_test_wait_for (has_two_windows, NULL, TIMEOUT_S));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l != NULL; l = l->next)
    if (l->data != window)
      expert = l->data;
  g_assert_nonnull (expert);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (expert)), ==, "Active Settings — Palisade");
  g_assert_nonnull (pal_document_find_rule (pal_window_get_document (expert),
                                            pal_rule_get_id (gui_test_top_rule (window, 0))));
  /* The edited document is untouched. */
  after = pal_fwdoc_save_data (pal_window_get_document (window), NULL);
  g_assert_cmpstr (before, ==, after);
  close_window (expert);
  close_window (window);
}

/* nft in the sandbox's network namespace, as another program would. */
static void
sandbox_nft (const char *arguments)
{
  g_autofree char *command = g_strdup_printf ("nsenter -t %s -n nft '%s'",
                                              g_subprocess_get_identifier (helper), arguments);
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static PalOtherTable *
find_other_table (PalWindow  *window,
                  const char *family,
                  const char *name)
{
  GListModel *tables = pal_window_get_other_tables (window);

  for (guint i = 0; i < g_list_model_get_n_items (tables); i++)
    {
      g_autoptr(PalOtherTable) table = g_list_model_get_item (tables, i);

      if (g_str_equal (pal_other_table_get_family (table), family)
          && g_str_equal (pal_other_table_get_name (table), name))
        return table;
    }
  return NULL;
}

static gboolean
other_table_listed (gpointer data)
{
  return find_other_table (data, "ip", "docker_like") != NULL;
}

/* The listed table as the window shows it: hooks and priorities placed
 * against Palisade's (priority 10 on input, forward, output). */
static void
check_other_table (PalWindow *window)
{
  PalOtherTable *table = find_other_table (window, "ip", "docker_like");
  g_autofree char *description = NULL;

  g_assert_nonnull (table);
  g_assert_null (find_other_table (window, "inet", "palisade"));
  g_assert_cmpuint (pal_other_table_get_n_chains (table), ==, 3);
  g_assert_cmpuint (pal_other_table_get_base_chains (table)->len, ==, 2);
  description = pal_other_table_describe (table);
  g_test_message ("ip docker_like: %s", description);
  g_assert_nonnull (strstr (description, "input, priority -5: before Palisade's chain on this hook (chain in)"));
  g_assert_nonnull (strstr (description, "prerouting, priority -100: before all of Palisade's chains (chain nat)"));
}

/* Show Active and Expert View list another program's table, read-only. */
static void
test_other_tables (void)
{
  PalWindow *window = new_window ();
  PalWindow *expert = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  gui_test_wait_for_status (window, "Applied", TIMEOUT_S);
  sandbox_nft ("add table ip docker_like");
  sandbox_nft ("add chain ip docker_like in { type filter hook input priority -5 ; }");
  sandbox_nft ("add chain ip docker_like nat { type filter hook prerouting priority -100 ; }");
  sandbox_nft ("add chain ip docker_like DOCKER");

  g_assert_cmpuint (g_list_model_get_n_items (pal_window_get_other_tables (window)), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-active", NULL);
  gui_test_wait_for_status (window, "Showing", TIMEOUT_S);
  g_assert_true (gui_test_wait_for (other_table_listed, window, TIMEOUT_S));
  check_other_table (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-tab", "s", "other-tables");
  gui_test_save_screenshot (GTK_WIDGET (window), "window-other-tables");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.expert-view", NULL);
  g_assert_true (gui_test_wait_for (has_two_windows, NULL, TIMEOUT_S));
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l != NULL; l = l->next)
    if (l->data != window)
      expert = l->data;
  g_assert_true (gui_test_wait_for (other_table_listed, expert, TIMEOUT_S));
  check_other_table (expert);

  sandbox_nft ("delete table ip docker_like");
  close_window (expert);
  close_window (window);
}

/* A document saved On applies itself and switches the firewall on. */
static void
test_apply_on_open (void)
{
  PalWindow *window = new_window ();
  g_autofree char *path = g_build_filename (runtime_dir, "saved-on.fwdoc", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PalWindow *opened;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-firewall", "b", FALSE);
  wait_for_enabled (FALSE);
  pal_document_set_enabled (pal_window_get_document (window), TRUE);
  g_assert_true (pal_window_save_file (window, file, &error));
  g_assert_no_error (error);
  close_window (window);

  opened = pal_application_open_file (application, file, NULL);
  gui_test_wait_for_status (opened, "“saved-on.fwdoc” was saved On", TIMEOUT_S);
  wait_for_enabled (TRUE);
  close_window (opened);
  g_unlink (path);
}

static void
test_cannot_run (void)
{
  g_test_skip ("needs root, nsenter, nc and PAL_HELPER_PATH to run the sandbox helper");
}

static gboolean
waited (gpointer data)
{
  return g_get_monotonic_time () > *(gint64 *) data;
}

/* Closing a window while its Apply is on the way: the answer finds the
 * window gone and says nothing (G_DEBUG=fatal-criticals would tell). */
static void
test_close_while_applying (void)
{
  PalWindow *window = new_window ();
  gint64 until;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-active", NULL);
  close_window (window);
  until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  g_assert_true (gui_test_wait_for (waited, &until, TIMEOUT_S));
}

/* ------------------------------------------------------------- harness */

/* Before anything reads it: GLib keeps the first value it sees. */
static void
make_runtime_dir (void)
{
  g_autoptr(GError) error = NULL;

  runtime_dir = g_dir_make_tmp ("palisade-gui-sandbox-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (runtime_dir, 0700);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  make_runtime_dir ();
  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* The sandbox helper and nsenter into its network namespace need root
   * (as tests/dbus/sandbox-test.sh): otherwise say so and skip. */
  if (getuid () != 0 || g_getenv ("PAL_HELPER_PATH") == NULL
      || g_find_program_in_path ("nsenter") == NULL || g_find_program_in_path ("nc") == NULL)
    {
      g_test_add_func ("/gui/helper/skipped", test_cannot_run);
      status = g_test_run ();
      g_rmdir (runtime_dir);
      return status;
    }

  helper = gui_test_start_sandbox (runtime_dir);
  application = pal_application_new ();
  pal_application_set_sandbox (application, TRUE);
  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  if (!gui_test_wait_for (helper_available, NULL, TIMEOUT_S) || helper_failed (NULL))
    g_error ("the sandbox helper did not answer: %s",
             pal_helper_client_get_unavailable_reason (pal_application_get_helper (application)));

  g_test_add_func ("/gui/helper/apply-and-counters", test_apply_and_counters);
  g_test_add_func ("/gui/helper/show-active", test_show_active);
  g_test_add_func ("/gui/helper/expert-view", test_expert_view);
  g_test_add_func ("/gui/helper/other-tables", test_other_tables);
  g_test_add_func ("/gui/helper/apply-on-open", test_apply_on_open);
  g_test_add_func ("/gui/helper/close-while-applying", test_close_while_applying);

  status = g_test_run ();
  g_clear_object (&application);
  gui_test_stop_sandbox (g_steal_pointer (&helper));
  g_rmdir (runtime_dir);
  return status;
}
