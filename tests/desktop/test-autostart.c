/* test-autostart.c — "palisadectl autostart" writes, reports and removes
 * the login entry in a private XDG_CONFIG_HOME; the entry is valid, names
 * the document by its absolute path, and GIO (as the session does) starts
 * palisade with exactly that path, whatever characters it holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gio/gdesktopappinfo.h>

#define ENTRY_NAME "io.github.palisade.Palisade-login.desktop"

/* A stand-in for palisade on PATH: it records its arguments, NUL-separated,
 * where the launch context says, so a test sees what the session would run. */
static const char fake_palisade[] =
  "#!/bin/sh\n"
  "printf '%s\\0' \"$@\" > \"$PAL_ARGS_FILE.tmp\" && mv \"$PAL_ARGS_FILE.tmp\" \"$PAL_ARGS_FILE\"\n";

static char *fake_bin_dir;

typedef struct
{
  char *tmpdir;
  char *config_home;
  char *entry_path;
  char *out;
  char *err;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

/* A copy of the shipped default document (saved off) under name. */
static char *
write_document (Fixture    *fixture,
                const char *name,
                gboolean    enabled)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "..", "data", "templates", "default.fwdoc", NULL);
  g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  char *member;

  g_file_get_contents (source, &text, NULL, &error);
  g_assert_no_error (error);
  member = strstr (text, "\"enabled\": false");
  g_assert_nonnull (member);
  if (enabled)
    memcpy (member, "\"enabled\":  true", strlen ("\"enabled\": false"));
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("palisade-autostart-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->config_home = g_build_filename (fixture->tmpdir, "config", NULL);
  fixture->entry_path = g_build_filename (fixture->config_home, "autostart", ENTRY_NAME, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->config_home);
  g_free (fixture->entry_path);
  g_free (fixture->out);
  g_free (fixture->err);
}

/* Runs "palisadectl autostart ARGS…" in the fixture's folder with its
 * XDG_CONFIG_HOME; returns the exit status, keeps the output. */
static int
run_autostart (Fixture    *fixture,
               const char *first,
               ...)
{
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "..", "app", "palisadectl", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, program);
  g_ptr_array_add (argv, (char *) "autostart");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_clear_pointer (&fixture->out, g_free);
  g_clear_pointer (&fixture->err, g_free);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, fixture->tmpdir);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->config_home, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &fixture->out, &fixture->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static GKeyFile *
load_entry (Fixture *fixture)
{
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_file (entry, fixture->entry_path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&entry);
}

static void
assert_entry_valid (Fixture *fixture)
{
  const char *argv[] = { "desktop-file-validate", fixture->entry_path, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  /* Not even a hint. */
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_subprocess_get_successful (process));
}

static void
test_write (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *document = write_document (fixture, "home.fwdoc", FALSE);
  g_autofree char *exec = g_strconcat ("palisade ", document, NULL);
  g_autoptr(GKeyFile) entry = NULL;
  g_autofree char *value = NULL;
  GStatBuf buf;

  /* A relative name becomes the absolute path: the session starts
   * elsewhere. */
  g_assert_cmpint (run_autostart (fixture, "home.fwdoc", NULL), ==, 0);
  g_assert_nonnull (strstr (fixture->out, document));
  g_assert_nonnull (strstr (fixture->out, "master switch is saved off"));
  g_assert_cmpstr (fixture->err, ==, "");

  entry = load_entry (fixture);
  value = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, NULL);
  g_assert_cmpstr (value, ==, exec);
  g_clear_pointer (&value, g_free);
  value = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE, NULL);
  g_assert_cmpstr (value, ==, "Application");
  g_clear_pointer (&value, g_free);
  value = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_ICON, NULL);
  g_assert_cmpstr (value, ==, APPLICATION_ID);
  g_assert_true (g_path_is_absolute (document));
  assert_entry_valid (fixture);

  /* The user's own file, readable by the session. */
  g_assert_cmpint (g_stat (fixture->entry_path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0644);
}

static void
test_document_on (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *document = write_document (fixture, "on.fwdoc", TRUE);

  g_assert_cmpint (run_autostart (fixture, document, NULL), ==, 0);
  g_assert_null (strstr (fixture->out, "master switch"));
  assert_entry_valid (fixture);
}

static void
test_status (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *document = write_document (fixture, "home.fwdoc", FALSE);
  g_autoptr(GKeyFile) entry = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run_autostart (fixture, "--status", NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "Palisade opens no document at login.\n");

  g_assert_cmpint (run_autostart (fixture, document, NULL), ==, 0);
  g_assert_cmpint (run_autostart (fixture, "--status", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (fixture->out, "At login, Palisade opens "));
  g_assert_nonnull (strstr (fixture->out, document));
  g_assert_null (strstr (fixture->out, "no longer exists"));

  /* Switched off in GNOME's startup applications. */
  entry = load_entry (fixture);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", FALSE);
  g_key_file_save_to_file (entry, fixture->entry_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_autostart (fixture, "--status", NULL), ==, 0);
  g_assert_nonnull (strstr (fixture->out, "switched off"));

  /* The document moved away after the entry was written. */
  g_assert_cmpint (g_remove (document), ==, 0);
  g_assert_cmpint (run_autostart (fixture, "--status", NULL), ==, 0);
  g_assert_nonnull (strstr (fixture->out, "no longer exists"));
}

static void
test_off (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *document = write_document (fixture, "home.fwdoc", FALSE);

  g_assert_cmpint (run_autostart (fixture, document, NULL), ==, 0);
  g_assert_true (g_file_test (fixture->entry_path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (run_autostart (fixture, "--off", NULL), ==, 0);
  g_assert_false (g_file_test (fixture->entry_path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (fixture->out, ==, "Palisade opens no document at login.\n");
  /* Again: nothing to remove is not an error. */
  g_assert_cmpint (run_autostart (fixture, "--off", NULL), ==, 0);
  g_assert_cmpint (run_autostart (fixture, "--status", NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "Palisade opens no document at login.\n");
}

static void
test_replace (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *first = write_document (fixture, "first.fwdoc", FALSE);
  g_autofree char *second = write_document (fixture, "second.fwdoc", FALSE);
  g_autoptr(GKeyFile) entry = NULL;
  g_autofree char *exec = NULL;

  g_assert_cmpint (run_autostart (fixture, first, NULL), ==, 0);
  g_assert_cmpint (run_autostart (fixture, second, NULL), ==, 0);
  entry = load_entry (fixture);
  exec = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, NULL);
  g_assert_nonnull (strstr (exec, "second.fwdoc"));
  g_assert_null (strstr (exec, "first.fwdoc"));
}

static void
test_missing (Fixture       *fixture,
              gconstpointer  data)
{
  g_assert_cmpint (run_autostart (fixture, "missing.fwdoc", NULL), ==, 1);
  g_assert_nonnull (strstr (fixture->err, "missing.fwdoc"));
  g_assert_cmpstr (fixture->out, ==, "");
  g_assert_false (g_file_test (fixture->entry_path, G_FILE_TEST_EXISTS));
}

/* A document that would fail at every login is refused now, with the
 * reader's located problem. */
static void
test_invalid (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "bad.fwdoc", NULL);

  g_assert_true (g_file_set_contents (path, "{\"fwdoc\": 1, \"default\": \"sometimes\"}\n", -1, NULL));
  g_assert_cmpint (run_autostart (fixture, "bad.fwdoc", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (fixture->err, "bad.fwdoc:1:"));
  g_assert_false (g_file_test (fixture->entry_path, G_FILE_TEST_EXISTS));
}

/* Bytes that are not UTF-8 cannot be written into a desktop file. */
static void
test_unwritable_name (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *document = write_document (fixture, "caf\xe9.fwdoc", FALSE);

  g_assert_cmpint (run_autostart (fixture, document, NULL), ==, 1);
  g_assert_nonnull (strstr (fixture->err, "UTF-8"));
  g_assert_false (g_file_test (fixture->entry_path, G_FILE_TEST_EXISTS));
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *document = write_document (fixture, "home.fwdoc", FALSE);

  g_assert_cmpint (run_autostart (fixture, NULL), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "No document given"));
  g_assert_cmpint (run_autostart (fixture, "--off", "--status", NULL), ==, 2);
  g_assert_cmpint (run_autostart (fixture, "--off", document, NULL), ==, 2);
  g_assert_cmpint (run_autostart (fixture, "--status", document, NULL), ==, 2);
  g_assert_cmpint (run_autostart (fixture, document, document, NULL), ==, 2);
  g_assert_cmpint (run_autostart (fixture, "--bogus", NULL), ==, 2);
  g_assert_false (g_file_test (fixture->entry_path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (run_autostart (fixture, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (fixture->out, "--off"));
}

/* Waits for the fake palisade to record its arguments. */
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

/* The session reads Exec with the Desktop Entry rules: quotes, escapes and
 * %% must bring back the very path, as one argument. */
static void
test_launch (Fixture       *fixture,
             gconstpointer  data)
{
  const char *name = (const char *) data;
  g_autofree char *document = write_document (fixture, name, FALSE);
  g_autofree char *args_file = g_build_filename (fixture->tmpdir, "args", NULL);
  g_autoptr(GDesktopAppInfo) info = NULL;
  g_autoptr(GAppLaunchContext) context = g_app_launch_context_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *args = NULL;
  gsize length;

  g_assert_cmpint (run_autostart (fixture, document, NULL), ==, 0);
  assert_entry_valid (fixture);

  info = g_desktop_app_info_new_from_filename (fixture->entry_path);
  g_assert_nonnull (info);
  g_app_launch_context_setenv (context, "PAL_ARGS_FILE", args_file);
  g_app_info_launch (G_APP_INFO (info), NULL, context, &error);
  g_assert_no_error (error);

  args = wait_for_arguments (args_file, &length);
  /* One argument, NUL-terminated. */
  g_assert_cmpuint (length, ==, strlen (document) + 1);
  g_assert_cmpstr (args, ==, document);
}

static void
make_fake_palisade (void)
{
  g_autofree char *program = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fake_bin_dir = g_dir_make_tmp ("palisade-fake-bin-XXXXXX", &error);
  g_assert_no_error (error);
  program = g_build_filename (fake_bin_dir, "palisade", NULL);
  g_file_set_contents (program, fake_palisade, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (program, 0755), ==, 0);
  /* Before any thread exists: the entry's TryExec and Exec look here. */
  path = g_strconcat (fake_bin_dir, ":", g_getenv ("PATH"), NULL);
  g_setenv ("PATH", path, TRUE);
}

#define ADD(path, func, data) \
  g_test_add ((path), Fixture, (data), fixture_set_up, (func), fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  make_fake_palisade ();

  ADD ("/autostart/write", test_write, NULL);
  ADD ("/autostart/document-on", test_document_on, NULL);
  ADD ("/autostart/status", test_status, NULL);
  ADD ("/autostart/off", test_off, NULL);
  ADD ("/autostart/replace", test_replace, NULL);
  ADD ("/autostart/missing", test_missing, NULL);
  ADD ("/autostart/invalid", test_invalid, NULL);
  ADD ("/autostart/unwritable-name", test_unwritable_name, NULL);
  ADD ("/autostart/usage", test_usage, NULL);
  ADD ("/autostart/launch/plain", test_launch, "home.fwdoc");
  ADD ("/autostart/launch/space", test_launch, "my home.fwdoc");
  ADD ("/autostart/launch/reserved", test_launch, "a\"b`c$d\\e'f;g&h|i*j?k#l(m)n<o>p~q.fwdoc");
  ADD ("/autostart/launch/percent", test_launch, "100%u %f %%.fwdoc");
  ADD ("/autostart/launch/unicode", test_launch, "café — 防火墙.fwdoc");

  status = g_test_run ();

  {
    g_autofree char *program = g_build_filename (fake_bin_dir, "palisade", NULL);
    g_remove (program);
    g_rmdir (fake_bin_dir);
    g_free (fake_bin_dir);
  }
  return status;
}
