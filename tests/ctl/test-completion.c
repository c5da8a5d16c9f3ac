/* test-completion.c — the bash completion parses, and completes verbs,
 * options, template ids and .fwdoc files by asking palisadectl.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#define BASH_COMPLETION "/usr/share/bash-completion/bash_completion"

/* Simulates pressing Tab at the end of the line, as bash would. */
static const char complete_script[] =
  ". " BASH_COMPLETION "\n"
  ". \"$COMPLETION\"\n"
  "COMP_LINE=$1\n"
  "COMP_POINT=${#COMP_LINE}\n"
  "read -ra COMP_WORDS <<< \"$COMP_LINE\"\n"
  "[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')\n"
  "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
  "_palisadectl palisadectl \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD - 1]}\" 2>/dev/null\n"
  "printf '%s\\n' \"${COMPREPLY[@]}\" | LC_ALL=C sort\n";

typedef struct
{
  char *tmpdir;
  char *completion;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fwdoc = NULL;
  g_autofree char *text = NULL;
  g_autofree char *subdir = NULL;

  fixture->completion = g_test_build_filename (G_TEST_DIST, "..", "data", "completions", "palisadectl", NULL);
  fixture->tmpdir = g_dir_make_tmp ("palisadectl-completion-XXXXXX", &error);
  g_assert_no_error (error);
  fwdoc = g_build_filename (fixture->tmpdir, "home.fwdoc", NULL);
  text = g_build_filename (fixture->tmpdir, "notes.txt", NULL);
  subdir = g_build_filename (fixture->tmpdir, "saved", NULL);
  g_assert_true (g_file_set_contents (fwdoc, "{}", -1, NULL));
  g_assert_true (g_file_set_contents (text, "", -1, NULL));
  g_assert_cmpint (g_mkdir (subdir, 0700), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *names[] = { "home.fwdoc", "notes.txt", "saved" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (fixture->tmpdir, names[i], NULL);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->tmpdir), ==, 0);
  g_free (fixture->tmpdir);
  g_free (fixture->completion);
}

static void
test_syntax (Fixture       *fixture,
             gconstpointer  data)
{
  const char *argv[] = { "bash", "-n", fixture->completion, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

/* The sorted candidates, one a line. */
static char *
complete (Fixture    *fixture,
          const char *line)
{
  g_autofree char *app_dir = g_test_build_filename (G_TEST_BUILT, "..", "app", NULL);
  g_autofree char *path = g_strconcat (app_dir, ":", g_getenv ("PATH"), NULL);
  const char *argv[] = { "bash", "-c", complete_script, "complete", line, NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_cwd (launcher, fixture->tmpdir);
  g_subprocess_launcher_setenv (launcher, "PATH", path, TRUE);
  g_subprocess_launcher_setenv (launcher, "COMPLETION", fixture->completion, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  return out;
}

#define assert_completes(fixture, line, expected) \
  G_STMT_START { \
    g_autofree char *got = complete (fixture, line); \
    g_assert_cmpstr (got, ==, expected); \
  } G_STMT_END

static void
test_complete (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *verbs = NULL;

  if (!g_file_test (BASH_COMPLETION, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("bash-completion is not installed (tools/debian-packages.txt lists it)");
      return;
    }

  verbs = complete (fixture, "palisadectl ");
  g_assert_nonnull (strstr (verbs, "help\n"));
  g_assert_nonnull (strstr (verbs, "print\n"));
  g_assert_nonnull (strstr (verbs, "templates\n"));
  g_assert_nonnull (strstr (verbs, "validate\n"));
  assert_completes (fixture, "palisadectl pr", "print\n");
  assert_completes (fixture, "palisadectl --v", "--version\n");
  assert_completes (fixture, "palisadectl help te", "templates\n");
  assert_completes (fixture, "palisadectl print --template ", "allow-all\nblock-all\ndefault\nservices\n");
  assert_completes (fixture, "palisadectl print -t b", "block-all\n");
  assert_completes (fixture, "palisadectl print --template=se", "services\n");
  assert_completes (fixture, "palisadectl print --w", "--wide\n");
  assert_completes (fixture, "palisadectl print --te", "--template=\n");
  assert_completes (fixture, "palisadectl validate --q", "--quiet\n");
  /* Documents and folders, not other files. */
  assert_completes (fixture, "palisadectl validate ", "home.fwdoc\nsaved\n");
  assert_completes (fixture, "palisadectl print --wide ", "home.fwdoc\nsaved\n");
  assert_completes (fixture, "palisadectl templates ", "\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/completion/syntax", Fixture, NULL, fixture_set_up, test_syntax, fixture_tear_down);
  g_test_add ("/completion/complete", Fixture, NULL, fixture_set_up, test_complete, fixture_tear_down);

  return g_test_run ();
}
