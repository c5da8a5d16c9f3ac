/* gui-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include "gui-test-util.h"

gboolean
gui_test_wait_for (GuiTestCondition condition,
                   gpointer         data,
                   guint            timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

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
status_has_prefix (gpointer data)
{
  gpointer *args = data;

  return g_str_has_prefix (pal_window_get_status (args[0]), args[1]);
}

void
gui_test_wait_for_status (PalWindow  *window,
                          const char *prefix,
                          guint       timeout_s)
{
  gpointer args[] = { window, (gpointer) prefix };

  if (!gui_test_wait_for (status_has_prefix, args, timeout_s))
    g_error ("status “%s” never started with “%s”", pal_window_get_status (window), prefix);
}

void
gui_test_flush (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

AdwMessageDialog *
gui_test_find_message_dialog (void)
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
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGINT);
}

GSubprocess *
gui_test_start_sandbox (const char *runtime_dir)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *bus = g_build_filename (runtime_dir, "palisade-sandbox", "bus", NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *helper;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  helper = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PAL_HELPER_PATH"), "--sandbox", NULL);
  g_assert_no_error (error);
  if (!gui_test_wait_for (file_exists, bus, 20))
    g_error ("the sandbox helper made no bus at %s", bus);
  return helper;
}

void
gui_test_stop_sandbox (GSubprocess *helper)
{
  g_subprocess_send_signal (helper, SIGINT);
  g_subprocess_wait (helper, NULL, NULL);
  g_object_unref (helper);
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

void
gui_test_wait_frames (GtkWidget *widget,
                      guint      n)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (frames < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (widget, id);
  gui_test_flush ();
}

void
gui_test_save_screenshot (GtkWidget  *widget,
                          const char *name)
{
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
  /* Frames drawn, so the paintable shows what is laid out now. */
  gui_test_wait_frames (widget, 3);
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

void
gui_test_activate (PalWindow  *window,
                   const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
}

PalRule *
gui_test_top_rule (PalWindow *window,
                   guint      position)
{
  GListModel *rules = pal_document_get_rules (pal_window_get_document (window));
  g_autoptr(PalRule) rule = g_list_model_get_item (rules, position);

  g_assert_nonnull (rule);
  return rule;
}

PalRule *
gui_test_child_rule (PalRule *parent,
                     guint    position)
{
  g_autoptr(PalRule) rule = pal_rule_get_child (parent, position);

  g_assert_nonnull (rule);
  return rule;
}

void
gui_test_select_rule (PalWindow *window,
                      PalRule   *rule)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();

  g_ptr_array_add (rules, rule);
  pal_rule_outline_select_rules (pal_window_get_outline (window), rules);
}

void
gui_test_collect_ids (GListModel *rules,
                      GHashTable *ids)
{
  guint n = g_list_model_get_n_items (rules);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (rules, i);

      g_hash_table_add (ids, g_strdup (pal_rule_get_id (rule)));
      gui_test_collect_ids (pal_rule_get_children (rule), ids);
    }
}

char *
gui_test_without_ids (const char *json)
{
  g_autoptr(GRegex) regex = g_regex_new ("\"id\": \"[0-9a-f-]{36}\"", 0, 0, NULL);

  return g_regex_replace_literal (regex, json, -1, 0, "\"id\": \"\"", 0, NULL);
}
