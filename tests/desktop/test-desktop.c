/* test-desktop.c — the files that make Palisade part of the desktop: the
 * desktop file and the metainfo as merged from po/ pass the freedesktop and
 * AppStream validators and agree with each other; the MIME type has the
 * structure shared-mime-info expects and, compiled into a private MIME
 * database, GIO recognizes documents by name and by content and opens them
 * with Palisade, as a double click in the file manager does; the icons are
 * well-formed SVG that renders, the symbolic one in one colour only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#define MIME_TYPE "application/x-fwdoc"

static char *
built_data (const char *name)
{
  return g_test_build_filename (G_TEST_BUILT, "..", "data", name, NULL);
}

static char *
source_data (const char *first,
             ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (parts, (char *) g_test_get_dir (G_TEST_DIST));
  g_ptr_array_add (parts, (char *) "..");
  g_ptr_array_add (parts, (char *) "data");
  va_start (args, first);
  for (const char *part = first; part != NULL; part = va_arg (args, const char *))
    g_ptr_array_add (parts, (char *) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

/* Runs argv with the environment given as NAME=VALUE pairs added; returns
 * stdout and stderr merged, and whether it exited with 0. */
static char *
run (const char * const  *argv,
     const char * const  *environment,
     gboolean            *success)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  for (guint i = 0; environment != NULL && environment[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (environment[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *success = g_subprocess_get_successful (process);
  return out;
}

static void
assert_runs_clean (const char * const *argv,
                   const char * const *environment)
{
  gboolean success;
  g_autofree char *out = run (argv, environment, &success);

  if (!success || out[0] != '\0')
    g_test_message ("%s said:\n%s", argv[0], out);
  g_assert_true (success);
  g_assert_cmpstr (out, ==, "");
}

/* The value of an XPath string expression over an XML file. */
static char *
xpath (const char *file,
       const char *expression)
{
  const char *argv[] = { "xmllint", "--xpath", expression, file, NULL };
  gboolean success;
  char *out = run (argv, NULL, &success);

  g_assert_true (success);
  /* xmllint ends its answer with a newline. */
  if (g_str_has_suffix (out, "\n"))
    out[strlen (out) - 1] = '\0';
  return out;
}

static GKeyFile *
load_desktop_file (void)
{
  g_autofree char *path = built_data (APPLICATION_ID ".desktop");
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&file);
}

static void
assert_list_contains (GKeyFile   *file,
                      const char *key,
                      const char *item)
{
  g_auto(GStrv) list = g_key_file_get_string_list (file, G_KEY_FILE_DESKTOP_GROUP, key, NULL, NULL);

  g_assert_nonnull (list);
  g_assert_true (g_strv_contains ((const char * const *) list, item));
}

/* Errors and warnings fail; the one hint allowed is the one Categories
 * System;Security;Network; earns (more than one main category). */
static void
test_desktop_file_validates (void)
{
  g_autofree char *path = built_data (APPLICATION_ID ".desktop");
  const char *argv[] = { "desktop-file-validate", path, NULL };
  gboolean success;
  g_autofree char *out = run (argv, NULL, &success);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  g_test_message ("%s", out);
  g_assert_true (success);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_assert_nonnull (strstr (lines[i], "contains more than one main category"));
}

static void
test_desktop_file_keys (void)
{
  g_autoptr(GKeyFile) file = load_desktop_file ();
  g_autofree char *exec = g_key_file_get_string (file, G_KEY_FILE_DESKTOP_GROUP, "Exec", NULL);
  g_autofree char *icon = g_key_file_get_string (file, G_KEY_FILE_DESKTOP_GROUP, "Icon", NULL);

  /* %F: a document from the file manager opens in its own window. */
  g_assert_cmpstr (exec, ==, "palisade %F");
  g_assert_cmpstr (icon, ==, APPLICATION_ID);
  assert_list_contains (file, "MimeType", MIME_TYPE);
  assert_list_contains (file, "Categories", "System");
  assert_list_contains (file, "Categories", "Security");
  assert_list_contains (file, "Categories", "Network");
  assert_list_contains (file, "Keywords", "firewall");
}

/* Pedantic; the only issue allowed is the uppercase P of the app id,
 * which BRIEF.md fixes. */
static void
test_metainfo_validates (void)
{
  g_autofree char *path = built_data (APPLICATION_ID ".metainfo.xml");
  const char *argv[] = { "appstreamcli", "validate", "--no-net", "--pedantic", "--no-color", path, NULL };
  gboolean success;
  g_autofree char *out = run (argv, NULL, &success);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  g_test_message ("%s", out);
  g_assert_true (success);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_regex_match_simple ("^[EWIP]: ", lines[i], 0, 0))
      g_assert_nonnull (strstr (lines[i], "cid-contains-uppercase-letter"));
}

/* The metainfo names the desktop file, the MIME type and this version. */
static void
test_metainfo_agrees (void)
{
  g_autofree char *path = built_data (APPLICATION_ID ".metainfo.xml");
  g_autofree char *id = xpath (path, "string(/component/id)");
  g_autofree char *launchable = xpath (path, "string(/component/launchable[@type='desktop-id'])");
  g_autofree char *mediatype = xpath (path, "string(/component/provides/mediatype)");
  g_autofree char *binaries = xpath (path, "/component/provides/binary/text()");
  g_autofree char *release = xpath (path, "string(/component/releases/release[1]/@version)");
  g_autofree char *screenshot = xpath (path, "string(/component/screenshots/screenshot[@type='default']/image)");
  g_autofree char *rating = xpath (path, "string(/component/content_rating/@type)");

  g_assert_cmpstr (id, ==, APPLICATION_ID);
  g_assert_cmpstr (launchable, ==, APPLICATION_ID ".desktop");
  g_assert_cmpstr (mediatype, ==, MIME_TYPE);
  g_assert_cmpstr (binaries, ==, "palisade\npalisadectl");
  /* A new version needs its <release>. */
  g_assert_cmpstr (release, ==, PACKAGE_VERSION);
  g_assert_true (g_str_has_suffix (screenshot, "/docs/screenshots/window.png"));
  g_assert_cmpstr (rating, ==, "oars-1.1");
}

static void
assert_mime_structure (const char *path)
{
  g_autofree char *schema = g_test_build_filename (G_TEST_DIST, "desktop", "shared-mime-info.rng", NULL);
  const char *argv[] = { "xmllint", "--noout", "--relaxng", schema, path, NULL };
  gboolean success;
  g_autofree char *out = run (argv, NULL, &success);

  g_test_message ("%s", out);
  g_assert_true (success);
  g_assert_true (g_str_has_suffix (out, " validates\n"));
}

static void
test_mime_structure (void)
{
  g_autofree char *source = source_data (APPLICATION_ID ".mime.xml", NULL);
  g_autofree char *merged = built_data (APPLICATION_ID ".xml");

  assert_mime_structure (source);
  assert_mime_structure (merged);
  /* The schema itself: it accepts the database every system ships. */
  if (g_file_test ("/usr/share/mime/packages/freedesktop.org.xml", G_FILE_TEST_EXISTS))
    assert_mime_structure ("/usr/share/mime/packages/freedesktop.org.xml");
}

/* In a child whose XDG_DATA_DIRS is a private database with only
 * freedesktop.org.xml and our type: what a file manager would conclude. */
static void
test_mime_detect_child (void)
{
  g_autofree char *document_path = source_data ("templates", "default.fwdoc", NULL);
  g_autofree char *document = NULL;
  g_autofree char *by_name = NULL;
  g_autofree char *by_content = NULL;
  g_autofree char *plain_json = NULL;
  g_autofree char *description = NULL;
  const char *json = "{\n  \"name\": \"not a firewall\"\n}\n";
  gsize length;
  gboolean uncertain;

  g_assert_true (g_file_get_contents (document_path, &document, &length, NULL));
  by_name = g_content_type_guess ("home.fwdoc", NULL, 0, &uncertain);
  g_assert_cmpstr (by_name, ==, MIME_TYPE);
  /* A document that lost its name: the magic finds "fwdoc". */
  by_content = g_content_type_guess (NULL, (const guchar *) document, length, &uncertain);
  g_assert_cmpstr (by_content, ==, MIME_TYPE);
  plain_json = g_content_type_guess ("notes.json", (const guchar *) json, strlen (json), &uncertain);
  g_assert_cmpstr (plain_json, ==, "application/json");

  /* Editors of JSON are offered for documents too. */
  g_assert_true (g_content_type_is_a (MIME_TYPE, "application/json"));
  description = g_content_type_get_description (MIME_TYPE);
  g_assert_cmpstr (description, ==, "Palisade firewall document");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *text = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (from, &text, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, text, length, &error);
  g_assert_no_error (error);
}

/* A stand-in for palisade: it records its arguments, NUL-separated, where
 * the launch context says. */
static const char fake_palisade[] =
  "#!/bin/sh\n"
  "printf '%s\\0' \"$@\" > \"$PAL_ARGS_FILE.tmp\" && mv \"$PAL_ARGS_FILE.tmp\" \"$PAL_ARGS_FILE\"\n";

/* Runs the test child_path of this program in a desktop of its own: a
 * MIME database of freedesktop.org.xml and our type, our desktop file, a
 * fake palisade on PATH, and no mimeapps.list of the machine's user. */
static void
run_in_private_desktop (const char *child_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("palisade-desktop-XXXXXX", &error);
  g_autofree char *mime = g_build_filename (root, "mime", NULL);
  g_autofree char *packages = g_build_filename (mime, "packages", NULL);
  g_autofree char *applications = g_build_filename (root, "applications", NULL);
  g_autofree char *bin = g_build_filename (root, "bin", NULL);
  g_autofree char *fake = g_build_filename (bin, "palisade", NULL);
  g_autofree char *ours = built_data (APPLICATION_ID ".xml");
  g_autofree char *our_copy = g_build_filename (packages, APPLICATION_ID ".xml", NULL);
  g_autofree char *desktop = built_data (APPLICATION_ID ".desktop");
  g_autofree char *desktop_copy = g_build_filename (applications, APPLICATION_ID ".desktop", NULL);
  g_autofree char *base_copy = g_build_filename (packages, "freedesktop.org.xml", NULL);
  g_autofree char *data_dirs = g_strconcat ("XDG_DATA_DIRS=", root, NULL);
  g_autofree char *data_home = g_strconcat ("XDG_DATA_HOME=", root, "/home", NULL);
  g_autofree char *config_home = g_strconcat ("XDG_CONFIG_HOME=", root, "/config", NULL);
  g_autofree char *config_dirs = g_strconcat ("XDG_CONFIG_DIRS=", root, "/config-dirs", NULL);
  g_autofree char *path = g_strconcat ("PATH=", bin, ":", g_getenv ("PATH"), NULL);
  g_autofree char *args_file = g_strconcat ("PAL_TEST_ARGS_FILE=", root, "/args", NULL);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *ok = g_strdup_printf ("ok 1 %s", child_path);
  const char *update_mime_argv[] = { "update-mime-database", mime, NULL };
  const char *update_desktop_argv[] = { "update-desktop-database", applications, NULL };
  const char *child_argv[] = { self, "-p", child_path, NULL };
  const char *child_env[] = {
    data_dirs, data_home, config_home, config_dirs, path, args_file, "PAL_TEST_CHILD=1", NULL
  };
  g_autofree char *out = NULL;
  gboolean success;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (packages, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (bin, 0700), ==, 0);
  copy_file ("/usr/share/mime/packages/freedesktop.org.xml", base_copy);
  copy_file (ours, our_copy);
  copy_file (desktop, desktop_copy);
  g_file_set_contents (fake, fake_palisade, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);
  /* As a package's triggers would; quiet only when the database is in
   * the search path. */
  assert_runs_clean (update_mime_argv, child_env);
  assert_runs_clean (update_desktop_argv, child_env);

  out = run (child_argv, child_env, &success);
  g_test_message ("%s", out);
  g_assert_true (success);
  g_assert_nonnull (strstr (out, ok));
  remove_tree (root);
}

static void
test_mime_detect (void)
{
  run_in_private_desktop ("/desktop/mime/detect-child");
}

static char *
wait_for_arguments (const char *path,
                    gsize      *length)
{
  char *text = NULL;

  for (int i = 0; i < 1000 && !g_file_get_contents (path, &text, length, NULL); i++)
    g_usleep (10 * 1000);
  g_assert_nonnull (text);
  return text;
}

/* What a double click in the file manager does: the default application
 * of the document's type is Palisade, and it gets the document's path. */
static void
test_open_with_child (void)
{
  g_autofree char *args_file = g_strdup (g_getenv ("PAL_TEST_ARGS_FILE"));
  g_autofree char *document = g_build_filename (g_get_tmp_dir (), "my home.fwdoc", NULL);
  g_autoptr(GAppInfo) handler = g_app_info_get_default_for_type (MIME_TYPE, FALSE);
  g_autoptr(GAppLaunchContext) context = g_app_launch_context_new ();
  g_autoptr(GFile) file = g_file_new_for_path (document);
  g_autoptr(GList) files = g_list_append (NULL, file);
  g_autoptr(GError) error = NULL;
  g_autofree char *args = NULL;
  gsize length;

  g_assert_nonnull (handler);
  g_assert_cmpstr (g_app_info_get_id (handler), ==, APPLICATION_ID ".desktop");
  g_assert_true (g_app_info_supports_files (handler));

  g_app_launch_context_setenv (context, "PAL_ARGS_FILE", args_file);
  g_app_info_launch (handler, files, context, &error);
  g_assert_no_error (error);
  args = wait_for_arguments (args_file, &length);
  g_assert_cmpuint (length, ==, strlen (document) + 1);
  g_assert_cmpstr (args, ==, document);
}

static void
test_open_with (void)
{
  run_in_private_desktop ("/desktop/open-with/child");
}

static void
test_icon_well_formed (gconstpointer data)
{
  const char *argv[] = { "xmllint", "--noout", data, NULL };

  assert_runs_clean (argv, NULL);
}

/* Renders at the size GNOME shows it; a broken path or reference would
 * make rsvg-convert complain or fail. */
static void
test_icon_renders (gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("palisade-icon-XXXXXX", &error);
  g_autofree char *png = g_build_filename (dir, "icon.png", NULL);
  const char *argv[] = { "rsvg-convert", "--width", "128", "--height", "128", "--output", png, data, NULL };
  g_autofree char *bytes = NULL;
  gsize length;

  g_assert_no_error (error);
  assert_runs_clean (argv, NULL);
  g_assert_true (g_file_get_contents (png, &bytes, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (bytes, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpint (g_remove (png), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_icon_sizes (void)
{
  g_autofree char *app = source_data ("icons", "hicolor", "scalable", "apps", APPLICATION_ID ".svg", NULL);
  g_autofree char *symbolic = source_data ("icons", "hicolor", "symbolic", "apps", APPLICATION_ID "-symbolic.svg", NULL);
  g_autofree char *app_box = xpath (app, "string(/*[local-name()='svg']/@viewBox)");
  g_autofree char *symbolic_box = xpath (symbolic, "string(/*[local-name()='svg']/@viewBox)");

  g_assert_cmpstr (app_box, ==, "0 0 128 128");
  g_assert_cmpstr (symbolic_box, ==, "0 0 16 16");
}

/* GTK recolours a symbolic icon by its one colour: anything else (another
 * colour, a gradient, an embedded image) would stay as drawn. */
static void
test_symbolic_one_colour (void)
{
  g_autofree char *symbolic = source_data ("icons", "hicolor", "symbolic", "apps", APPLICATION_ID "-symbolic.svg", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GRegex) colour = g_regex_new ("#[0-9A-Fa-f]{3,8}\\b|rgba?\\(", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint n_colours = 0;

  g_assert_true (g_file_get_contents (symbolic, &text, NULL, NULL));
  g_assert_null (strstr (text, "Gradient"));
  g_assert_null (strstr (text, "<image"));
  g_assert_null (strstr (text, "url("));
  for (g_regex_match (colour, text, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *found = g_match_info_fetch (match, 0);
      g_assert_cmpstr (found, ==, "#2e3436");
      n_colours++;
    }
  g_assert_cmpuint (n_colours, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *app_icon = NULL;
  g_autofree char *symbolic_icon = NULL;

  g_test_init (&argc, &argv, NULL);

  /* Only in the children run_in_private_desktop starts. */
  if (g_getenv ("PAL_TEST_CHILD") != NULL)
    {
      g_test_add_func ("/desktop/mime/detect-child", test_mime_detect_child);
      g_test_add_func ("/desktop/open-with/child", test_open_with_child);
      return g_test_run ();
    }

  app_icon = source_data ("icons", "hicolor", "scalable", "apps", APPLICATION_ID ".svg", NULL);
  symbolic_icon = source_data ("icons", "hicolor", "symbolic", "apps", APPLICATION_ID "-symbolic.svg", NULL);

  g_test_add_func ("/desktop/desktop-file/validates", test_desktop_file_validates);
  g_test_add_func ("/desktop/desktop-file/keys", test_desktop_file_keys);
  g_test_add_func ("/desktop/metainfo/validates", test_metainfo_validates);
  g_test_add_func ("/desktop/metainfo/agrees", test_metainfo_agrees);
  g_test_add_func ("/desktop/mime/structure", test_mime_structure);
  g_test_add_func ("/desktop/mime/detect", test_mime_detect);
  g_test_add_func ("/desktop/open-with", test_open_with);
  g_test_add_data_func ("/desktop/icons/well-formed/app", app_icon, test_icon_well_formed);
  g_test_add_data_func ("/desktop/icons/well-formed/symbolic", symbolic_icon, test_icon_well_formed);
  g_test_add_data_func ("/desktop/icons/renders/app", app_icon, test_icon_renders);
  g_test_add_data_func ("/desktop/icons/renders/symbolic", symbolic_icon, test_icon_renders);
  g_test_add_func ("/desktop/icons/sizes", test_icon_sizes);
  g_test_add_func ("/desktop/icons/symbolic-one-colour", test_symbolic_one_colour);

  return g_test_run ();
}
