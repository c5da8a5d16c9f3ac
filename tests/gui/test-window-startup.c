/* test-window-startup.c — the window's "Apply at login" and "Use at boot"
 * (primary menu, startup.* actions), under Xvfb.
 *
 * Apply at login writes and removes the same autostart entry as palisadectl
 * autostart, in the test's private XDG_CONFIG_HOME. Use at boot without a
 * reachable helper (the test's system bus does not exist) says why in the
 * status and stays off; SetBootDocument itself is tested on a private bus
 * in tests/dbus/boot-test.sh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "pal-application.h"
#include "pal-autostart.h"
#include "pal-fwdoc.h"
#include "pal-templates.h"
#include "pal-window.h"

static PalApplication *application;

typedef struct
{
  PalWindow *window;
  char      *tmpdir;
} Fixture;

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("palisade-startup-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmpdir);
  g_assert_true (pal_autostart_disable (&error));
  fixture->window = pal_window_new (GTK_APPLICATION (application));
  gtk_window_present (GTK_WINDOW (fixture->window));
  drain ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *document = g_build_filename (fixture->tmpdir, "home.fwdoc", NULL);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  drain ();
  pal_autostart_disable (NULL);
  g_unlink (document);
  g_rmdir (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static char *
save_template (Fixture *fixture)
{
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->tmpdir, "home.fwdoc", NULL);

  document = pal_templates_load ("default", &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  g_assert_true (pal_fwdoc_save_file (document, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pal_window_load_file (fixture->window, file, &error));
  g_assert_no_error (error);
  return path;
}

/* An unsaved document has no file to open at login. */
static void
test_login_needs_a_file (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *opened = NULL;

  g_assert_true (pal_window_load_template (fixture->window, "default", &error));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "startup.apply-at-login", NULL);
  drain ();
  g_assert_nonnull (strstr (pal_window_get_status (fixture->window), "Save the document first"));
  opened = pal_autostart_get_document (NULL, &error);
  g_assert_no_error (error);
  g_assert_null (opened);
}

static void
test_login_on_off (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = save_template (fixture);
  g_autofree char *opened = NULL;
  g_autoptr(GError) error = NULL;
  gboolean enabled = FALSE;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "startup.apply-at-login", NULL);
  drain ();
  opened = pal_autostart_get_document (&enabled, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, path);
  g_assert_true (enabled);
  g_assert_nonnull (strstr (pal_window_get_status (fixture->window), path));

  /* The item is checked now: activating it again turns it off. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "startup.apply-at-login", NULL);
  drain ();
  g_clear_pointer (&opened, g_free);
  opened = pal_autostart_get_document (NULL, &error);
  g_assert_no_error (error);
  g_assert_null (opened);
  g_assert_cmpstr (pal_window_get_status (fixture->window), ==, "Palisade opens no document at login.");
}

/* Written by palisadectl autostart after the window opened the file: the
 * item is on, so activating it turns it off. */
static void
test_login_from_palisadectl (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *path = save_template (fixture);
  g_autofree char *opened = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pal_autostart_enable (path, &error));
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "startup.apply-at-login", NULL);
  drain ();
  opened = pal_autostart_get_document (NULL, &error);
  g_assert_no_error (error);
  g_assert_null (opened);
}

static void
test_boot_without_helper (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = save_template (fixture);
  g_autofree char *before = g_strdup (pal_window_get_status (fixture->window));
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "startup.use-at-boot", NULL);
  while (g_str_equal (pal_window_get_status (fixture->window), before) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (pal_window_get_status (fixture->window), "Use at boot: "));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  gtk_test_init (&argc, &argv, NULL);
  application = pal_application_new ();
  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);

  g_test_add ("/gui/startup/login-needs-a-file", Fixture, NULL, fixture_set_up, test_login_needs_a_file, fixture_tear_down);
  g_test_add ("/gui/startup/login-on-off", Fixture, NULL, fixture_set_up, test_login_on_off, fixture_tear_down);
  g_test_add ("/gui/startup/login-from-palisadectl", Fixture, NULL, fixture_set_up, test_login_from_palisadectl, fixture_tear_down);
  g_test_add ("/gui/startup/boot-without-helper", Fixture, NULL, fixture_set_up, test_boot_without_helper, fixture_tear_down);
  return g_test_run ();
}
