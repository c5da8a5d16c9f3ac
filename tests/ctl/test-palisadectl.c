/* test-palisadectl.c — palisadectl run as a user runs it: exit statuses,
 * where messages go, the printed outline and every verb's --help.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "pal-templates.h"

typedef struct
{
  char *tmpdir;
  char *out;   /* stdout and stderr of the last run */
  char *err;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("palisadectl-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->out);
  g_free (fixture->err);
}

/* Runs palisadectl with the NULL-terminated arguments; returns its exit
 * status and keeps its output in the fixture. */
static int
run (Fixture    *fixture,
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
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_clear_pointer (&fixture->out, g_free);
  g_clear_pointer (&fixture->err, g_free);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, fixture->tmpdir);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &fixture->out, &fixture->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
write_template (Fixture    *fixture,
                const char *id,
                const char *name)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = pal_templates_get_data (id, &error);
  g_assert_no_error (error);
  return write_file (fixture, name, g_bytes_get_data (bytes, NULL));
}

static guint
template_rule_count (const char *id)
{
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = pal_templates_load (id, &error);
  g_assert_no_error (error);
  return pal_document_count_rules (document);
}

/* A value the address parser refuses, at line 6, column 16. */
static const char broken_document[] =
  "{\n"
  "  \"fwdoc\": 1,\n"
  "  \"rules\": [\n"
  "    {\n"
  "      \"property\": \"source-address\",\n"
  "      \"value\": \"10.0.0.300\",\n"
  "      \"action\": \"drop\"\n"
  "    }\n"
  "  ]\n"
  "}\n";

static void
test_validate_good (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = write_template (fixture, "default", "good.fwdoc");
  g_autofree char *expected = g_strdup_printf ("%s: valid (%u rules)\n", path,
                                               template_rule_count ("default"));

  g_assert_cmpint (run (fixture, "validate", path, NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, expected);
  g_assert_cmpstr (fixture->err, ==, "");

  g_assert_cmpint (run (fixture, "validate", "--quiet", path, NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "");
}

static void
test_validate_broken (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *broken = write_file (fixture, "broken.fwdoc", broken_document);
  g_autofree char *good = write_template (fixture, "block-all", "good.fwdoc");
  g_autofree char *located = g_strdup_printf ("%s:6:16: rules[0].value: ", broken);

  g_assert_cmpint (run (fixture, "validate", "broken.fwdoc", NULL), ==, 1);
  g_assert_cmpstr (fixture->out, ==, "");
  g_assert_true (g_str_has_prefix (fixture->err, "broken.fwdoc:6:16: rules[0].value: "));
  g_assert_nonnull (strstr (fixture->err, "10.0.0.300"));

  /* Every file is checked, the good ones reported on stdout. */
  g_assert_cmpint (run (fixture, "validate", good, broken, NULL), ==, 1);
  g_assert_true (g_str_has_suffix (fixture->out, "good.fwdoc: valid (9 rules)\n"));
  g_assert_true (g_str_has_prefix (fixture->err, located));
}

static void
test_validate_unreadable (Fixture       *fixture,
                          gconstpointer  data)
{
  g_free (write_file (fixture, "truncated.fwdoc", "{\n  \"fwdoc\": 1,\n  \"rules\": [\n"));

  g_assert_cmpint (run (fixture, "validate", "truncated.fwdoc", NULL), ==, 1);
  g_assert_true (g_regex_match_simple ("^truncated\\.fwdoc:[0-9]+:[0-9]+: ", fixture->err, 0, 0));

  g_assert_cmpint (run (fixture, "validate", "missing.fwdoc", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (fixture->err, "missing.fwdoc: "));
  g_assert_cmpstr (fixture->out, ==, "");
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_cmpint (run (fixture, NULL), ==, 2);
  g_assert_cmpstr (fixture->out, ==, "");
  g_assert_cmpstr (fixture->err, !=, "");
  g_assert_cmpint (run (fixture, "frobnicate", NULL), ==, 2);
  g_assert_nonnull (strstr (fixture->err, "frobnicate"));
  g_assert_cmpint (run (fixture, "--frobnicate", NULL), ==, 2);
  g_assert_cmpint (run (fixture, "validate", NULL), ==, 2);
  g_assert_cmpint (run (fixture, "validate", "--frobnicate", "x.fwdoc", NULL), ==, 2);
  g_assert_true (g_str_has_prefix (fixture->err, "palisadectl validate: "));
  g_assert_cmpint (run (fixture, "print", NULL), ==, 2);
  g_assert_cmpint (run (fixture, "print", "a.fwdoc", "b.fwdoc", NULL), ==, 2);
  g_assert_cmpint (run (fixture, "print", "--template", "default", "a.fwdoc", NULL), ==, 2);
  g_assert_cmpint (run (fixture, "templates", "extra", NULL), ==, 2);
  g_assert_cmpint (run (fixture, "help", "frobnicate", NULL), ==, 2);
  g_assert_cmpstr (fixture->out, ==, "");
}

/* Where each column starts, from the header line. */
static void
column_starts (const char *header,
               glong      *starts)
{
  const char *titles[] = { "Name", "Property", "Relation", "Value", "Action", "Parameter" };

  starts[0] = 0;
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      const char *found = strstr (header, titles[i]);
      g_assert_nonnull (found);
      starts[i + 1] = g_utf8_pointer_to_offset (header, found);
    }
}

/* Every rule row has its property, relation and action where the header
 * says, preceded by a blank. */
static void
assert_aligned (char **lines,
                guint  n_rows)
{
  glong starts[7];

  column_starts (lines[0], starts);
  for (guint r = 1; r <= n_rows; r++)
    for (guint c = 2; c <= 3; c++)
      {
        const char *at = g_utf8_offset_to_pointer (lines[r], starts[c]);
        g_assert_cmpint (g_utf8_strlen (lines[r], -1), >, starts[c]);
        g_assert_true (at[-1] == ' ' && at[0] != ' ');
      }
}

static char **
split_lines (const char *text)
{
  g_assert_true (g_str_has_suffix (text, "\n"));
  return g_strsplit (text, "\n", -1);
}

static void
test_print_template (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(GStrv) lines = NULL;
  guint n_rules = template_rule_count ("default");
  g_autofree char *footer = g_strdup_printf ("%u rules; default verdict: pass; master switch: off", n_rules);

  g_assert_cmpint (run (fixture, "print", "--template", "default", NULL), ==, 0);
  g_assert_cmpstr (fixture->err, ==, "");
  lines = split_lines (fixture->out);
  /* Header, one line a rule, a blank line, the footer. */
  g_assert_cmpuint (g_strv_length (lines), ==, n_rules + 4);
  g_assert_true (g_regex_match_simple ("^On +Name +Property +Relation +Value +Action +Parameter$", lines[0], 0, 0));
  g_assert_true (g_regex_match_simple ("^✓ +Always +any +is +group$", lines[1], 0, 0));
  g_assert_true (g_regex_match_simple ("^✓ +  Loopback +interface +is +lo +pass$", lines[2], 0, 0));
  g_assert_true (g_regex_match_simple ("^✓ +    IPv4 loopback network +source-address +is +127\\.0\\.0\\.0/8 +drop$",
                                       lines[4], 0, 0));
  g_assert_true (g_regex_match_simple ("\n✓ +Suspicious activity +direction +is +in +group\n", fixture->out, 0, 0));
  g_assert_true (g_regex_match_simple ("\n✓ +  Probes of commonly attacked ports +destination-port +is +[0-9, -]+ +trigger +1h\n",
                                       fixture->out, 0, 0));
  /* The disabled group is blank, its enabled children are off through it. */
  g_assert_true (g_regex_match_simple ("\n +Protect servers", fixture->out, 0, 0));
  g_assert_true (g_regex_match_simple ("\n- +  Replies to this computer's DHCP requests", fixture->out, 0, 0));
  g_assert_cmpstr (lines[n_rules + 1], ==, "");
  g_assert_cmpstr (lines[n_rules + 2], ==, footer);
  assert_aligned (lines, n_rules);

  /* The same file prints the same. */
  {
    g_autofree char *path = write_template (fixture, "default", "default.fwdoc");
    g_autofree char *from_template = g_steal_pointer (&fixture->out);

    g_assert_cmpint (run (fixture, "print", path, NULL), ==, 0);
    g_assert_cmpstr (fixture->out, ==, from_template);
  }
}

static void
test_print_wide (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GString) value = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;

  for (guint i = 1; i <= 30; i++)
    g_string_append_printf (value, "%s10.0.%u.0/24", i > 1 ? ", " : "", i);
  text = g_strdup_printf ("{\"fwdoc\": 1, \"rules\": [{\"name\": \"Evil\\u001b[31m name\", "
                          "\"property\": \"source-address\", \"value\": \"%s\", \"action\": \"drop\"}]}",
                          value->str);
  path = write_file (fixture, "long.fwdoc", text);

  g_assert_cmpint (run (fixture, "print", path, NULL), ==, 0);
  g_assert_null (strstr (fixture->out, value->str));
  g_assert_nonnull (strstr (fixture->out, "…"));
  /* No escape sequence reaches the terminal. */
  g_assert_null (strchr (fixture->out, '\033'));
  g_assert_nonnull (strstr (fixture->out, "Evil\xef\xbf\xbd[31m name"));

  g_assert_cmpint (run (fixture, "print", "--wide", path, NULL), ==, 0);
  g_assert_nonnull (strstr (fixture->out, value->str));
}

static void
test_print_failures (Fixture       *fixture,
                     gconstpointer  data)
{
  g_free (write_file (fixture, "truncated.fwdoc", "{\"fwdoc\": 1, \"rules\": ["));

  g_assert_cmpint (run (fixture, "print", "--template", "nonexistent", NULL), ==, 1);
  g_assert_nonnull (strstr (fixture->err, "nonexistent"));
  g_assert_cmpint (run (fixture, "print", "truncated.fwdoc", NULL), ==, 1);
  g_assert_true (g_regex_match_simple ("^truncated\\.fwdoc:1:[0-9]+: ", fixture->err, 0, 0));
  g_assert_cmpstr (fixture->out, ==, "");
}

static void
test_print_empty (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_cmpint (run (fixture, "print", "--template", "allow-all", NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "0 rules; default verdict: pass; master switch: off\n");
}

static void
test_templates (Fixture       *fixture,
                gconstpointer  data)
{
  g_assert_cmpint (run (fixture, "templates", "--ids", NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "default\nallow-all\nblock-all\nservices\n");

  g_assert_cmpint (run (fixture, "templates", NULL), ==, 0);
  g_assert_true (g_regex_match_simple ("^default +Getting Started +", fixture->out, 0, 0));
  g_assert_true (g_regex_match_simple ("\nblock-all +Block All Incoming Connections +", fixture->out, 0, 0));
}

/* The verbs palisadectl --help lists. */
static GStrv
listed_verbs (const char *help)
{
  g_autoptr(GStrvBuilder) verbs = g_strv_builder_new ();
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);
  gboolean in_verbs = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_equal (lines[i], "Verbs:"))
        in_verbs = TRUE;
      else if (lines[i][0] == '\0')
        in_verbs = FALSE;
      else if (in_verbs)
        {
          g_auto(GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " ", 2);
          g_strv_builder_add (verbs, words[0]);
        }
    }
  return g_strv_builder_end (verbs);
}

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(GStrv) verbs = NULL;

  g_assert_cmpint (run (fixture, "--help", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (fixture->out, "Usage:\n  palisadectl VERB"));
  g_assert_cmpstr (fixture->err, ==, "");
  verbs = listed_verbs (fixture->out);
  g_assert_true (g_strv_contains ((const char * const *) verbs, "validate"));
  g_assert_true (g_strv_contains ((const char * const *) verbs, "print"));
  g_assert_true (g_strv_contains ((const char * const *) verbs, "templates"));

  for (guint i = 0; verbs[i] != NULL; i++)
    {
      g_autofree char *usage = g_strdup_printf ("Usage:\n  palisadectl %s ", verbs[i]);
      g_autofree char *by_option = NULL;

      g_test_message ("palisadectl %s --help", verbs[i]);
      g_assert_cmpint (run (fixture, verbs[i], "--help", NULL), ==, 0);
      g_assert_true (g_str_has_prefix (fixture->out, usage));
      g_assert_cmpstr (fixture->err, ==, "");
      by_option = g_steal_pointer (&fixture->out);
      g_assert_cmpint (run (fixture, "help", verbs[i], NULL), ==, 0);
      g_assert_cmpstr (fixture->out, ==, by_option);
    }

  g_assert_cmpint (run (fixture, "help", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (fixture->out, "Usage:\n"));
  g_assert_cmpint (run (fixture, "--version", NULL), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "palisadectl " PACKAGE_VERSION "\n");
}

/* Connection options work before the verb too: the verb gets them, and a
 * helper that is not there is a failure (1), not a usage error (2). */
static void
test_connection_options_before_verb (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *address = g_strdup_printf ("unix:path=%s/no-bus", fixture->tmpdir);
  g_autofree char *joined = g_strdup_printf ("--bus-address=%s", address);

  g_assert_cmpint (run (fixture, "--bus-address", address, "status", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (fixture->err, "palisadectl status: "));
  g_assert_cmpint (run (fixture, joined, "status", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (fixture->err, "palisadectl status: "));
  g_assert_cmpint (run (fixture, "status", "--bus-address", address, NULL), ==, 1);
  g_assert_true (g_str_has_prefix (fixture->err, "palisadectl status: "));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/palisadectl/validate/good", test_validate_good);
  ADD ("/palisadectl/validate/broken", test_validate_broken);
  ADD ("/palisadectl/validate/unreadable", test_validate_unreadable);
  ADD ("/palisadectl/usage-errors", test_usage_errors);
  ADD ("/palisadectl/print/template", test_print_template);
  ADD ("/palisadectl/print/wide", test_print_wide);
  ADD ("/palisadectl/print/failures", test_print_failures);
  ADD ("/palisadectl/print/empty", test_print_empty);
  ADD ("/palisadectl/templates", test_templates);
  ADD ("/palisadectl/help", test_help);
  ADD ("/palisadectl/connection-options-before-verb", test_connection_options_before_verb);
#undef ADD

  return g_test_run ();
}
