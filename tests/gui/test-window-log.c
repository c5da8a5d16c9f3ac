/* test-window-log.c — the log drawer and alert notifications.
 *
 * Always: entries pushed into the drawer as LogEntries would bring them
 * (5,000 in one batch, filter, pause, clear, copy, the view's cap, a rule
 * click selecting the rule), the alert notifier's rate limit and the
 * Interfaces tab (ticks as undoable commands, missing interfaces kept). As root,
 * also against "palisade-helper --sandbox" (as test-window-helper.c): a
 * document with log and alert rules applied from the window, UDP sent
 * inside the sandbox's network namespace, and the rows that must appear;
 * the Interfaces tab listing the sandbox's lo, External on it saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <time.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "pal-alert-notifier.h"
#include "pal-application.h"
#include "pal-fwdoc.h"
#include "pal-log-item.h"
#include "pal-window-private.h"

#define TIMEOUT_S 20

static PalApplication *application;
static GSubprocess *helper;
static char *runtime_dir;

/* A document whose rules log and alert UDP to port 9 and pass it. */
static const char log_document[] =
  "{\n"
  "  \"fwdoc\": 1,\n"
  "  \"enabled\": false,\n"
  "  \"default\": \"pass\",\n"
  "  \"rules\": [\n"
  "    { \"id\": \"3f1c0e55-4d7a-4c39-9a0e-7d4f0b1b6a01\", \"enabled\": true, \"name\": \"Discard log\",\n"
  "      \"property\": \"destination-port\", \"relation\": \"is\", \"value\": \"9\",\n"
  "      \"action\": \"log\", \"parameter\": \"udp-nine\" },\n"
  "    { \"id\": \"3f1c0e55-4d7a-4c39-9a0e-7d4f0b1b6a02\", \"enabled\": true, \"name\": \"Discard alert\",\n"
  "      \"property\": \"destination-port\", \"relation\": \"is\", \"value\": \"9\",\n"
  "      \"action\": \"alert\", \"parameter\": \"nine alert\" }\n"
  "  ]\n"
  "}\n";

/* ------------------------------------------------------------- helpers */

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
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* Fails when the window cannot draw n frames in five seconds. */
static void
wait_frames (PalWindow *window,
             guint      n)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (GTK_WIDGET (window), count_frame_cb, &frames, NULL);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (frames < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), id);
  g_assert_cmpuint (frames, >=, n);
}

static void
save_screenshot (PalWindow  *window,
                 const char *name)
{
  GtkWidget *widget = GTK_WIDGET (window);
  const char *dir = g_getenv ("PAL_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL)
    return;
  wait_frames (window, 3);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  file_name = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static PalWindow *
new_window (void)
{
  PalWindow *window = pal_window_new (GTK_APPLICATION (application));

  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 700);
  gtk_window_present (GTK_WINDOW (window));
  g_object_set (window, "log-visible", TRUE, NULL);
  wait_frames (window, 2);
  pal_log_drawer_clear (window->log_drawer);
  return window;
}

static void
close_window (PalWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GVariant *
named_entry (gint64      time,
             const char *kind,
             const char *text,
             const char *rule,
             const char *name,
             const char *source,
             guint16     dport)
{
  return g_variant_new ("(xsssssssssssqqnnsu)", time, kind, text, rule, name, "input", "eth0", "",
                        "52:54:00:12:34:56", "tcp", source, "192.0.2.1",
                        (guint16) 40000, dport, (gint16) -1, (gint16) -1, "syn", (guint32) 60);
}

static GVariant *
entry (gint64      time,
       const char *kind,
       const char *text,
       const char *rule,
       const char *source,
       guint16     dport)
{
  return named_entry (time, kind, text, rule, "", source, dport);
}

/* n entries: every tenth to port 22, the others to 80, sources counting. */
static GVariant *
batch (guint  n,
       guint  first)
{
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a(xsssssssssssqqnnsu)"));

  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *source = g_strdup_printf ("10.%u.%u.%u", (i >> 16) & 255, (i >> 8) & 255, i & 255);

      g_variant_builder_add_value (builder, entry (1700000000000000 + i * 1000, "log",
                                                   i % 10 == 0 ? "ssh-probe" : "web", "",
                                                   source, i % 10 == 0 ? 22 : 80));
    }
  return g_variant_ref_sink (g_variant_builder_end (builder));
}

/* --------------------------------------------------------------- tests */

/* 5,000 entries in one batch, three times over: the view keeps the last
 * 10,000, says it dropped 5,000, and the window keeps drawing. */
static void
test_flood (void)
{
  PalWindow *window = new_window ();
  PalLogDrawer *drawer = window->log_drawer;
  clock_t start;
  double seconds;

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GVariant) entries = batch (5000, round * 5000);

      start = clock ();
      pal_log_drawer_add_entries (drawer, entries);
      wait_frames (window, 2);
      seconds = (double) (clock () - start) / CLOCKS_PER_SEC;
      g_test_message ("batch %u: %.0f ms of CPU including two frames", round, seconds * 1000);
      /* A thousand entries a second arrive as five batches of 200: a
       * batch of 5,000 must take well under a second of work (CPU time:
       * a loaded test machine must not make this fail). */
      g_assert_cmpfloat (seconds, <, 1.0);
    }
  g_assert_cmpuint (pal_log_drawer_get_n_entries (drawer), ==, PAL_LOG_DRAWER_DEFAULT_MAX_ROWS);
  g_assert_cmpuint (pal_log_drawer_get_n_dropped (drawer), ==, 5000);
  g_assert_cmpstr (pal_log_drawer_get_status_text (drawer), ==, "5000 entries dropped from the view");
  {
    g_autoptr(PalLogItem) oldest = g_list_model_get_item (pal_log_drawer_get_model (drawer), 0);

    g_assert_cmpstr (pal_log_item_get_source (oldest), ==, "10.0.19.136");   /* entry 5000 */
  }
  save_screenshot (window, "window-log-drawer-flood");

  /* A single batch larger than the view keeps its newest rows. */
  pal_log_drawer_clear (drawer);
  pal_log_drawer_set_max_rows (drawer, 1000);
  {
    g_autoptr(GVariant) entries = batch (2500, 0);

    pal_log_drawer_add_entries (drawer, entries);
  }
  g_assert_cmpuint (pal_log_drawer_get_n_entries (drawer), ==, 1000);
  g_assert_cmpuint (pal_log_drawer_get_n_dropped (drawer), ==, 1500);
  close_window (window);
}

static void
test_filter_clear_copy (void)
{
  PalWindow *window = new_window ();
  PalLogDrawer *drawer = window->log_drawer;
  GListModel *shown = pal_log_drawer_get_model (drawer);
  g_autoptr(GVariant) entries = batch (100, 0);
  g_autofree char *copied = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GtkSelectionModel *selection;

  pal_log_drawer_add_entries (drawer, entries);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 100);

  /* Any column, any case. */
  pal_log_drawer_set_filter_text (drawer, "SSH-Probe");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 10);
  pal_log_drawer_set_filter_text (drawer, "10.0.0.5");    /* 10.0.0.5, 10.0.0.50 … 59 */
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 11);
  pal_log_drawer_set_filter_text (drawer, "→ 22");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 10);

  /* Copy: the selected rows as tab-separated lines. */
  selection = pal_log_drawer_get_selection (drawer);
  gtk_selection_model_select_range (selection, 0, 2, TRUE);
  copied = pal_log_drawer_get_selection_text (drawer);
  g_assert_nonnull (copied);
  g_assert_true (g_str_has_suffix (copied, "\t40000 → 22\tlog\n"));
  lines = g_strsplit (copied, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_nonnull (strstr (copied, "ssh-probe\tIn\teth0\ttcp\t10.0.0.10\t192.0.2.1\t"));
  pal_log_drawer_copy_selection (drawer);

  /* Export: a header and the rows shown. */
  text = pal_log_drawer_to_text (drawer);
  g_assert_true (g_str_has_prefix (text, "Time\tRule\tDirection\tInterface\tProtocol\tSource\tDestination\tPorts\tVerdict\n"));
  save_screenshot (window, "window-log-drawer");

  /* Pause holds new rows back; resume adds them. */
  pal_log_drawer_set_filter_text (drawer, NULL);
  pal_log_drawer_set_paused (drawer, TRUE);
  {
    g_autoptr(GVariant) more = batch (5, 100);

    pal_log_drawer_add_entries (drawer, more);
  }
  g_assert_cmpuint (pal_log_drawer_get_n_entries (drawer), ==, 100);
  pal_log_drawer_set_paused (drawer, FALSE);
  g_assert_cmpuint (pal_log_drawer_get_n_entries (drawer), ==, 105);

  pal_log_drawer_clear (drawer);
  g_assert_cmpuint (pal_log_drawer_get_n_entries (drawer), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
  close_window (window);
}

/* A click on a logged rule selects it in the outline. */
static void
test_rule_link (void)
{
  PalWindow *window = new_window ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) document = pal_fwdoc_load_data (log_document, -1, NULL, NULL, &error);
  g_autoptr(GPtrArray) rows = NULL;
  GtkTreeListRow *row;

  g_assert_no_error (error);
  pal_window_set_document (window, document, NULL);
  g_signal_emit_by_name (window->log_drawer, "rule-activated", "3f1c0e55-4d7a-4c39-9a0e-7d4f0b1b6a02");
  rows = pal_rule_outline_get_selected_rows (pal_window_get_outline (window));
  g_assert_cmpuint (rows->len, ==, 1);
  row = rows->pdata[0];
  g_assert_cmpstr (pal_rule_get_id (gtk_tree_list_row_get_item (row)), ==,
                   "3f1c0e55-4d7a-4c39-9a0e-7d4f0b1b6a02");
  g_object_unref (gtk_tree_list_row_get_item (row));
  close_window (window);
}

/* An entry names its rule; a click on that name (the cell's own click
 * gesture) selects the rule in the outline. */
static void
test_rule_click (void)
{
  PalWindow *window = new_window ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) document = pal_fwdoc_load_data (log_document, -1, NULL, NULL, &error);
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a(xsssssssssssqqnnsu)"));
  g_autoptr(GVariant) entries = NULL;
  g_autoptr(GListModel) controllers = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GtkEventController *click = NULL;
  GtkWidget *cell;

  g_assert_no_error (error);
  pal_window_set_document (window, document, NULL);
  g_variant_builder_add_value (builder, named_entry (1700000000000000, "alert", "nine alert",
                                                     "3f1c0e55-4d7a-4c39-9a0e-7d4f0b1b6a02", "Discard alert",
                                                     "198.51.100.7", 9));
  g_variant_builder_add_value (builder, named_entry (1700000001000000, "denied", "default drop", "", "",
                                                     "198.51.100.8", 23));
  entries = g_variant_ref_sink (g_variant_builder_end (builder));
  pal_log_drawer_add_entries (window->log_drawer, entries);
  wait_frames (window, 3);
  save_screenshot (window, "window-log-rule-names");

  cell = pal_log_drawer_get_rule_cell (window->log_drawer, 0);
  g_assert_nonnull (cell);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cell)), ==, "Discard alert");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (pal_log_drawer_get_rule_cell (window->log_drawer, 1))),
                   ==, "default drop");
  controllers = gtk_widget_observe_controllers (cell);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        click = controller;
    }
  g_assert_nonnull (click);
  g_signal_emit_by_name (click, "released", 1, 4.0, 4.0);

  rows = pal_rule_outline_get_selected_rows (pal_window_get_outline (window));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (pal_rule_get_id (gtk_tree_list_row_get_item (rows->pdata[0])), ==,
                   "3f1c0e55-4d7a-4c39-9a0e-7d4f0b1b6a02");
  g_object_unref (gtk_tree_list_row_get_item (rows->pdata[0]));
  close_window (window);
}

/* One notification per rule in the interval; other rules are not held. */
static void
test_alert_rate (void)
{
  g_autoptr(PalAlertNotifier) notifier = pal_alert_notifier_new ();
  g_autoptr(GVariant) a1 = g_variant_ref_sink (entry (1, "alert", "intruder", "rule-a", "198.51.100.7", 22));
  g_autoptr(GVariant) a2 = g_variant_ref_sink (entry (2, "alert", "intruder", "rule-a", "198.51.100.8", 22));
  g_autoptr(GVariant) b1 = g_variant_ref_sink (entry (3, "alert", "scan", "rule-b", "198.51.100.9", 23));
  g_autoptr(GVariant) l1 = g_variant_ref_sink (entry (4, "log", "plain", "rule-c", "198.51.100.9", 23));
  g_autoptr(PalLogItem) ia1 = pal_log_item_new (a1);
  g_autoptr(PalLogItem) ia2 = pal_log_item_new (a2);
  g_autoptr(PalLogItem) ib1 = pal_log_item_new (b1);
  g_autoptr(PalLogItem) il1 = pal_log_item_new (l1);

  g_assert_true (pal_alert_notifier_handle (notifier, G_APPLICATION (application), ia1));
  g_assert_cmpstr (pal_alert_notifier_get_last_body (notifier), ==,
                   "Palisade alert: intruder — 198.51.100.7 → 192.0.2.1");
  g_assert_false (pal_alert_notifier_handle (notifier, G_APPLICATION (application), ia2));
  g_assert_true (pal_alert_notifier_handle (notifier, G_APPLICATION (application), ib1));
  g_assert_false (pal_alert_notifier_handle (notifier, G_APPLICATION (application), il1));
}


/* ------------------------------------------------------------ interfaces */

static const char interfaces_document[] =
  "{\n"
  "  \"fwdoc\": 1,\n"
  "  \"enabled\": false,\n"
  "  \"default\": \"pass\",\n"
  "  \"interfaces\": {\n"
  "    \"wlp9s0\": { \"filter\": false, \"external\": true, \"bridge\": false }\n"
  "  },\n"
  "  \"rules\": []\n"
  "}\n";

static GVariant *
machine_interfaces (void)
{
  const char *lo[] = { "127.0.0.1/8", "::1/128", NULL };
  const char *eth[] = { "192.0.2.10/24", NULL };

  return g_variant_new_parsed ("[(%s, uint32 1, 'loopback', 'unknown', '', %^as),"
                               " (%s, uint32 2, 'veth', 'up', '52:54:00:12:34:56', %^as)]",
                               "lo", lo, "eth0", eth);
}

static gboolean
check_active (PalInterfacesPage *page,
              const char        *name,
              const char        *setting)
{
  GtkWidget *check = pal_interfaces_page_get_check (page, name, setting);

  g_assert_nonnull (check);
  return gtk_check_button_get_active (GTK_CHECK_BUTTON (check));
}

static PalWindow *
interfaces_window (void)
{
  PalWindow *window = new_window ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) document = pal_fwdoc_load_data (interfaces_document, -1, NULL, NULL, &error);

  g_assert_no_error (error);
  pal_window_set_document (window, document, NULL);
  g_object_set (window, "log-visible", FALSE, NULL);
  adw_view_stack_set_visible_child_name (window->stack, "interfaces");
  return window;
}

/* Ticking a box of an interface the document does not name names it, as
 * one undoable command; a named interface the machine lacks stays. */
static void
test_interfaces_edit (void)
{
  PalWindow *window = interfaces_window ();
  PalInterfacesPage *page = window->interfaces_page;
  PalDocument *document = pal_window_get_document (window);
  g_auto(GStrv) names = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GVariant) machine = g_variant_ref_sink (machine_interfaces ());

  /* Without the machine's list: the document's own, not greyed. */
  if (!pal_helper_client_get_available (pal_application_get_helper (application)))
    {
      g_assert_cmpstr (pal_interfaces_page_get_note (page), !=, "");
      g_assert_false (pal_interfaces_page_is_missing (page, "wlp9s0"));
    }
  pal_interfaces_page_set_machine (page, machine);
  names = pal_interfaces_page_get_names (page);
  g_assert_cmpstrv (names, ((const char *[]) { "lo", "eth0", "wlp9s0", NULL }));
  g_assert_true (pal_interfaces_page_is_missing (page, "wlp9s0"));
  g_assert_false (pal_interfaces_page_is_missing (page, "eth0"));
  g_assert_cmpstr (pal_interfaces_page_get_note (page), ==, "");
  g_assert_true (check_active (page, "eth0", "filter"));
  g_assert_false (check_active (page, "eth0", "external"));
  g_assert_true (check_active (page, "wlp9s0", "external"));
  g_assert_false (check_active (page, "wlp9s0", "filter"));

  /* A user's click on the check button. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (pal_interfaces_page_get_check (page, "eth0", "external")), TRUE);
  g_assert_nonnull (pal_document_lookup_interface (document, "eth0"));
  g_assert_true (pal_interface_config_get_external (pal_document_lookup_interface (document, "eth0")));
  g_assert_true (pal_interface_config_get_filter (pal_document_lookup_interface (document, "eth0")));
  g_assert_true (pal_window_get_modified (window));
  saved = pal_fwdoc_save_data (document, NULL);
  g_assert_nonnull (strstr (saved, "\"eth0\": {\n      \"filter\": true,\n      \"external\": true,"));
  save_screenshot (window, "window-interfaces-edit");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_null (pal_document_lookup_interface (document, "eth0"));
  g_assert_false (check_active (page, "eth0", "external"));
  g_assert_false (pal_window_get_modified (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL);
  g_assert_true (check_active (page, "eth0", "external"));

  /* A named interface: its property, undone and redone. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (pal_interfaces_page_get_check (page, "wlp9s0", "bridge")), TRUE);
  g_assert_true (pal_interface_config_get_bridge (pal_document_lookup_interface (document, "wlp9s0")));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_false (pal_interface_config_get_bridge (pal_document_lookup_interface (document, "wlp9s0")));
  g_assert_false (check_active (page, "wlp9s0", "bridge"));

  /* The machine losing eth0 keeps the document's setting, greyed. */
  pal_interfaces_page_set_machine (page, g_variant_new_parsed ("@a(susssas) []"));
  g_assert_true (pal_interfaces_page_is_missing (page, "eth0"));
  g_assert_true (check_active (page, "eth0", "external"));
  close_window (window);
}

/* The drawer's Log Denied switch is the document's setting: a flip is an
 * undoable edit that marks the document modified, and the switch follows
 * undo and a newly set document. */
static void
test_log_denied_switch (void)
{
  PalWindow *window = new_window ();
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalDocument) other = pal_document_new ();
  GtkSwitch *on = pal_log_drawer_get_log_denied_switch (window->log_drawer);
  g_autofree char *saved = NULL;

  pal_window_set_document (window, document, NULL);
  g_assert_false (gtk_switch_get_active (on));
  g_assert_false (pal_window_get_modified (window));

  gtk_switch_set_active (on, TRUE);
  g_assert_true (pal_document_get_log_denied (document));
  g_assert_true (pal_window_get_modified (window));
  saved = pal_fwdoc_save_data (document, NULL);
  g_assert_nonnull (strstr (saved, "\"log-denied\": true,"));
  save_screenshot (window, "window-log-denied");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_false (pal_document_get_log_denied (document));
  g_assert_false (gtk_switch_get_active (on));
  g_assert_false (pal_window_get_modified (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL);
  g_assert_true (gtk_switch_get_active (on));

  /* Another document: the switch shows its setting, and the old one no
   * longer moves it. */
  pal_window_set_document (window, other, NULL);
  g_assert_false (gtk_switch_get_active (on));
  pal_document_set_log_denied (document, FALSE);
  pal_document_set_log_denied (document, TRUE);
  g_assert_false (gtk_switch_get_active (on));
  g_assert_false (pal_document_get_log_denied (other));
  close_window (window);
}

/* ------------------------------------------------------ against the helper */

static gboolean
helper_available (gpointer data)
{
  return pal_helper_client_get_available (pal_application_get_helper (application));
}

static gboolean
status_has_prefix (gpointer data)
{
  gpointer *args = data;

  return g_str_has_prefix (pal_window_get_status (args[0]), args[1]);
}

static void
wait_for_status (PalWindow  *window,
                 const char *prefix)
{
  gpointer args[] = { window, (gpointer) prefix };

  if (!wait_for (status_has_prefix, args))
    g_error ("status “%s” never started with “%s”", pal_window_get_status (window), prefix);
}

static void
send_traffic (void)
{
  const char *pid = g_subprocess_get_identifier (helper);
  g_autoptr(GError) error = NULL;
  int status = 0;
  g_autofree char *command = g_strdup_printf ("nsenter -t %s -n sh -c "
                                              "'for i in 1 2 3; do echo hello | nc -u -w1 -q0 127.0.0.1 9; done'",
                                              pid);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
}

static PalLogItem *
find_row (PalLogDrawer *drawer,
          const char   *kind)
{
  GListModel *model = pal_log_drawer_get_model (drawer);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PalLogItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (pal_log_item_get_kind (item), kind))
        return item;
    }
  return NULL;
}

static gboolean
has_log_and_alert (gpointer data)
{
  if (find_row (data, "log") != NULL && find_row (data, "alert") != NULL)
    return TRUE;
  if (g_random_int_range (0, 50) == 0)
    send_traffic ();
  return FALSE;
}

static void
test_helper_entries (void)
{
  PalWindow *window = new_window ();
  PalLogDrawer *drawer = window->log_drawer;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) document = pal_fwdoc_load_data (log_document, -1, NULL, NULL, &error);
  PalLogItem *row;

  g_assert_no_error (error);
  pal_window_set_document (window, document, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL);
  wait_for_status (window, "Applied");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-firewall", "b", TRUE);

  send_traffic ();
  if (!wait_for (has_log_and_alert, drawer))
    g_error ("no log and alert rows; %u rows", pal_log_drawer_get_n_entries (drawer));

  row = find_row (drawer, "log");
  g_assert_cmpstr (pal_log_item_get_text (row), ==, "udp-nine");
  g_assert_cmpstr (pal_log_item_get_rule_id (row), ==, "3f1c0e55-4d7a-4c39-9a0e-7d4f0b1b6a01");
  /* The helper names the rule from the key in its prefix. */
  g_assert_cmpstr (pal_log_item_get_rule_name (row), ==, "Discard log");
  g_assert_cmpstr (pal_log_item_get_column (row, PAL_LOG_COLUMN_RULE), ==, "Discard log");
  g_assert_cmpstr (pal_log_item_get_column (row, PAL_LOG_COLUMN_PROTOCOL), ==, "udp");
  g_assert_cmpstr (pal_log_item_get_destination (row), ==, "127.0.0.1");
  g_assert_true (g_str_has_suffix (pal_log_item_get_column (row, PAL_LOG_COLUMN_PORTS), "→ 9"));
  row = find_row (drawer, "alert");
  g_assert_cmpstr (pal_log_item_get_text (row), ==, "nine alert");
  save_screenshot (window, "window-log-drawer-helper");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.set-firewall", "b", FALSE);
  close_window (window);
}


static gboolean
lists_lo (gpointer data)
{
  g_auto(GStrv) names = pal_interfaces_page_get_names (data);

  return g_strv_contains ((const char * const *) names, "lo")
         && !pal_interfaces_page_is_missing (data, "lo");
}

/* The sandbox's own loopback, from GetInterfaces; External on it saved. */
static void
test_helper_interfaces (void)
{
  PalWindow *window = interfaces_window ();
  PalInterfacesPage *page = window->interfaces_page;
  g_autofree char *path = g_build_filename (runtime_dir, "interfaces.fwdoc", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (wait_for (lists_lo, page));
  g_assert_cmpstr (pal_interfaces_page_get_note (page), ==, "");
  g_assert_true (pal_interfaces_page_is_missing (page, "wlp9s0"));
  save_screenshot (window, "window-interfaces-helper");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (pal_interfaces_page_get_check (page, "lo", "external")), TRUE);
  g_assert_true (pal_window_save_file (window, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_nonnull (strstr (text, "\"lo\": {\n      \"filter\": true,\n      \"external\": true,\n      \"bridge\": false\n"));
  g_assert_nonnull (strstr (text, "\"wlp9s0\""));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_false (check_active (page, "lo", "external"));
  close_window (window);
  g_unlink (path);
}

static void
test_cannot_run (void)
{
  g_test_skip ("needs root, nsenter, nc and PAL_HELPER_PATH to run the sandbox helper");
}

/* ------------------------------------------------------------- harness */

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

static void
start_sandbox (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  helper = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PAL_HELPER_PATH"), "--sandbox", NULL);
  g_assert_no_error (error);
  g_assert_true (wait_for (bus_file_exists, NULL));
}

static void
stop_sandbox (void)
{
  g_subprocess_send_signal (helper, SIGINT);
  g_subprocess_wait (helper, NULL, NULL);
  g_clear_object (&helper);
}

static gboolean
can_run_sandbox (void)
{
  return getuid () == 0 && g_getenv ("PAL_HELPER_PATH") != NULL
         && g_find_program_in_path ("nsenter") != NULL && g_find_program_in_path ("nc") != NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gboolean sandbox;
  int status;

  /* Before anything reads it: GLib keeps the first value it sees. */
  runtime_dir = g_dir_make_tmp ("palisade-gui-log-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (runtime_dir, 0700);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  sandbox = can_run_sandbox ();
  if (sandbox)
    start_sandbox ();
  application = pal_application_new ();
  pal_application_set_sandbox (application, sandbox);
  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  if (sandbox && !wait_for (helper_available, NULL))
    g_error ("the sandbox helper did not answer: %s",
             pal_helper_client_get_unavailable_reason (pal_application_get_helper (application)));

  g_test_add_func ("/gui/log/flood", test_flood);
  g_test_add_func ("/gui/log/filter-clear-copy", test_filter_clear_copy);
  g_test_add_func ("/gui/log/rule-link", test_rule_link);
  g_test_add_func ("/gui/log/rule-click", test_rule_click);
  g_test_add_func ("/gui/log/alert-rate", test_alert_rate);
  g_test_add_func ("/gui/interfaces/edit", test_interfaces_edit);
  g_test_add_func ("/gui/log/log-denied-switch", test_log_denied_switch);
  if (sandbox)
    {
      g_test_add_func ("/gui/log/helper-entries", test_helper_entries);
      g_test_add_func ("/gui/interfaces/helper", test_helper_interfaces);
    }
  else
    {
      g_test_add_func ("/gui/log/helper-entries", test_cannot_run);
      g_test_add_func ("/gui/interfaces/helper", test_cannot_run);
    }

  status = g_test_run ();
  g_clear_object (&application);
  if (sandbox)
    stop_sandbox ();
  g_rmdir (runtime_dir);
  return status;
}
