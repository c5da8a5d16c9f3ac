/* test-window-menu.c — the end of the primary menu: Keyboard Shortcuts,
 * Help and About, under Xvfb.
 *
 * The menu, the shortcuts window and the About window are opened through
 * their actions and saved as screenshots. Help launches "man:palisade(1)"
 * through GIO's default handler for man: URIs, as GNOME's Help (yelp)
 * would get it; here the handler is a desktop file in the test's private
 * XDG_DATA_HOME that records the URI it was given.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "gui-test-util.h"
#include "pal-application.h"
#include "pal-window.h"

static PalApplication *application;
static char *tmpdir;

typedef struct
{
  PalWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = pal_window_new (GTK_APPLICATION (application));
  gtk_window_present (GTK_WINDOW (fixture->window));
  gui_test_flush ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  gui_test_flush ();
}

/* The first visible toplevel of type, or NULL. */
static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel;
    }
  return NULL;
}

static gboolean
toplevel_shown (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static GtkMenuButton *
find_primary_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    return GTK_MENU_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_primary_menu_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The labels of a menu model, sections and submenus walked in order. */
static void
collect_labels (GMenuModel *model,
                GString    *labels)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        g_string_append_printf (labels, "%s|", label);
      if (section != NULL)
        collect_labels (section, labels);
    }
}

static void
test_primary_menu (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkMenuButton *button = find_primary_menu_button (GTK_WIDGET (fixture->window));
  g_autoptr(GString) labels = g_string_new ("");
  GtkPopover *popover;
  g_auto(GStrv) accels = NULL;

  g_assert_nonnull (button);
  collect_labels (gtk_menu_button_get_menu_model (button), labels);
  /* GNOME's order for the last section. */
  g_assert_nonnull (strstr (labels->str, "_Keyboard Shortcuts|_Help|_About Palisade|"));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (application), "app.help");
  g_assert_cmpstr (accels[0], ==, "F1");

  gtk_menu_button_popup (button);
  popover = gtk_menu_button_get_popover (button);
  g_assert_true (gui_test_wait_for ((GuiTestCondition) gtk_widget_get_mapped, popover, 10));
  gui_test_save_screenshot (GTK_WIDGET (popover), "primary-menu");
  gtk_menu_button_popdown (button);
}

static void
test_shortcuts_and_about (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWindow *shortcuts, *about;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-help-overlay", NULL));
  g_assert_true (gui_test_wait_for (toplevel_shown, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW), 10));
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  gui_test_save_screenshot (GTK_WIDGET (shortcuts), "shortcuts-window");
  gtk_window_destroy (shortcuts);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "app.about", NULL));
  g_assert_true (gui_test_wait_for (toplevel_shown, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_WINDOW), 10));
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Palisade");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
  gui_test_save_screenshot (GTK_WIDGET (about), "about-window");
  gtk_window_destroy (about);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_help_opens_manual (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *record = g_build_filename (tmpdir, "launched", NULL);
  g_autofree char *uri = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "app.help", NULL));
  g_assert_true (gui_test_wait_for (file_exists, record, 30));
  /* The handler writes the file, then the URI: wait for the whole line. */
  for (guint i = 0; i < 100 && (uri == NULL || !g_str_has_suffix (uri, "\n")); i++)
    {
      g_clear_pointer (&uri, g_free);
      g_file_get_contents (record, &uri, NULL, NULL);
      g_usleep (G_USEC_PER_SEC / 20);
    }
  g_assert_cmpstr (uri, ==, "man:palisade(1)\n");
  g_assert_null (gui_test_find_message_dialog ());
}

/* A private desktop whose handler for man: URIs records what it got. */
static void
set_up_manual_handler (void)
{
  g_autofree char *data_home = g_build_filename (tmpdir, "data", NULL);
  g_autofree char *applications = g_build_filename (data_home, "applications", NULL);
  g_autofree char *config = g_build_filename (tmpdir, "config", NULL);
  g_autofree char *script = g_build_filename (tmpdir, "record-uri", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *desktop = NULL;
  g_autofree char *desktop_path = g_build_filename (applications, "palisade-test-manual.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config, "mimeapps.list", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  script_text = g_strdup_printf ("#!/bin/sh\necho \"$1\" > %s/launched\n", tmpdir);
  g_assert_true (g_file_set_contents (script, script_text, -1, &error));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  desktop = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Manual pages (test)\n"
                             "Exec=%s %%u\nMimeType=x-scheme-handler/man;\nNoDisplay=true\n", script);
  g_assert_true (g_file_set_contents (desktop_path, desktop, -1, &error));
  g_assert_true (g_file_set_contents (mimeapps,
                                      "[Default Applications]\n"
                                      "x-scheme-handler/man=palisade-test-manual.desktop\n",
                                      -1, &error));
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  tmpdir = g_dir_make_tmp ("palisade-menu-XXXXXX", &error);
  g_assert_no_error (error);
  set_up_manual_handler ();
  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  application = pal_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);

  g_test_add ("/gui/menu/primary", Fixture, NULL, fixture_set_up, test_primary_menu, fixture_tear_down);
  g_test_add ("/gui/menu/shortcuts-and-about", Fixture, NULL, fixture_set_up, test_shortcuts_and_about,
              fixture_tear_down);
  g_test_add ("/gui/menu/help-opens-manual", Fixture, NULL, fixture_set_up, test_help_opens_manual,
              fixture_tear_down);
  status = g_test_run ();
  g_clear_object (&application);
  {
    const char *argv_rm[] = { "rm", "-rf", tmpdir, NULL };

    g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  g_free (tmpdir);
  return status;
}
