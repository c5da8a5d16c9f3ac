/* test-manpages.c — palisade(1), palisadectl(8) and palisade-helper(8)
 * render without a single groff warning, and they document what the
 * programs offer today: every verb "palisadectl --help" lists has its
 * ".SS VERB" under VERBS naming each of the verb's long options, and every
 * option of palisade and palisade-helper is in its page. The lists are read
 * from the programs at test time, so a new verb or option without
 * documentation fails here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

static const char * const pages[] = { "palisade.1", "palisadectl.8", "palisade-helper.8" };

static char *
page_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "docs", name, NULL);
}

static char **
read_page_lines (const char *name)
{
  g_autofree char *path = page_path (name);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return g_strsplit (text, "\n", -1);
}

/* Runs argv; returns standard output, and standard error in *err. */
static char *
run (const char * const  *argv,
     char               **err)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  return out;
}

/* As man(1) formats for a terminal, with every warning on: checked as a
 * whole (-z) and laid out at 80 and at 60 columns, where long words must
 * still break. */
static void
test_render (gconstpointer data)
{
  g_autofree char *path = page_path (data);
  const char *line_lengths[] = { NULL, "-rLL=78n", "-rLL=58n" };

  for (guint i = 0; i < G_N_ELEMENTS (line_lengths); i++)
    {
      const char *argv[] = { "groff", "-man", "-Tutf8", "-ww", i == 0 ? "-z" : line_lengths[i], path, NULL };
      g_autofree char *err = NULL;
      g_autofree char *out = run (argv, &err);

      g_assert_cmpstr (err, ==, "");
      if (i > 0)
        g_assert_cmpuint (strlen (out), >, 0);
    }
}

/* The long options listed in the option groups of --help text, without
 * --help itself. */
static GPtrArray *
long_options (const char *help)
{
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);
  g_autoptr(GRegex) regex = g_regex_new ("^\\s+(?:-\\S, )?--([A-Za-z0-9][A-Za-z0-9-]*)", 0, 0, NULL);
  GPtrArray *options = g_ptr_array_new_with_free_func (g_free);
  gboolean in_options = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;

      /* "Help Options:", "Application Options:", "GApplication options" */
      if (!g_ascii_isspace (lines[i][0])
          && (g_str_has_suffix (lines[i], "Options:") || g_str_has_suffix (lines[i], " options")))
        in_options = TRUE;
      else if (lines[i][0] == '\0')
        in_options = FALSE;
      else if (in_options && g_regex_match (regex, lines[i], 0, &match))
        {
          g_autofree char *option = g_match_info_fetch (match, 1);
          if (!g_str_equal (option, "help"))
            g_ptr_array_add (options, g_steal_pointer (&option));
        }
    }
  return options;
}

/* How the page writes "--name": with troff minus signs. */
static char *
troff_option (const char *option)
{
  g_autoptr(GString) text = g_string_new ("\\-\\-");

  for (const char *p = option; *p != '\0'; p++)
    {
      if (*p == '-')
        g_string_append_c (text, '\\');
      g_string_append_c (text, *p);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
check_options_in (const char *program_help,
                  const char *page_text,
                  const char *what,
                  GString    *missing)
{
  g_autoptr(GPtrArray) options = long_options (program_help);

  for (guint i = 0; i < options->len; i++)
    {
      g_autofree char *written = troff_option (g_ptr_array_index (options, i));
      if (strstr (page_text, written) == NULL)
        g_string_append_printf (missing, " %s: --%s;", what, (char *) g_ptr_array_index (options, i));
    }
}

static GPtrArray *
palisadectl_verbs (const char *program)
{
  const char *argv[] = { program, "--help", NULL };
  g_autofree char *help = run (argv, NULL);
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);
  GPtrArray *verbs = g_ptr_array_new_with_free_func (g_free);
  gboolean in_verbs = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_equal (lines[i], "Verbs:"))
        in_verbs = TRUE;
      else if (lines[i][0] == '\0')
        in_verbs = FALSE;
      else if (in_verbs)
        {
          g_auto(GStrv) words = g_strsplit_set (g_strchug (lines[i]), " ", 2);
          g_ptr_array_add (verbs, g_strdup (words[0]));
        }
    }
  return verbs;
}

/* ".SS show\-active" → "show-active": the heading's first word, as typed. */
static char *
heading_name (const char *line)
{
  g_autofree char *title = g_strstrip (g_strdup (line + strlen (".SS ")));
  g_auto(GStrv) words = g_strsplit (g_strdelimit (title, "\"", ' '), " ", -1);
  g_auto(GStrv) parts = NULL;
  guint i = 0;

  while (words[i] != NULL && words[i][0] == '\0')
    i++;
  if (words[i] == NULL)
    return g_strdup ("");
  parts = g_strsplit (words[i], "\\-", -1);
  return g_strjoinv ("-", parts);
}

/* The text of ".SS VERB" up to the next heading; NULL without one. */
static char *
verb_section (char       **lines,
              const char  *verb)
{
  g_autoptr(GString) section = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (section != NULL && (g_str_has_prefix (lines[i], ".SS") || g_str_has_prefix (lines[i], ".SH")))
        break;
      if (section != NULL)
        g_string_append_printf (section, "%s\n", lines[i]);
      else if (g_str_has_prefix (lines[i], ".SS "))
        {
          g_autofree char *name = heading_name (lines[i]);
          if (g_str_equal (name, verb))
            section = g_string_new (NULL);
        }
    }
  return section != NULL ? g_string_free (g_steal_pointer (&section), FALSE) : NULL;
}

static void
test_palisadectl_verbs (void)
{
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "..", "app", "palisadectl", NULL);
  g_autoptr(GPtrArray) verbs = palisadectl_verbs (program);
  g_auto(GStrv) lines = read_page_lines ("palisadectl.8");
  g_autoptr(GString) missing = g_string_new (NULL);

  /* validate, print, templates at least: the parse found the list. */
  g_assert_cmpuint (verbs->len, >=, 3);
  for (guint i = 0; i < verbs->len; i++)
    {
      const char *verb = g_ptr_array_index (verbs, i);
      g_autofree char *section = verb_section (lines, verb);
      const char *argv[] = { program, verb, "--help", NULL };
      g_autofree char *help = NULL;

      g_test_message ("verb %s", verb);
      if (section == NULL)
        {
          g_string_append_printf (missing, " verb %s (no \".SS %s\");", verb, verb);
          continue;
        }
      help = run (argv, NULL);
      check_options_in (help, section, verb, missing);
    }
  if (missing->len > 0)
    g_test_fail_printf ("palisadectl.8 does not document:%s", missing->str);
}

/* A program's options are all in its page. */
static void
test_program_options (gconstpointer data)
{
  const char *page = data;
  g_autofree char *program_name = g_strndup (page, strrchr (page, '.') - page);
  const char *folder = g_str_equal (program_name, "palisade-helper") ? "helper" : "app";
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "..", folder, program_name, NULL);
  g_autofree char *path = page_path (page);
  g_autofree char *text = NULL;
  g_autofree char *help = NULL;
  g_autoptr(GString) missing = g_string_new (NULL);
  const char *argv[] = { program, "--help-all", NULL };

  if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_autofree char *why = g_strdup_printf ("%s is not built", program_name);
      g_test_skip (why);
      return;
    }
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  help = run (argv, NULL);
  check_options_in (help, text, program_name, missing);
  if (missing->len > 0)
    g_test_fail_printf ("%s does not document:%s", page, missing->str);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *render = g_strdup_printf ("/manpages/render/%s", pages[i]);
      g_test_add_data_func (render, pages[i], test_render);
    }
  g_test_add_func ("/manpages/palisadectl/verbs", test_palisadectl_verbs);
  g_test_add_data_func ("/manpages/options/palisade.1", "palisade.1", test_program_options);
  g_test_add_data_func ("/manpages/options/palisade-helper.8", "palisade-helper.8", test_program_options);

  return g_test_run ();
}
