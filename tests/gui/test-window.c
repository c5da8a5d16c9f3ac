/* test-window.c — the document window, driven through its actions.
 *
 * Runs under Xvfb (tests/gui/meson.build). Every edit goes through the
 * same win. actions the menus, keys and cells use, and the checks read the
 * document model. Screenshots of the main states go to PAL_SCREENSHOT_DIR
 * for a person to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "gui-test-util.h"
#include "pal-application.h"
#include "pal-fwdoc.h"
#include "pal-templates.h"
#include "pal-rule-choice-cell.h"
#include "pal-rule-live-cell.h"
#include "pal-rule-name-cell.h"
#include "pal-rule-text-cell.h"
#include "pal-triggered-page.h"
#include "pal-window.h"

static PalApplication *application;

typedef struct
{
  PalWindow *window;
  char      *tmpdir;
} Fixture;

/* ------------------------------------------------------------- helpers */

static void
activate (Fixture    *fixture,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), action, NULL));
}

/* What a cell does when the user edits it. */
static void
set_field (Fixture    *fixture,
           PalRule    *rule,
           const char *field,
           GVariant   *value)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.set-field", "(ssv)",
                                             pal_rule_get_id (rule), field, value));
}

static PalDocument *
document_of (Fixture *fixture)
{
  return pal_window_get_document (fixture->window);
}

static char *
document_json (Fixture *fixture)
{
  return pal_fwdoc_save_data (document_of (fixture), NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tmpdir = g_dir_make_tmp ("palisade-gui-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmpdir);
  fixture->window = pal_window_new (GTK_APPLICATION (application));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1180, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

/* --------------------------------------------------------------- tests */

static void
test_default_window (Fixture       *fixture,
                     gconstpointer  data)
{
  PalRuleOutline *outline = pal_window_get_outline (fixture->window);
  PalRule *first = gui_test_top_rule (fixture->window, 0);

  /* A new window shows the default document, unsaved and unmodified. */
  g_assert_null (pal_window_get_file (fixture->window));
  g_assert_false (pal_window_get_modified (fixture->window));
  g_assert_true (pal_window_is_pristine (fixture->window));
  g_assert_cmpuint (pal_document_count_rules (document_of (fixture)), >, 5);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==,
                   "Getting Started — Palisade");

  pal_rule_outline_expand (outline, first, TRUE);
  gui_test_select_rule (fixture->window, gui_test_child_rule (first, 1));
  gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-default");
  /* Virtual list: only visible rows have widgets. */
  g_assert_cmpuint (pal_rule_outline_get_n_bound_cells (outline), >, 0);
}

/* Builds a small outline with the keyboard's actions only. */
static void
test_build_by_keyboard (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PalDocument) empty = pal_document_new ();
  PalRule *group, *ssh, *web;

  pal_window_set_document (fixture->window, empty, NULL);

  activate (fixture, "win.new-sibling");                         /* Ctrl+N */
  group = gui_test_top_rule (fixture->window, 0);
  set_field (fixture, group, "name", g_variant_new_string ("Servers"));
  set_field (fixture, group, "property", g_variant_new_string ("direction"));
  set_field (fixture, group, "value", g_variant_new_string ("in"));
  set_field (fixture, group, "action", g_variant_new_string ("group"));

  activate (fixture, "win.new-child");                           /* Ctrl+Shift+N */
  ssh = gui_test_child_rule (group, 0);
  set_field (fixture, ssh, "name", g_variant_new_string ("SSH"));
  set_field (fixture, ssh, "property", g_variant_new_string ("destination-port"));
  set_field (fixture, ssh, "value", g_variant_new_string ("22"));
  set_field (fixture, ssh, "action", g_variant_new_string ("pass"));

  activate (fixture, "win.new-sibling");                         /* after SSH, inside the group */
  web = gui_test_child_rule (group, 1);
  set_field (fixture, web, "name", g_variant_new_string ("Web"));
  set_field (fixture, web, "property", g_variant_new_string ("destination-port"));
  set_field (fixture, web, "value", g_variant_new_string ("80, 443"));
  set_field (fixture, web, "action", g_variant_new_string ("pass"));

  activate (fixture, "win.new-before");                          /* Alt+N: before Web */
  set_field (fixture, gui_test_child_rule (group, 1), "name", g_variant_new_string ("Ping"));
  set_field (fixture, gui_test_child_rule (group, 1), "property", g_variant_new_string ("icmp-type"));
  set_field (fixture, gui_test_child_rule (group, 1), "value", g_variant_new_string ("echo-request"));
  set_field (fixture, gui_test_child_rule (group, 1), "action", g_variant_new_string ("rate-limit"));
  set_field (fixture, gui_test_child_rule (group, 1), "parameter", g_variant_new_string ("10/second"));

  gui_test_select_rule (fixture->window, group);
  activate (fixture, "win.new-sibling");                         /* after the open group: its first child */
  g_assert_cmpuint (pal_rule_get_n_children (group), ==, 4);
  activate (fixture, "win.delete");
  g_assert_cmpuint (pal_rule_get_n_children (group), ==, 3);

  g_assert_cmpuint (g_list_model_get_n_items (pal_document_get_rules (document_of (fixture))), ==, 1);
  g_assert_cmpstr (pal_rule_get_name (gui_test_child_rule (group, 0)), ==, "SSH");
  g_assert_cmpstr (pal_rule_get_name (gui_test_child_rule (group, 1)), ==, "Ping");
  g_assert_cmpstr (pal_rule_get_name (gui_test_child_rule (group, 2)), ==, "Web");
  g_assert_cmpint (pal_rule_get_property (web), ==, PAL_PROPERTY_DESTINATION_PORT);
  g_assert_cmpint (pal_rule_get_action (gui_test_child_rule (group, 1)), ==, PAL_ACTION_RATE_LIMIT);
  g_assert_cmpstr (pal_rule_get_parameter (gui_test_child_rule (group, 1)), ==, "10/second");
  g_assert_true (pal_window_get_modified (fixture->window));
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (fixture->window)), "• "));

  /* The property cell's list: open it, pick from it (one undo step). */
  {
    PalRuleOutline *outline = pal_window_get_outline (fixture->window);
    GtkWidget *cell, *popover = NULL;

    /* Let the renames that New started settle first: they take the focus. */
    gui_test_select_rule (fixture->window, web);
    gui_test_wait_frames (GTK_WIDGET (fixture->window), 6);
    cell = pal_rule_outline_get_cell (outline, web, "property");
    g_assert_nonnull (cell);
    g_assert_true (gtk_widget_activate_action (cell, "choice.open", NULL));
    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (outline)); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_POPOVER (child) && !GTK_IS_POPOVER_MENU (child))
        popover = child;
    g_assert_nonnull (popover);
    gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);
    g_assert_true (gtk_widget_get_visible (popover));
    gui_test_save_screenshot (popover, "popover-property");
    gtk_popover_popdown (GTK_POPOVER (popover));

    pal_rule_choice_cell_choose (PAL_RULE_CHOICE_CELL (cell), PAL_PROPERTY_SOURCE_PORT);
    g_assert_cmpint (pal_rule_get_property (web), ==, PAL_PROPERTY_SOURCE_PORT);
    activate (fixture, "win.undo");
    g_assert_cmpint (pal_rule_get_property (web), ==, PAL_PROPERTY_DESTINATION_PORT);
  }

  /* Unchecking the parent shows the subtree as inactive. */
  set_field (fixture, group, "enabled", g_variant_new_boolean (FALSE));
  g_assert_false (pal_rule_get_effective_enabled (web));
  gui_test_select_rule (fixture->window, web);
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_true (gtk_widget_has_css_class (pal_rule_outline_get_cell (pal_window_get_outline (fixture->window),
                                                                      web, "value"), "inactive"));
  gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-built-by-keyboard");
  set_field (fixture, group, "enabled", g_variant_new_boolean (TRUE));
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_false (gtk_widget_has_css_class (pal_rule_outline_get_cell (pal_window_get_outline (fixture->window),
                                                                       web, "value"), "inactive"));
}

/* Copy a collapsed parent, paste it: same structure, fresh ids. */
static void
test_copy_paste (Fixture       *fixture,
                 gconstpointer  data)
{
  PalDocument *document = document_of (fixture);
  PalRule *source = gui_test_top_rule (fixture->window, 0);
  guint n_top = g_list_model_get_n_items (pal_document_get_rules (document));
  guint before = pal_document_count_rules (document);
  g_autoptr(GHashTable) old_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) new_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autofree char *source_json = NULL;
  g_autofree char *pasted_json = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  PalRule *pasted;
  GHashTableIter iter;
  gpointer id;

  g_assert_cmpuint (pal_rule_get_n_children (source), >, 0);
  gui_test_collect_ids (pal_document_get_rules (document), old_ids);

  gui_test_select_rule (fixture->window, source);                 /* collapsed: carries its children */
  activate (fixture, "win.copy");
  activate (fixture, "win.paste");               /* after the selection */

  g_assert_cmpuint (g_list_model_get_n_items (pal_document_get_rules (document)), ==, n_top + 1);
  g_assert_cmpuint (pal_document_count_rules (document), ==, before + pal_rule_count (source));
  pasted = gui_test_top_rule (fixture->window, 1);

  /* Identical structure and content, only the ids differ, all fresh. */
  g_ptr_array_add (one, source);
  source_json = pal_fwdoc_rules_to_data (one);
  g_ptr_array_index (one, 0) = pasted;
  pasted_json = pal_fwdoc_rules_to_data (one);
  g_assert_cmpstr (source_json, !=, pasted_json);
  a = gui_test_without_ids (source_json);
  b = gui_test_without_ids (pasted_json);
  g_assert_cmpstr (a, ==, b);

  gui_test_collect_ids (pal_rule_get_children (pasted), new_ids);
  g_hash_table_add (new_ids, g_strdup (pal_rule_get_id (pasted)));
  g_assert_cmpuint (g_hash_table_size (new_ids), ==, pal_rule_count (source));
  g_hash_table_iter_init (&iter, new_ids);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_assert_false (g_hash_table_contains (old_ids, id));

  /* The clipboard holds the JSON text, usable in any text file. */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->window));
    GdkContentProvider *content = gdk_clipboard_get_content (clipboard);
    g_auto(GValue) value = G_VALUE_INIT;

    g_assert_nonnull (content);
    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
    g_assert_cmpstr (g_value_get_string (&value), ==, source_json);
  }

  /* An expanded parent's copy carries only its selected children... */
  pal_rule_outline_expand (pal_window_get_outline (fixture->window), source, FALSE);
  gui_test_select_rule (fixture->window, source);
  activate (fixture, "win.copy");
  gui_test_select_rule (fixture->window, gui_test_top_rule (fixture->window, n_top));
  activate (fixture, "win.paste");
  pasted = gui_test_top_rule (fixture->window, n_top + 1);
  g_assert_cmpuint (pal_rule_get_n_children (pasted), ==, 0);
  g_assert_cmpstr (pal_rule_get_name (pasted), ==, pal_rule_get_name (source));

  /* ...but Cut takes what it deletes, the whole subtree: cut and paste
   * moves rules without losing any. */
  gui_test_select_rule (fixture->window, source);
  activate (fixture, "win.cut");
  g_assert_cmpuint (g_list_model_get_n_items (pal_document_get_rules (document)), ==, n_top + 1);
  gui_test_select_rule (fixture->window, gui_test_top_rule (fixture->window, n_top));
  activate (fixture, "win.paste");
  pasted = gui_test_top_rule (fixture->window, n_top + 1);
  g_assert_cmpuint (pal_rule_count (pasted), ==, pal_rule_count (source));
}

static void
undo_all (Fixture *fixture)
{
  while (pal_undo_stack_can_undo (pal_window_get_undo_stack (fixture->window)))
    activate (fixture, "win.undo");
}

static void
redo_all (Fixture *fixture)
{
  while (pal_undo_stack_can_redo (pal_window_get_undo_stack (fixture->window)))
    activate (fixture, "win.redo");
}

/* Every kind of edit, undone back to the original and redone again. */
static void
test_undo_redo (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *original = document_json (fixture);
  g_autofree char *edited = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *redone = NULL;
  PalRule *first = gui_test_top_rule (fixture->window, 0);
  PalRule *second = gui_test_top_rule (fixture->window, 1);
  g_autofree char *second_id = g_strdup (pal_rule_get_id (second));
  const char *ids[] = { pal_rule_get_id (second), NULL };

  /* Defaults replaces the outline with new rule objects (the template's). */
  activate (fixture, "win.defaults");
  activate (fixture, "win.undo");
  activate (fixture, "win.redo");
  activate (fixture, "win.undo");
  g_assert_true (gui_test_top_rule (fixture->window, 0) == first);

  gui_test_select_rule (fixture->window, first);
  activate (fixture, "win.new-sibling");
  activate (fixture, "win.new-child");
  set_field (fixture, gui_test_child_rule (gui_test_top_rule (fixture->window, 1), 0), "value", g_variant_new_string ("x"));
  set_field (fixture, first, "name", g_variant_new_string ("Renamed"));
  set_field (fixture, first, "relation", g_variant_new_string ("is-not"));
  set_field (fixture, first, "enabled", g_variant_new_boolean (FALSE));
  gui_test_select_rule (fixture->window, first);
  activate (fixture, "win.copy");
  activate (fixture, "win.paste");
  /* A drag: the second rule dropped onto the first, as its last child. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.move-rules", "(^assu)",
                                             ids, pal_rule_get_id (first), G_MAXUINT));
  g_assert_true (pal_rule_get_parent (second) == first);
  gui_test_select_rule (fixture->window, gui_test_top_rule (fixture->window, 2));
  activate (fixture, "win.delete");
  activate (fixture, "win.defaults");
  set_field (fixture, gui_test_top_rule (fixture->window, 0), "name", g_variant_new_string ("After defaults"));
  edited = document_json (fixture);
  g_assert_true (g_strcmp0 (edited, original) != 0);

  undo_all (fixture);
  undone = document_json (fixture);
  g_assert_true (g_strcmp0 (undone, original) == 0);
  g_assert_false (pal_window_get_modified (fixture->window));
  /* The same rule objects came back, with their ids: counters still map. */
  g_assert_true (pal_document_find_rule (document_of (fixture), second_id) == second);

  redo_all (fixture);
  redone = document_json (fixture);
  g_assert_true (g_strcmp0 (redone, edited) == 0);
  g_assert_true (pal_window_get_modified (fixture->window));
}

/* Save, reopen in a new window, save again: byte for byte the same. */
static void
test_save_reopen (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "round-trip.fwdoc", NULL);
  g_autofree char *path2 = g_build_filename (fixture->tmpdir, "again.fwdoc", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) file2 = g_file_new_for_path (path2);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gsize first_length, second_length;
  PalWindow *reopened;

  set_field (fixture, gui_test_top_rule (fixture->window, 0), "name", g_variant_new_string ("Always (edited) ✓"));
  g_assert_true (pal_window_save_file (fixture->window, file, &error));
  g_assert_no_error (error);
  g_assert_false (pal_window_get_modified (fixture->window));
  g_assert_true (pal_window_get_file (fixture->window) == file);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "round-trip.fwdoc — Palisade");

  reopened = pal_window_new (GTK_APPLICATION (application));
  g_assert_true (pal_window_load_file (reopened, file, &error));
  g_assert_no_error (error);
  g_assert_false (pal_window_get_modified (reopened));
  g_assert_true (pal_window_save_file (reopened, file2, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &first, &first_length, NULL));
  g_assert_true (g_file_get_contents (path2, &second, &second_length, NULL));
  g_assert_cmpmem (first, first_length, second, second_length);
  gtk_window_destroy (GTK_WINDOW (reopened));

  /* A file that does not read leaves the window as it was, with the
   * parser's located message. */
  g_assert_true (g_file_set_contents (path2, "{\n  \"fwdoc\": 1,\n  \"rules\": [ {\"property\": 7} ]\n}\n",
                                      -1, NULL));
  g_assert_false (pal_window_load_file (fixture->window, file2, &error));
  g_assert_nonnull (error);
  g_test_message ("read error: %s", error->message);
  g_assert_true (strstr (error->message, "again.fwdoc:") != NULL);
  g_assert_true (pal_window_get_file (fixture->window) == file);
}

/* An invalid value is kept as typed but marked, and cannot be saved. */
static void
test_invalid_value (Fixture       *fixture,
                    gconstpointer  data)
{
  PalRuleOutline *outline = pal_window_get_outline (fixture->window);
  g_autofree char *path = g_build_filename (fixture->tmpdir, "invalid.fwdoc", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PalRule *rule = gui_test_top_rule (fixture->window, 1);
  GtkWidget *cell;

  gui_test_select_rule (fixture->window, rule);
  set_field (fixture, rule, "property", g_variant_new_string ("source-address"));
  set_field (fixture, rule, "value", g_variant_new_string ("10.0.0.300"));
  g_assert_cmpstr (pal_rule_get_value (rule), ==, "10.0.0.300");
  g_assert_true (strstr (pal_window_get_status (fixture->window), "10.0.0.300") != NULL);

  gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  cell = pal_rule_outline_get_cell (outline, rule, "value");
  g_assert_nonnull (cell);
  g_assert_nonnull (pal_rule_text_cell_get_error (PAL_RULE_TEXT_CELL (cell)));
  g_assert_true (strstr (pal_rule_text_cell_get_error (PAL_RULE_TEXT_CELL (cell)), "10.0.0.300") != NULL);
  gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-invalid-value");

  g_assert_false (pal_window_save_file (fixture->window, file, &error));
  g_assert_error (error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_INVALID_VALUE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Fixing the property makes the same cell valid again. */
  set_field (fixture, rule, "value", g_variant_new_string ("10.0.0.30"));
  g_assert_null (pal_rule_text_cell_get_error (PAL_RULE_TEXT_CELL (cell)));
  g_assert_true (pal_window_save_file (fixture->window, file, NULL));
}

static void
count_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        guint      *count)
{
  (*count)++;
}

/* A GetCounterValues reply: ids NULL when the layout is known. */
static GVariant *
counter_values (guint64             layout,
                const char * const *ids,
                const guint64      *values)
{
  return g_variant_ref_sink (g_variant_new ("(t@as@at)", layout, g_variant_new_strv (ids, ids != NULL ? -1 : 0),
                                            g_variant_new_fixed_array (G_VARIANT_TYPE_UINT64, values, 6,
                                                                       sizeof (guint64))));
}

/* Counters repaint the live column without touching the model. */
static void
test_live_column (Fixture       *fixture,
                  gconstpointer  data)
{
  PalRuleOutline *outline = pal_window_get_outline (fixture->window);
  PalCounterTable *counters = pal_window_get_counters (fixture->window);
  GtkSelectionModel *selection = pal_rule_outline_get_selection (outline);
  PalRule *first = gui_test_top_rule (fixture->window, 0);
  PalRule *second = gui_test_top_rule (fixture->window, 1);
  const char *ids[] = { pal_rule_get_id (first), pal_rule_get_id (second), NULL };
  const guint64 values[] = { 1234567, 99, 3000, 0, 0, G_MAXUINT64 };
  const guint64 again[] = { 1234570, 120, 3000, 0, 0, G_MAXUINT64 };
  g_autoptr(GVariant) reply = counter_values (7, ids, values);
  g_autoptr(GVariant) next_reply = counter_values (7, NULL, again);
  g_autoptr(GVariant) still_reply = counter_values (7, NULL, again);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  guint items_changed = 0;
  GtkWidget *cell;

  g_signal_connect (selection, "items-changed", G_CALLBACK (count_items_changed_cb), &items_changed);
  gui_test_select_rule (fixture->window, second);
  gtk_widget_activate_action (GTK_WIDGET (outline), "outline.last-column", "s", "packets");
  g_assert_cmpstr (pal_rule_outline_get_last_column (outline), ==, "packets");
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);

  /* GetCounterValues' first reply: a layout with its ids. */
  g_assert_true (pal_counter_table_update (counters, reply, g_get_monotonic_time (), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pal_counter_table_get_layout (counters), ==, 7);

  cell = pal_rule_outline_get_cell (outline, first, "last");
  g_assert_nonnull (cell);
  /* Digits grouped the locale's way (none in C.UTF-8). */
  expected = pal_counter_format_packets (1234567);
  g_assert_cmpstr (pal_rule_live_cell_get_text (PAL_RULE_LIVE_CELL (cell)), ==, expected);
  g_assert_true (gtk_selection_model_is_selected (selection, 1));
  g_assert_cmpuint (items_changed, ==, 0);

  /* An edit in progress survives a refresh. */
  pal_rule_outline_rename (outline, second);
  cell = pal_rule_outline_get_cell (outline, second, "name");
  g_assert_true (pal_rule_name_cell_get_editing (PAL_RULE_NAME_CELL (cell)));
  /* The next reply of the same layout has no ids. */
  g_assert_true (pal_counter_table_update (counters, next_reply, g_get_monotonic_time (), &error));
  g_assert_no_error (error);
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_true (pal_rule_name_cell_get_editing (PAL_RULE_NAME_CELL (cell)));
  g_assert_cmpuint (items_changed, ==, 0);
  /* The counter moved: its cell is marked for a moment. */
  g_assert_true (gtk_widget_has_css_class (pal_rule_outline_get_cell (outline, first, "last"), "counter-changed"));

  gtk_widget_activate_action (GTK_WIDGET (outline), "outline.last-column", "s", "last");
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  cell = pal_rule_outline_get_cell (outline, first, "last");
  g_assert_cmpstr (pal_rule_live_cell_get_text (PAL_RULE_LIVE_CELL (cell)), ==, "3 s ago");
  cell = pal_rule_outline_get_cell (outline, second, "last");
  g_assert_cmpstr (pal_rule_live_cell_get_text (PAL_RULE_LIVE_CELL (cell)), ==, "never");
  g_assert_true (gtk_selection_model_is_selected (selection, 1));
  gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-last-time");

  /* The mark goes with the next refresh that leaves the counter where it
   * was (not with a fade: each step of one would be a frame). */
  g_assert_true (pal_counter_table_update (counters, still_reply, g_get_monotonic_time (), &error));
  g_assert_no_error (error);
  g_assert_false (gtk_widget_has_css_class (pal_rule_outline_get_cell (outline, first, "last"), "counter-changed"));
}

static PalRule *
numbered_rule (guint i)
{
  PalRule *rule = pal_rule_new (PAL_PROPERTY_SOURCE_ADDRESS, PAL_ACTION_DROP);
  g_autofree char *name = g_strdup_printf ("Block host %u", i);
  g_autofree char *value = g_strdup_printf ("10.%u.%u.%u", i / 65536, (i / 256) % 256, i % 256);

  pal_rule_set_name (rule, name);
  pal_rule_set_value (rule, value);
  return rule;
}

/* GtkListView (4.8) keeps about 200 rows of widgets, whatever the length
 * of the list: the outline's cost must not grow with the document. */
#define MAX_BOUND_CELLS (7 * 256)

/* 10,000 rules: only a window of rows has widgets, before and after
 * scrolling to the end and back. */
static void
test_ten_thousand (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (g_object_unref);
  PalRuleOutline *outline = pal_window_get_outline (fixture->window);
  guint bound;

  for (guint i = 0; i < 10000; i++)
    g_ptr_array_add (rules, numbered_rule (i));
  pal_document_set_rules (document, rules);
  pal_window_set_document (fixture->window, document, NULL);
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 3);

  bound = pal_rule_outline_get_n_bound_cells (outline);
  g_assert_cmpuint (bound, >, 0);
  g_assert_cmpuint (bound, <, MAX_BOUND_CELLS);

  gui_test_select_rule (fixture->window, g_ptr_array_index (rules, 9999));
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 3);
  g_assert_nonnull (pal_rule_outline_get_cell (outline, g_ptr_array_index (rules, 9999), "name"));
  g_assert_cmpuint (pal_rule_outline_get_n_bound_cells (outline), <, MAX_BOUND_CELLS);

  gui_test_select_rule (fixture->window, g_ptr_array_index (rules, 0));
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 3);
  g_assert_cmpuint (pal_rule_outline_get_n_bound_cells (outline), <, MAX_BOUND_CELLS);

  /* The last row was shown and scrolled away: its cells let go of it. */
  {
    guint notify = g_signal_lookup ("notify", G_TYPE_OBJECT);
    PalRule *last = g_ptr_array_index (rules, 9999);

    g_assert_null (pal_rule_outline_get_cell (outline, last, "name"));
    g_assert_false (g_signal_has_handler_pending (last, notify, g_quark_from_static_string ("name"), FALSE));
    g_assert_false (g_signal_has_handler_pending (last, notify, g_quark_from_static_string ("value"), FALSE));
    g_assert_false (g_signal_has_handler_pending (last, notify, g_quark_from_static_string ("enabled"), FALSE));
    g_assert_true (g_signal_has_handler_pending (g_ptr_array_index (rules, 0), notify,
                                                 g_quark_from_static_string ("name"), FALSE));
  }

  /* An edit deep in the list is one command like any other. */
  set_field (fixture, g_ptr_array_index (rules, 5000), "value", g_variant_new_string ("192.0.2.1"));
  activate (fixture, "win.undo");
  g_assert_cmpstr (pal_rule_get_value (g_ptr_array_index (rules, 5000)), ==, "10.0.19.136");
}

static void
test_log_drawer (Fixture       *fixture,
                 gconstpointer  data)
{
  gboolean visible = FALSE;

  activate (fixture, "win.show-log");
  g_object_get (fixture->window, "log-visible", &visible, NULL);
  g_assert_true (visible);
  gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-log-drawer");
  activate (fixture, "win.show-log");
  g_object_get (fixture->window, "log-visible", &visible, NULL);
  g_assert_false (visible);
}

static AdwMessageDialog *
find_dialog_for (PalWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel)
          && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window)
          && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

/* Closing with unsaved changes asks; Cancel keeps the window, Discard
 * closes it. */
static void
test_close_asks (Fixture       *fixture,
                 gconstpointer  data)
{
  AdwMessageDialog *dialog;

  gtk_window_close (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (fixture->window);      /* unmodified: closes at once */
  remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);

  fixture_set_up (fixture, NULL);
  set_field (fixture, gui_test_top_rule (fixture->window, 0), "name", g_variant_new_string ("Changed"));
  gtk_window_close (GTK_WINDOW (fixture->window));
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_nonnull (fixture->window);
  dialog = find_dialog_for (fixture->window);
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "save"));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  gui_test_save_screenshot (GTK_WIDGET (dialog), "dialog-close-asks");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 1);
  g_assert_nonnull (fixture->window);

  gtk_window_close (GTK_WINDOW (fixture->window));
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  dialog = find_dialog_for (fixture->window);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  gtk_window_destroy (GTK_WINDOW (dialog));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (fixture->window);
}

/* One window per document; a pristine window takes the file. */
static void
test_open_file (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "open-me.fwdoc", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) same = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PalWindow *opened;
  PalWindow *other;

  g_assert_true (pal_window_save_file (fixture->window, file, &error));
  g_assert_no_error (error);
  other = pal_window_new (GTK_APPLICATION (application));
  g_assert_true (pal_window_is_pristine (other));

  /* The file is already open: its window comes forward, none is made. */
  opened = pal_application_open_file (application, same, other);
  g_assert_true (opened == fixture->window);
  g_assert_true (pal_window_get_file (other) == NULL);

  /* Another file goes into the pristine window. */
  {
    g_autofree char *path2 = g_build_filename (fixture->tmpdir, "second.fwdoc", NULL);
    g_autoptr(GFile) file2 = g_file_new_for_path (path2);

    g_assert_true (g_file_copy (file, file2, G_FILE_COPY_NONE, NULL, NULL, NULL, NULL));
    opened = pal_application_open_file (application, file2, other);
    g_assert_true (opened == other);
    g_assert_true (g_file_equal (pal_window_get_file (other), file2));
    g_assert_false (pal_window_get_modified (other));
    g_assert_true (strstr (pal_window_get_status (other), "Opened") != NULL);
  }
  gtk_window_destroy (GTK_WINDOW (other));
}

static void
test_expand_all (Fixture       *fixture,
                 gconstpointer  data)
{
  PalRuleOutline *outline = pal_window_get_outline (fixture->window);
  PalRule *suspicious = gui_test_top_rule (fixture->window, 1);
  PalRule *ident = gui_test_child_rule (suspicious, 2);
  PalRule *deepest = gui_test_child_rule (ident, 0);
  g_autoptr(GtkTreeListRow) row = NULL;

  g_assert_null (pal_rule_outline_get_row (outline, deepest));
  gui_test_select_rule (fixture->window, suspicious);
  activate (fixture, "win.expand-all");
  row = pal_rule_outline_get_row (outline, deepest);
  g_assert_nonnull (row);
  g_assert_cmpuint (gtk_tree_list_row_get_depth (row), ==, 2);
}

/* A child that contradicts its parent is refused like a bad value. */
static void
test_contradiction (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "contradiction.fwdoc", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PalRule *ping = gui_test_top_rule (fixture->window, 2);

  /* ICMP echo requests below a TCP-only parent can never match. */
  set_field (fixture, ping, "property", g_variant_new_string ("protocol"));
  set_field (fixture, ping, "value", g_variant_new_string ("tcp"));
  g_assert_false (pal_window_save_file (fixture->window, file, &error));
  g_assert_error (error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_CONTRADICTION);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (pal_window_get_status (fixture->window), "Not saved."));
  activate (fixture, "win.undo");
  activate (fixture, "win.undo");
  g_assert_true (pal_window_save_file (fixture->window, file, NULL));
}

/* Until their own issues, the other tabs show what the document holds. */
static void
test_other_tabs (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PalDocument) document = pal_templates_load ("default", NULL);
  g_autoptr(PalInterfaceConfig) eth = pal_interface_config_new ("eth0");
  g_autoptr(PalInterfaceConfig) wlan = pal_interface_config_new ("wlan0");
  const char *trusted[] = { "192.168.1.0/24", "2001:db8::/32", NULL };

  pal_interface_config_set_filter (eth, TRUE);
  pal_interface_config_set_external (eth, TRUE);
  pal_interface_config_set_filter (wlan, FALSE);
  pal_document_set_interface (document, eth);
  pal_document_set_interface (document, wlan);
  pal_document_set_trusted (document, trusted);
  pal_document_set_trigger_duration (document, 90 * 60);
  pal_window_set_document (fixture->window, document, NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-tab", "s", "interfaces"));
  gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-interfaces");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-tab", "s", "triggered"));
  /* No helper in this test: the table's place says so. */
  g_assert_cmpstr (pal_triggered_page_get_state (PAL_TRIGGERED_PAGE (gtk_widget_get_template_child (
                     GTK_WIDGET (fixture->window), PAL_TYPE_WINDOW, "triggered_page"))), ==, "unreachable");
  gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-triggered");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-tab", "s", "filters"));
}

/* Keyboard only: every editing command has its key. */
static void
test_accels (Fixture       *fixture,
             gconstpointer  data)
{
  static const struct { const char *action; const char *accel; } expected[] = {
    { "win.new-sibling", "<Control>n" },
    { "win.new-child", "<Shift><Control>n" },
    { "win.new-before", "<Alt>n" },
    { "win.rename", "F2" },
    { "win.toggle-enabled", "<Control>e" },
    { "win.save", "<Control>s" },
    { "win.open", "<Control>o" },
    { "win.apply", "<Control>Return" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (application),
                                                                    expected[i].action);
      guint key, wanted_key;
      GdkModifierType mods, wanted_mods;

      g_assert_nonnull (accels[0]);
      g_assert_true (gtk_accelerator_parse (accels[0], &key, &mods));
      g_assert_true (gtk_accelerator_parse (expected[i].accel, &wanted_key, &wanted_mods));
      g_assert_cmpuint (key, ==, wanted_key);
      g_assert_cmpuint (mods, ==, wanted_mods);
    }

  /* The Keyboard Shortcuts window and About load from their resources. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-help-overlay", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "app.about", NULL));
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    gboolean shortcuts = FALSE, about = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

        if (GTK_IS_SHORTCUTS_WINDOW (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
          {
            shortcuts = TRUE;
            gui_test_save_screenshot (GTK_WIDGET (toplevel), "window-shortcuts");
            gtk_window_close (toplevel);
          }
        if (ADW_IS_ABOUT_WINDOW (toplevel))
          {
            about = TRUE;
            gtk_window_destroy (toplevel);
          }
      }
    g_assert_true (shortcuts);
    g_assert_true (about);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  /* Screenshots show the end state, not a transition half way. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  application = pal_application_new ();
  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);

  g_test_add ("/gui/window/default", Fixture, NULL, fixture_set_up, test_default_window, fixture_tear_down);
  g_test_add ("/gui/window/build-by-keyboard", Fixture, NULL, fixture_set_up, test_build_by_keyboard, fixture_tear_down);
  g_test_add ("/gui/window/copy-paste", Fixture, NULL, fixture_set_up, test_copy_paste, fixture_tear_down);
  g_test_add ("/gui/window/undo-redo", Fixture, NULL, fixture_set_up, test_undo_redo, fixture_tear_down);
  g_test_add ("/gui/window/save-reopen", Fixture, NULL, fixture_set_up, test_save_reopen, fixture_tear_down);
  g_test_add ("/gui/window/invalid-value", Fixture, NULL, fixture_set_up, test_invalid_value, fixture_tear_down);
  g_test_add ("/gui/window/live-column", Fixture, NULL, fixture_set_up, test_live_column, fixture_tear_down);
  g_test_add ("/gui/window/ten-thousand", Fixture, NULL, fixture_set_up, test_ten_thousand, fixture_tear_down);
  g_test_add ("/gui/window/close-asks", Fixture, NULL, fixture_set_up, test_close_asks, fixture_tear_down);
  g_test_add ("/gui/window/open-file", Fixture, NULL, fixture_set_up, test_open_file, fixture_tear_down);
  g_test_add ("/gui/window/expand-all", Fixture, NULL, fixture_set_up, test_expand_all, fixture_tear_down);
  g_test_add ("/gui/window/contradiction", Fixture, NULL, fixture_set_up, test_contradiction, fixture_tear_down);
  g_test_add ("/gui/window/other-tabs", Fixture, NULL, fixture_set_up, test_other_tabs, fixture_tear_down);
  g_test_add ("/gui/window/accels", Fixture, NULL, fixture_set_up, test_accels, fixture_tear_down);
  g_test_add ("/gui/window/log-drawer", Fixture, NULL, fixture_set_up, test_log_drawer, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&application);
  return status;
}
