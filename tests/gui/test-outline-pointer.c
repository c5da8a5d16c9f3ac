/* test-outline-pointer.c — the outline with the pointer, and the clipboard
 * between two windows.
 *
 * Drag and drop is driven two ways. Through the controllers' own signals:
 * the GtkDragSource on the column view is asked to "prepare" at a row (our
 * handler picks the rule under that point and makes the content), the
 * GtkDropTarget gets "enter"/"motion" (the row is marked) and "drop" with
 * that content at a point of another row (our handler finds the zone and
 * moves the rules). GTK's own part between the two signals, the X drag
 * protocol, is not run that way. So a second test moves the real pointer
 * with XTest under Xvfb: press on a row, move onto another, release, and
 * GTK 4.8's X11 backend runs the whole drag (XDND to its own window).
 * Shift+click on an expander is a real XTest click with Shift held.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <X11/extensions/XTest.h>
#include <X11/keysym.h>
#include <gdk/x11/gdkx.h>

#include "gui-test-util.h"
#include "pal-application.h"
#include "pal-fwdoc.h"
#include "pal-rule-cell.h"
#include "pal-rule-name-cell.h"
#include "pal-window.h"

static PalApplication *application;

typedef struct
{
  PalWindow *window;
  PalWindow *other;      /* the cross-window tests' second window */
} Fixture;

/* ------------------------------------------------------------- helpers */

static PalRule *
make_rule (const char *name,
           PalAction   action)
{
  PalRule *rule = pal_rule_new (PAL_PROPERTY_DESTINATION_PORT, action);
  static guint port = 1000;

  pal_rule_set_name (rule, name);
  if (action == PAL_ACTION_GROUP)
    {
      pal_rule_set_property (rule, PAL_PROPERTY_DIRECTION);
      pal_rule_set_value (rule, "in");
    }
  else
    {
      g_autofree char *value = g_strdup_printf ("%u", port++);
      pal_rule_set_value (rule, value);
    }
  return rule;
}

/* Group A (a1, a2), then B and C: small enough that every row shows. */
static PalDocument *
make_document (void)
{
  PalDocument *document = pal_document_new ();
  g_autoptr(PalRule) a = make_rule ("A", PAL_ACTION_GROUP);
  g_autoptr(PalRule) a1 = make_rule ("a1", PAL_ACTION_PASS);
  g_autoptr(PalRule) a2 = make_rule ("a2", PAL_ACTION_DROP);
  g_autoptr(PalRule) b = make_rule ("B", PAL_ACTION_PASS);
  g_autoptr(PalRule) c = make_rule ("C", PAL_ACTION_GROUP);

  pal_rule_append_child (a, a1);
  pal_rule_append_child (a, a2);
  pal_document_append_rule (document, a);
  pal_document_append_rule (document, b);
  pal_document_append_rule (document, c);
  return document;
}

static PalWindow *
new_window (PalDocument *document)
{
  PalWindow *window = pal_window_new (GTK_APPLICATION (application));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
  if (document != NULL)
    pal_window_set_document (window, document, NULL);
  gtk_window_present (GTK_WINDOW (window));
  gui_test_wait_frames (GTK_WIDGET (window), 3);
  return window;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PalDocument) document = make_document ();

  fixture->window = new_window (document);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  if (fixture->other != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->other));
  gui_test_flush ();
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 gboolean (*match) (GtkWidget *widget, gpointer data),
                 gpointer   data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_column_view (GtkWidget *widget,
                gpointer   data)
{
  return GTK_IS_COLUMN_VIEW (widget);
}

static gboolean
is_name_cell_of (GtkWidget *widget,
                 gpointer   rule)
{
  return PAL_IS_RULE_NAME_CELL (widget) && gtk_widget_get_mapped (widget)
         && pal_rule_cell_get_rule (widget) == rule;
}

static gboolean
has_css_name (GtkWidget *widget,
              gpointer   name)
{
  return g_strcmp0 (gtk_widget_get_css_name (widget), name) == 0;
}

static GtkWidget *
column_view_of (Fixture *fixture)
{
  GtkWidget *view = find_descendant (GTK_WIDGET (pal_window_get_outline (fixture->window)),
                                     is_column_view, NULL);

  g_assert_nonnull (view);
  return view;
}

static GtkWidget *
name_cell_of (Fixture *fixture,
              PalRule *rule)
{
  GtkWidget *cell = find_descendant (column_view_of (fixture), is_name_cell_of, rule);

  g_assert_nonnull (cell);
  return cell;
}

static GtkWidget *
row_of (Fixture *fixture,
        PalRule *rule)
{
  GtkWidget *row = name_cell_of (fixture, rule);

  while (row != NULL && !has_css_name (row, "row"))
    row = gtk_widget_get_parent (row);
  g_assert_nonnull (row);
  return row;
}

/* A point of rule's row, in the column view's coordinates: over the name,
 * at fraction of the row's height (0.5: onto it; 0.1: just above it). */
static graphene_point_t
point_in_row (Fixture *fixture,
              PalRule *rule,
              double   fraction)
{
  GtkWidget *view = column_view_of (fixture);
  graphene_rect_t row, name;

  g_assert_true (gtk_widget_compute_bounds (row_of (fixture, rule), view, &row));
  g_assert_true (gtk_widget_compute_bounds (name_cell_of (fixture, rule), view, &name));
  return GRAPHENE_POINT_INIT (name.origin.x + name.size.width / 2,
                              row.origin.y + row.size.height * fraction);
}

static gpointer
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;   /* the widget holds it */
    }
  g_assert_not_reached ();
}

/* The drag of the rule at from, dropped at to (both in the column view),
 * through the controllers' signals. Returns whether the drop was taken. */
static gboolean
drag_by_signals (Fixture          *fixture,
                 graphene_point_t  from,
                 graphene_point_t  to)
{
  GtkWidget *view = column_view_of (fixture);
  GtkDragSource *source = find_controller (view, GTK_TYPE_DRAG_SOURCE);
  GtkDropTarget *target = find_controller (view, GTK_TYPE_DROP_TARGET);
  g_autoptr(GdkContentProvider) content = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GdkDragAction action = 0;
  gboolean taken = FALSE;

  g_signal_emit_by_name (source, "prepare", (double) from.x, (double) from.y, &content);
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRV);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));

  g_signal_emit_by_name (target, "enter", (double) to.x, (double) to.y, &action);
  g_signal_emit_by_name (target, "motion", (double) to.x, (double) to.y, &action);
  g_assert_cmpint (action, ==, GDK_ACTION_MOVE);
  g_signal_emit_by_name (target, "drop", &value, (double) to.x, (double) to.y, &taken);
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  return taken;
}

static char *
outline_names (PalWindow *window)
{
  g_autoptr(PalDocument) copy = pal_document_copy (pal_window_get_document (window));
  GString *out = g_string_new (NULL);
  GListModel *rules = pal_document_get_rules (copy);

  for (guint i = 0; i < g_list_model_get_n_items (rules); i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (rules, i);
      guint n = pal_rule_get_n_children (rule);

      g_string_append_printf (out, "%s%s", i > 0 ? " " : "", pal_rule_get_name (rule));
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(PalRule) child = pal_rule_get_child (rule, j);
          g_string_append_printf (out, "%s%s", j == 0 ? "(" : " ", pal_rule_get_name (child));
        }
      if (n > 0)
        g_string_append_c (out, ')');
    }
  return g_string_free (out, FALSE);
}

static void
assert_outline (PalWindow  *window,
                const char *expected)
{
  g_autofree char *names = outline_names (window);

  g_assert_cmpstr (names, ==, expected);
}

/* ----------------------------------------------------------- XTest */

/* Where a point of the column view is on the X screen. */
static void
to_root (Fixture          *fixture,
         graphene_point_t  point,
         int              *x,
         int              *y)
{
  GtkNative *native = gtk_widget_get_native (column_view_of (fixture));
  GdkSurface *surface = gtk_native_get_surface (native);
  Display *display = gdk_x11_display_get_xdisplay (gdk_surface_get_display (surface));
  graphene_point_t in_native;
  double dx, dy;
  Window child;

  g_assert_true (gtk_widget_compute_point (column_view_of (fixture), GTK_WIDGET (native), &point,
                                           &in_native));
  gtk_native_get_surface_transform (native, &dx, &dy);
  XTranslateCoordinates (display, gdk_x11_surface_get_xid (surface), DefaultRootWindow (display),
                         (int) (in_native.x + dx), (int) (in_native.y + dy), x, y, &child);
}

static Display *
x_display (void)
{
  return gdk_x11_display_get_xdisplay (gdk_display_get_default ());
}

/* Lets the X server's events reach GTK and be handled. */
static void
x_settle (Fixture *fixture)
{
  XSync (x_display (), False);
  g_usleep (20 * 1000);
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);
}

static void
x_move (Fixture          *fixture,
        graphene_point_t  point)
{
  int x, y;

  to_root (fixture, point, &x, &y);
  XTestFakeMotionEvent (x_display (), -1, x, y, CurrentTime);
  x_settle (fixture);
}

static void
x_button (Fixture  *fixture,
          gboolean  press)
{
  XTestFakeButtonEvent (x_display (), 1, press, CurrentTime);
  x_settle (fixture);
}

static void
x_shift (Fixture  *fixture,
         gboolean  press)
{
  XTestFakeKeyEvent (x_display (), XKeysymToKeycode (x_display (), XK_Shift_L), press, CurrentTime);
  x_settle (fixture);
}

static gboolean
has_children (gpointer rule)
{
  return pal_rule_get_n_children (rule) > 0;
}

/* --------------------------------------------------------------- tests */

/* Onto the middle of a row: the dragged rule becomes its last child. */
static void
test_drop_onto (Fixture       *fixture,
                gconstpointer  data)
{
  PalRule *b = gui_test_top_rule (fixture->window, 1);
  PalRule *c = gui_test_top_rule (fixture->window, 2);
  graphene_point_t onto = point_in_row (fixture, c, 0.5);
  GtkDropTarget *target = find_controller (column_view_of (fixture), GTK_TYPE_DROP_TARGET);
  GdkDragAction action = 0;

  /* While the pointer is over C's middle, C's row is marked as the place. */
  g_signal_emit_by_name (target, "motion", (double) onto.x, (double) onto.y, &action);
  g_assert_true (gtk_widget_has_css_class (row_of (fixture, c), "drop-onto"));
  gui_test_save_screenshot (GTK_WIDGET (fixture->window), "outline-drop-onto");

  g_assert_true (drag_by_signals (fixture, point_in_row (fixture, b, 0.5), onto));
  assert_outline (fixture->window, "A(a1 a2) C(B)");
  g_assert_true (pal_rule_get_parent (b) == c);
  g_assert_false (gtk_widget_has_css_class (row_of (fixture, c), "drop-onto"));

  /* One undoable command. */
  gui_test_activate (fixture->window, "win.undo");
  assert_outline (fixture->window, "A(a1 a2) B C");
}

/* Between rows: the top quarter of a row puts the rule before it, the
 * bottom quarter after it, at that row's level. */
static void
test_drop_between (Fixture       *fixture,
                   gconstpointer  data)
{
  PalRule *a = gui_test_top_rule (fixture->window, 0);
  PalRule *a1 = gui_test_child_rule (a, 0);
  PalRule *b = gui_test_top_rule (fixture->window, 1);
  PalRule *c = gui_test_top_rule (fixture->window, 2);

  g_assert_true (drag_by_signals (fixture, point_in_row (fixture, c, 0.5), point_in_row (fixture, a, 0.1)));
  assert_outline (fixture->window, "C A(a1 a2) B");

  /* Into an open group, between two of its children. */
  pal_rule_outline_expand (pal_window_get_outline (fixture->window), a, FALSE);
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_true (drag_by_signals (fixture, point_in_row (fixture, b, 0.5), point_in_row (fixture, a1, 0.9)));
  assert_outline (fixture->window, "C A(a1 B a2)");
  gui_test_save_screenshot (GTK_WIDGET (fixture->window), "outline-drop-between");

  gui_test_activate (fixture->window, "win.undo");
  gui_test_activate (fixture->window, "win.undo");
  assert_outline (fixture->window, "A(a1 a2) B C");
}

/* The real pointer: press on B, move onto C, release. */
static void
test_drag_with_pointer (Fixture       *fixture,
                        gconstpointer  data)
{
  PalRule *b = gui_test_top_rule (fixture->window, 1);
  PalRule *c = gui_test_top_rule (fixture->window, 2);
  graphene_point_t from = point_in_row (fixture, b, 0.5);
  graphene_point_t to = point_in_row (fixture, c, 0.5);

  x_move (fixture, from);
  x_button (fixture, TRUE);
  /* In steps, past GTK's drag threshold and then to the target. */
  for (guint i = 1; i <= 8; i++)
    x_move (fixture, GRAPHENE_POINT_INIT (from.x, from.y + (to.y - from.y) * i / 8));
  x_button (fixture, FALSE);

  g_assert_true (gui_test_wait_for (has_children, c, 10));
  assert_outline (fixture->window, "A(a1 a2) C(B)");
  g_assert_true (pal_rule_get_parent (b) == c);
}

static gboolean
row_shown (gpointer data)
{
  gpointer *args = data;

  g_autoptr(GtkTreeListRow) row = pal_rule_outline_get_row (args[0], args[1]);

  return row != NULL;
}

static void
set_expanded (PalRuleOutline *outline,
              PalRule        *rule,
              gboolean        expanded)
{
  g_autoptr(GtkTreeListRow) row = pal_rule_outline_get_row (outline, rule);

  g_assert_nonnull (row);
  gtk_tree_list_row_set_expanded (row, expanded);
}

static GtkWidget *
expander_of (Fixture *fixture,
             PalRule *rule)
{
  GtkWidget *expander = find_descendant (name_cell_of (fixture, rule), has_css_name, "expander");

  g_assert_nonnull (expander);
  return expander;
}

/* Shift+click on a triangle opens the whole subtree; a plain click only
 * the row itself. */
static void
test_shift_click_expands_all (Fixture       *fixture,
                              gconstpointer  data)
{
  PalRuleOutline *outline = pal_window_get_outline (fixture->window);
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalRule) top = make_rule ("Top", PAL_ACTION_GROUP);
  g_autoptr(PalRule) middle = make_rule ("Middle", PAL_ACTION_GROUP);
  g_autoptr(PalRule) bottom = make_rule ("Bottom", PAL_ACTION_GROUP);
  g_autoptr(PalRule) leaf = make_rule ("Leaf", PAL_ACTION_PASS);
  gpointer leaf_shown[] = { outline, leaf };
  gpointer middle_shown[] = { outline, middle };
  g_autoptr(GtkTreeListRow) bottom_row = NULL;
  GtkWidget *expander;
  graphene_rect_t bounds;
  graphene_point_t center;

  pal_rule_append_child (bottom, leaf);
  pal_rule_append_child (middle, bottom);
  pal_rule_append_child (top, middle);
  pal_document_append_rule (document, top);
  pal_window_set_document (fixture->window, document, NULL);
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 3);
  g_assert_null (pal_rule_outline_get_row (outline, middle));

  expander = expander_of (fixture, top);
  g_assert_true (gtk_widget_compute_bounds (expander, column_view_of (fixture), &bounds));
  graphene_rect_get_center (&bounds, &center);

  x_move (fixture, center);
  x_shift (fixture, TRUE);
  x_button (fixture, TRUE);
  x_button (fixture, FALSE);
  x_shift (fixture, FALSE);

  g_assert_true (gui_test_wait_for (row_shown, leaf_shown, 10));
  bottom_row = pal_rule_outline_get_row (outline, bottom);
  g_assert_true (gtk_tree_list_row_get_expanded (bottom_row));
  gui_test_save_screenshot (GTK_WIDGET (fixture->window), "outline-shift-click");

  /* Closed again (inner rows first, while they are shown), a plain click
   * opens one level: the rows below stay closed. */
  set_expanded (outline, bottom, FALSE);
  set_expanded (outline, middle, FALSE);
  set_expanded (outline, top, FALSE);
  gui_test_wait_frames (GTK_WIDGET (fixture->window), 3);
  x_move (fixture, center);
  x_button (fixture, TRUE);
  x_button (fixture, FALSE);
  g_assert_true (gui_test_wait_for (row_shown, middle_shown, 10));
  g_assert_false (row_shown ((gpointer[]) { outline, bottom }));
}

/* Copy or cut in one window, paste in another document's window: the same
 * structure and content, every id fresh in the target. */
static void
test_paste_across_windows (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PalDocument) template = pal_document_copy (pal_window_get_document (fixture->window));
  g_autoptr(GHashTable) source_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) target_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  PalRule *a = gui_test_top_rule (fixture->window, 0);
  PalRule *pasted;
  g_autofree char *source_json = NULL;
  g_autofree char *pasted_json = NULL;
  g_autofree char *a_text = NULL;
  g_autofree char *b_text = NULL;

  /* The other window holds a copy of the same document: same ids. */
  fixture->other = new_window (template);
  gui_test_collect_ids (pal_document_get_rules (pal_window_get_document (fixture->window)), source_ids);

  gui_test_select_rule (fixture->window, a);        /* collapsed: carries a1 and a2 */
  gui_test_activate (fixture->window, "win.copy");
  gui_test_select_rule (fixture->other, gui_test_top_rule (fixture->other, 2));
  gui_test_activate (fixture->other, "win.paste");

  assert_outline (fixture->other, "A(a1 a2) B C A(a1 a2)");
  pasted = gui_test_top_rule (fixture->other, 3);
  g_ptr_array_add (one, a);
  source_json = pal_fwdoc_rules_to_data (one);
  g_ptr_array_index (one, 0) = pasted;
  pasted_json = pal_fwdoc_rules_to_data (one);
  a_text = gui_test_without_ids (source_json);
  b_text = gui_test_without_ids (pasted_json);
  g_assert_cmpstr (a_text, ==, b_text);
  g_hash_table_add (target_ids, g_strdup (pal_rule_get_id (pasted)));
  gui_test_collect_ids (pal_rule_get_children (pasted), target_ids);
  g_assert_cmpuint (g_hash_table_size (target_ids), ==, 3);
  {
    GHashTableIter iter;
    gpointer id;

    g_hash_table_iter_init (&iter, target_ids);
    while (g_hash_table_iter_next (&iter, &id, NULL))
      g_assert_false (g_hash_table_contains (source_ids, id));
  }
  g_assert_true (pal_window_get_modified (fixture->other));
  g_assert_false (pal_window_get_modified (fixture->window));

  /* Cut moves a rule out of one document into the other. */
  gui_test_select_rule (fixture->window, gui_test_top_rule (fixture->window, 1));
  gui_test_activate (fixture->window, "win.cut");
  assert_outline (fixture->window, "A(a1 a2) C");
  gui_test_select_rule (fixture->other, gui_test_top_rule (fixture->other, 0));
  gui_test_activate (fixture->other, "win.paste");
  assert_outline (fixture->other, "A(a1 a2) B B C A(a1 a2)");
  g_assert_cmpstr (pal_rule_get_name (gui_test_top_rule (fixture->other, 1)), ==, "B");
  /* The document already had that B (a copy, same id): the pasted one
   * has its own, so every id of the target is still unique. */
  g_hash_table_remove_all (target_ids);
  gui_test_collect_ids (pal_document_get_rules (pal_window_get_document (fixture->other)), target_ids);
  g_assert_cmpuint (g_hash_table_size (target_ids), ==,
                    pal_document_count_rules (pal_window_get_document (fixture->other)));
  gui_test_save_screenshot (GTK_WIDGET (fixture->other), "outline-paste-other-window");

  /* Each window undoes its own part. */
  gui_test_activate (fixture->other, "win.undo");
  gui_test_activate (fixture->other, "win.undo");
  assert_outline (fixture->other, "A(a1 a2) B C");
  gui_test_activate (fixture->window, "win.undo");
  assert_outline (fixture->window, "A(a1 a2) B C");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_printerr ("needs the X11 backend (XTest)\n");
      return 77;
    }

  application = pal_application_new ();
  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/gui/outline/drop-onto", test_drop_onto);
  ADD ("/gui/outline/drop-between", test_drop_between);
  ADD ("/gui/outline/drag-with-pointer", test_drag_with_pointer);
  ADD ("/gui/outline/shift-click-expands-all", test_shift_click_expands_all);
  ADD ("/gui/outline/paste-across-windows", test_paste_across_windows);

  status = g_test_run ();
  g_clear_object (&application);
  return status;
}
