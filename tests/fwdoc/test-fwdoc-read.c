/* test-fwdoc-read.c — reading .fwdoc text: canonical round trips, the
 * corpus of broken files with their located first problem, limits made in
 * the test (deep nesting, many rules, a huge sparse file), every problem
 * reported, and the clipboard form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pal-fwdoc.h"
#include "pal-problem.h"

typedef struct
{
  GPtrArray *problems;
  GError    *error;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->problems = NULL;
  fixture->error = NULL;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->problems, g_ptr_array_unref);
  g_clear_error (&fixture->error);
}

static PalDocument *
load_text (Fixture    *fixture,
           const char *text,
           gssize      length)
{
  g_clear_pointer (&fixture->problems, g_ptr_array_unref);
  g_clear_error (&fixture->error);
  return pal_fwdoc_load_data (text, length, "test.fwdoc", &fixture->problems, &fixture->error);
}

static const PalProblem *
problem (Fixture *fixture,
         guint    index)
{
  g_assert_nonnull (fixture->problems);
  g_assert_cmpuint (index, <, fixture->problems->len);
  return g_ptr_array_index (fixture->problems, index);
}

static char *
problem_line (Fixture *fixture,
              guint    index)
{
  return pal_problem_to_string (problem (fixture, index), NULL);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* Names of the files in data/DIR ending in suffix, sorted. */
static GPtrArray *
list_data (const char *dir,
           const char *suffix)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", dir, NULL);
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, suffix))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

static char *
read_data (const char *dir,
           const char *name,
           gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

/* ------------------------------------------------------------------ */
/* Good documents                                                      */

static void
test_good_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) names = list_data ("good", ".fwdoc");

  g_assert_cmpuint (names->len, >=, 3);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "good", name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(PalDocument) document = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *original = NULL;
      g_autofree char *written = NULL;
      gsize length, written_length;

      g_test_message ("%s", name);
      original = read_data ("good", name, &length);
      document = pal_fwdoc_load_file (file, NULL, &problems, &error);
      g_assert_no_error (error);
      g_assert_nonnull (document);
      g_assert_cmpuint (problems->len, ==, 0);

      written = pal_fwdoc_save_data (document, &written_length);
      g_assert_cmpstr (written, ==, original);
      g_assert_cmpmem (written, written_length, original, length);
    }
}

static void
test_good_every_property (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *text = read_data ("good", "every-property.fwdoc", NULL);
  g_autoptr(PalDocument) document = load_text (fixture, text, -1);
  gboolean seen[PAL_N_PROPERTIES] = { FALSE };
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  GListModel *rules;

  g_assert_no_error (fixture->error);
  rules = pal_document_get_rules (document);
  for (guint i = 0; i < g_list_model_get_n_items (rules); i++)
    g_ptr_array_add (stack, g_list_model_get_item (rules, i));
  while (stack->len > 0)
    {
      g_autoptr(PalRule) rule = g_ptr_array_steal_index (stack, stack->len - 1);
      GListModel *children = pal_rule_get_children (rule);

      seen[pal_rule_get_property (rule)] = TRUE;
      for (guint i = 0; i < g_list_model_get_n_items (children); i++)
        g_ptr_array_add (stack, g_list_model_get_item (children, i));
    }
  for (guint p = 0; p < PAL_N_PROPERTIES; p++)
    {
      g_test_message ("property %s", pal_property_to_string (p));
      g_assert_true (seen[p]);
    }
}

static void
test_good_newer_version (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *text = read_data ("good", "newer-version.fwdoc", NULL);
  g_autoptr(PalDocument) document = load_text (fixture, text, -1);
  g_autoptr(PalRule) rule = NULL;
  g_autoptr(PalRule) child = NULL;
  PalInterfaceConfig *eth0;

  g_assert_no_error (fixture->error);
  g_assert_cmpuint (pal_document_get_format_version (document), ==, 2);
  g_assert_true (json_object_has_member (pal_document_get_extra (document), "annotations"));
  g_assert_true (json_object_has_member (pal_document_get_triggered_extra (document),
                                         "import-from"));
  g_assert_true (json_object_has_member (pal_document_get_adaptive_extra (document), "notify"));
  eth0 = pal_document_lookup_interface (document, "eth0");
  g_assert_cmpint (json_object_get_int_member (pal_interface_config_get_extra (eth0), "mtu"),
                   ==, 1500);
  rule = g_list_model_get_item (pal_document_get_rules (document), 0);
  g_assert_cmpstr (json_object_get_string_member (pal_rule_get_extra (rule), "colour"),
                   ==, "#ff0000");
  child = pal_rule_get_child (rule, 0);
  g_assert_cmpstr (json_object_get_string_member (pal_rule_get_extra (child), "comment"),
                   ==, "kept");
  /* Known members are never among the extra ones. */
  g_assert_false (json_object_has_member (pal_rule_get_extra (child), "name"));
}

static void
test_good_unicode (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *text = read_data ("good", "unicode.fwdoc", NULL);
  g_autoptr(PalDocument) document = load_text (fixture, text, -1);
  g_autoptr(PalRule) first = NULL;
  g_autoptr(PalRule) fifth = NULL;

  g_assert_no_error (fixture->error);
  first = g_list_model_get_item (pal_document_get_rules (document), 0);
  g_assert_cmpstr (pal_rule_get_name (first), ==, "Drucker im Büro (Größe: groß)");
  fifth = g_list_model_get_item (pal_document_get_rules (document), 4);
  g_assert_cmpstr (pal_rule_get_name (fifth), ==, "Line\nbreak and control \001 character");
  /* Non-ASCII is written as UTF-8, not as \u escapes. */
  g_assert_nonnull (strstr (text, "ウェブサーバー"));
}

/* Only "fwdoc" is needed; everything else takes the defaults. */
static void
test_lenient (Fixture       *fixture,
              gconstpointer  data)
{
  const char *text = "{\"fwdoc\": 1, \"rules\": [{\"property\": \"any\", \"action\": \"count\"}]}";
  g_autoptr(PalDocument) document = load_text (fixture, text, -1);
  g_autoptr(PalDocument) defaults = pal_document_new ();
  g_autoptr(PalRule) rule = NULL;
  g_autofree char *written = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *again = NULL;

  g_assert_no_error (fixture->error);
  rule = g_list_model_get_item (pal_document_get_rules (document), 0);
  g_assert_true (pal_rule_get_enabled (rule));
  g_assert_cmpint (pal_rule_get_relation (rule), ==, PAL_RELATION_IS);
  g_assert_cmpstr (pal_rule_get_name (rule), ==, "");
  g_assert_cmpstr (pal_rule_get_value (rule), ==, "");
  g_assert_cmpstr (pal_rule_get_parameter (rule), ==, "");
  g_assert_true (g_uuid_string_is_valid (pal_rule_get_id (rule)));

  /* The rest is the same as a new document's. */
  pal_document_remove_rule (document, 0);
  written = pal_fwdoc_save_data (document, NULL);
  expected = pal_fwdoc_save_data (defaults, NULL);
  g_assert_cmpstr (written, ==, expected);

  /* A written document reads back to the same text. */
  g_clear_object (&document);
  document = load_text (fixture, written, -1);
  g_assert_no_error (fixture->error);
  again = pal_fwdoc_save_data (document, NULL);
  g_assert_cmpstr (again, ==, written);
}

/* ------------------------------------------------------------------ */
/* Broken documents                                                    */

static void
check_broken (const char *name)
{
  g_autofree char *base = g_strndup (name, strlen (name) - strlen (".fwdoc"));
  g_autofree char *expected_name = g_strconcat (base, ".expected", NULL);
  g_autofree char *expected = g_strchomp (read_data ("broken", expected_name, NULL));
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "broken", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *error_first = NULL;
  g_auto(GStrv) error_lines = NULL;
  const PalProblem *found;

  g_test_message ("%s", name);
  document = pal_fwdoc_load_file (file, NULL, &problems, &error);
  g_assert_null (document);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, >, 0);
  found = g_ptr_array_index (problems, 0);
  g_assert_error (error, PAL_DOCUMENT_ERROR, (int) found->code);

  first = pal_problem_to_string (found, NULL);
  g_assert_cmpstr (first, ==, expected);

  /* The error names the file and carries every problem, one per line. */
  error_lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (error_lines), ==, problems->len);
  error_first = g_strdup_printf ("%s:%s", name, expected);
  g_assert_cmpstr (error_lines[0], ==, error_first);
}

static void
test_broken_corpus (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) names = list_data ("broken", ".fwdoc");
  g_autoptr(GPtrArray) expected = list_data ("broken", ".expected");

  /* Every broken file has its expectation, and nothing else is there. */
  g_assert_cmpuint (names->len, ==, expected->len);
  g_assert_cmpuint (names->len, >=, 40);
  for (guint i = 0; i < names->len; i++)
    check_broken (g_ptr_array_index (names, i));
}

/* ------------------------------------------------------------------ */
/* Limits, made here                                                   */

static char *
repeat (const char *piece,
        guint       times)
{
  GString *text = g_string_sized_new (strlen (piece) * times + 1);

  for (guint i = 0; i < times; i++)
    g_string_append (text, piece);
  return g_string_free (text, FALSE);
}

/* json-glib recurses; a million brackets must be stopped before it. */
static void
test_limit_nesting (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *arrays = repeat ("[", 1000000);
  g_autofree char *objects = repeat ("{\"a\":", 1000000);
  g_autoptr(PalDocument) document = NULL;
  g_autofree char *line = NULL;

  document = load_text (fixture, arrays, -1);
  g_assert_null (document);
  g_assert_error (fixture->error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_LIMIT);
  g_assert_cmpuint (fixture->problems->len, ==, 1);
  line = problem_line (fixture, 0);
  g_assert_cmpstr (line, ==, "1:65: The text nests objects and arrays deeper than 64 levels.");

  document = load_text (fixture, objects, -1);
  g_assert_null (document);
  g_assert_error (fixture->error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_LIMIT);
  g_assert_cmpuint (problem (fixture, 0)->column, ==, 64 * 5 + 1);
}

/* 64 levels of JSON are fine (in a member of a newer version, say). */
static void
test_limit_nesting_edge (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *open = repeat ("[", 63);
  g_autofree char *close = repeat ("]", 63);
  g_autofree char *fits = g_strdup_printf ("{\"fwdoc\": 1, \"x\": %s%s}", open, close);
  g_autofree char *deeper = g_strdup_printf ("{\"fwdoc\": 1, \"x\": [%s%s]}", open, close);
  g_autoptr(PalDocument) document = NULL;

  document = load_text (fixture, fits, -1);
  g_assert_no_error (fixture->error);
  g_assert_nonnull (document);
  g_clear_object (&document);

  document = load_text (fixture, deeper, -1);
  g_assert_error (fixture->error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_LIMIT);
}

/* Rules nested levels deep: {"property":"any","action":"group","children":[…]} */
static char *
nested_rules (guint levels)
{
  GString *text = g_string_new ("{\"fwdoc\": 1, \"rules\": [");

  for (guint i = 0; i < levels; i++)
    g_string_append_printf (text, "%s{\"property\": \"any\", \"action\": \"group\"",
                            i > 0 ? ", \"children\": [" : "");
  for (guint i = 0; i < levels; i++)
    g_string_append (text, i + 1 < levels ? "}]" : "}");
  g_string_append (text, "]}");
  return g_string_free (text, FALSE);
}

static void
test_limit_rule_depth (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *fits = nested_rules (PAL_DOCUMENT_MAX_DEPTH);
  g_autofree char *deeper = nested_rules (PAL_DOCUMENT_MAX_DEPTH + 1);
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GString) path = g_string_new ("rules[0]");
  const PalProblem *found;

  document = load_text (fixture, fits, -1);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (pal_document_count_rules (document), ==, PAL_DOCUMENT_MAX_DEPTH);
  g_clear_object (&document);

  document = load_text (fixture, deeper, -1);
  g_assert_null (document);
  g_assert_error (fixture->error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_LIMIT);
  g_assert_cmpuint (fixture->problems->len, ==, 1);
  for (guint i = 1; i < PAL_DOCUMENT_MAX_DEPTH; i++)
    g_string_append (path, ".children[0]");
  g_string_append (path, ".children");
  found = problem (fixture, 0);
  g_assert_cmpstr (found->path, ==, path->str);
  g_assert_cmpstr (found->message, ==, "Rules may nest at most 16 levels deep.");
  g_assert_cmpuint (found->line, ==, 1);
}

static void
test_limit_rule_count (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{\"fwdoc\": 1, \"rules\": [\n");
  g_autoptr(PalDocument) document = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *line = NULL;

  for (guint i = 0; i <= PAL_DOCUMENT_MAX_RULES; i++)
    g_string_append_printf (text, "%s{\"property\": \"any\", \"action\": \"count\"}",
                            i > 0 ? ",\n" : "");
  g_string_append (text, "\n]}\n");

  document = load_text (fixture, text->str, text->len);
  g_assert_null (document);
  g_assert_error (fixture->error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_LIMIT);
  g_assert_cmpuint (fixture->problems->len, ==, 1);
  line = problem_line (fixture, 0);
  expected = g_strdup_printf ("%d:1: rules[%d]: The outline has more than %d rules.",
                              PAL_DOCUMENT_MAX_RULES + 2, PAL_DOCUMENT_MAX_RULES,
                              PAL_DOCUMENT_MAX_RULES);
  g_assert_cmpstr (line, ==, expected);
}

static void
test_limit_lists (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GString) trusted = g_string_new ("{\"fwdoc\": 1, \"triggered\": {\"trusted\": [");
  g_autoptr(GString) interfaces = g_string_new ("{\"fwdoc\": 1, \"interfaces\": {");
  g_autoptr(PalDocument) document = NULL;
  g_autofree char *line = NULL;

  for (guint i = 0; i <= PAL_DOCUMENT_MAX_TRUSTED; i++)
    g_string_append_printf (trusted, "%s\"10.0.%u.%u\"", i > 0 ? ", " : "", i / 256, i % 256);
  g_string_append (trusted, "]}}");
  document = load_text (fixture, trusted->str, -1);
  g_assert_error (fixture->error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_LIMIT);
  line = problem_line (fixture, 0);
  g_assert_cmpstr (line, ==, "1:39: triggered.trusted: The list has 10001 entries; "
                             "it may have at most 10000.");

  for (guint i = 0; i <= PAL_DOCUMENT_MAX_INTERFACES; i++)
    g_string_append_printf (interfaces, "%s\"eth%u\": {}", i > 0 ? ", " : "", i);
  g_string_append (interfaces, "}}");
  document = load_text (fixture, interfaces->str, -1);
  g_assert_error (fixture->error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_LIMIT);
  g_assert_cmpstr (problem (fixture, 0)->path, ==, "interfaces");
}

/* Address space for what the process has now plus 64 MiB: far too
 * little to hold a file over the limit. Returns FALSE if it cannot. */
static gboolean
limit_address_space (void)
{
  g_autofree char *statm = NULL;
  struct rlimit limit;
  unsigned long pages;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lu", &pages) != 1)
    return FALSE;
  limit.rlim_cur = limit.rlim_max = (rlim_t) pages * sysconf (_SC_PAGESIZE) + 64 * 1024 * 1024;
  return setrlimit (RLIMIT_AS, &limit) == 0;
}

/* A file over the limit is refused before a byte of it is read: the check
 * runs in a child with too little address space to hold it. The parent
 * makes the (sparse) file and removes it, whatever the child does. */
static void
test_limit_size_file (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  dir = g_dir_make_tmp ("fwdoc-size-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "huge.fwdoc", NULL);
  fd = open (path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) PAL_DOCUMENT_MAX_SIZE + 1), ==, 0);
  close (fd);

  g_setenv ("PAL_TEST_HUGE_FILE", path, TRUE);
  g_test_trap_subprocess ("/fwdoc/limit/size-file/subprocess", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("PAL_TEST_HUGE_FILE");
  g_unlink (path);
  g_rmdir (dir);
  g_test_trap_assert_passed ();
}

static void
test_limit_size_file_child (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *path = g_getenv ("PAL_TEST_HUGE_FILE");
  g_autoptr(GFile) file = NULL;
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_assert_nonnull (path);
  g_assert_true (limit_address_space ());
  g_assert_null (g_try_malloc (PAL_DOCUMENT_MAX_SIZE));

  file = g_file_new_for_path (path);
  document = pal_fwdoc_load_file (file, NULL, &problems, &error);
  g_assert_null (document);
  g_assert_error (error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_LIMIT);
  g_assert_cmpuint (problems->len, ==, 1);
  line = pal_problem_to_string (g_ptr_array_index (problems, 0), NULL);
  g_assert_cmpstr (line, ==, "The text has 268435457 bytes; a document may have at most "
                             "268435456 (256 MiB).");
  g_assert_true (g_str_has_prefix (error->message, "huge.fwdoc: The text has"));
}

static void
test_limit_size_data (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char small[] = "{}";
  g_autoptr(PalDocument) document = NULL;

  /* The length alone decides: the (short) buffer is never read. */
  document = load_text (fixture, small, (gssize) PAL_DOCUMENT_MAX_SIZE + 1);
  g_assert_null (document);
  g_assert_error (fixture->error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_LIMIT);
}

/* ------------------------------------------------------------------ */
/* Problems                                                            */

static const char many_problems[] =
  "{\n"                                                             /* 1 */
  "  \"fwdoc\": 1,\n"                                               /* 2 */
  "  \"enabled\": \"yes\",\n"                                       /* 3 */
  "  \"default\": \"accept\",\n"                                    /* 4 */
  "  \"interfaces\": { \"a b\": {} },\n"                            /* 5 */
  "  \"triggered\": { \"trusted\": [\"10.0.0.0/8\", \"::g\"] },\n"  /* 6 */
  "  \"adaptive\": { \"failures\": 5000, \"window\": \"0s\" },\n"   /* 7 */
  "  \"rules\": [\n"                                                /* 8 */
  "    { \"id\": \"11111111-1111-4111-8111-111111111111\", \"property\": \"protocol\", "
  "\"value\": \"tcp\", \"action\": \"group\", \"children\": [\n"   /* 9 */
  "      { \"property\": \"icmp-type\", \"value\": \"echo-request\", \"action\": \"pass\" },\n"
  "      { \"property\": \"colour\", \"value\": \"red\", \"action\": \"pass\" },\n"
  "      { \"property\": \"destination-port\", \"value\": 22, \"action\": \"accept\", "
  "\"parameter\": \"x\" },\n"                                       /* 12 */
  "      { \"property\": \"destination-port\", \"value\": \"99999\" }\n"
  "    ] },\n"                                                      /* 14 */
  "    { \"id\": \"11111111-1111-4111-8111-111111111111\", \"property\": \"any\", "
  "\"action\": \"exit-group\" }\n"                                  /* 15 */
  "  ]\n"
  "}\n";

static void
test_every_problem (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char *const expected[] = {
    "3:14: enabled: Must be true or false, not a string.",
    "4:14: default: \"accept\" is not a verdict; write pass, drop or reject.",
    "5:26: interfaces[\"a b\"]: \"a b\" is not an interface name: it must have 1 to 15 bytes "
      "and no \"/\", \":\" or spaces.",
    "6:44: triggered.trusted[1]: \"::g\" is not an IPv6 address.",
    "7:29: adaptive.failures: The number of failures must be from 1 to 1000, not 5000.",
    "7:45: adaptive.window: The duration must be longer than 0s.",
    "10:21: rules[0].children[0].property: icmp-type cannot match below rules[0], "
      "which only lets TCP through.",
    "11:21: rules[0].children[1].property: \"colour\" is not a property.",
    "12:50: rules[0].children[2].value: Must be a string, not 22.",
    "12:64: rules[0].children[2].action: \"accept\" is not an action.",
    "13:7: rules[0].children[3].action: Missing: every rule needs an action.",
    "13:50: rules[0].children[3].value: \"99999\" is not a port number (0 to 65535).",
    "15:13: rules[1].id: The id 11111111-1111-4111-8111-111111111111 is already used by "
      "rules[0]; every rule needs its own.",
    "15:82: rules[1].action: exit-group leaves the group the rule is in, but at the top "
      "level there is no group to leave.",
  };
  g_autoptr(PalDocument) document = load_text (fixture, many_problems, -1);
  g_auto(GStrv) lines = NULL;

  g_assert_null (document);
  g_assert_error (fixture->error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_TYPE);
  for (guint i = 0; i < fixture->problems->len; i++)
    {
      g_autofree char *line = problem_line (fixture, i);
      g_test_message ("%s", line);
    }
  g_assert_cmpuint (fixture->problems->len, ==, G_N_ELEMENTS (expected));
  lines = g_strsplit (fixture->error->message, "\n", -1);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *line = problem_line (fixture, i);
      g_autofree char *with_file = g_strconcat ("test.fwdoc:", expected[i], NULL);

      g_assert_cmpstr (line, ==, expected[i]);
      g_assert_cmpstr (lines[i], ==, with_file);
    }
  /* Each problem of a rule names the rule. */
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (g_str_has_prefix (problem (fixture, i)->path, "rules"))
      g_assert_nonnull (problem (fixture, i)->rule);
  g_assert_cmpint (pal_rule_get_property (problem (fixture, 6)->rule), ==,
                   PAL_PROPERTY_ICMP_TYPE);
  g_assert_null (problem (fixture, 0)->rule);
}

static void
test_problem_cap (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{\"fwdoc\": 1, \"rules\": [\n");
  g_autoptr(PalDocument) document = NULL;
  const PalProblem *last;

  for (guint i = 0; i < 150; i++)
    g_string_append_printf (text, "%s{\"property\": \"destination-port\", \"value\": \"%u\", "
                            "\"action\": \"pass\"}", i > 0 ? ",\n" : "", 70000 + i);
  g_string_append (text, "\n]}\n");

  document = load_text (fixture, text->str, -1);
  g_assert_null (document);
  g_assert_cmpuint (fixture->problems->len, ==, 101);
  for (guint i = 0; i < 100; i++)
    g_assert_cmpuint (problem (fixture, i)->line, ==, i + 2);
  last = problem (fixture, 100);
  g_assert_cmpstr (last->message, ==, "… and 50 more problems.");
  g_assert_cmpuint (last->line, ==, 0);
}

/* A mistake is told once: not again by the validator as a consequence. */
static void
test_problem_told_once (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char *const texts[] = {
    "{\"fwdoc\": 1, \"rules\": [{\"property\": \"colour\", \"value\": \"red\", \"action\": \"pass\"}]}",
    "{\"fwdoc\": 1, \"rules\": [{\"property\": \"any\", \"action\": \"accept\", \"parameter\": \"x\"}]}",
    "{\"fwdoc\": 1, \"rules\": [{\"property\": \"destination-port\", \"value\": 22, \"action\": \"pass\"}]}",
    "{\"fwdoc\": 1, \"rules\": [{\"property\": 7, \"value\": \"tcp\", \"action\": \"pass\"}]}",
    "{\"fwdoc\": 1, \"rules\": [{\"property\": \"protocol\", \"relation\": \"has\", \"value\": \"tcp\", "
      "\"action\": \"group\", \"children\": [{\"property\": \"icmp-type\", \"action\": \"pass\", "
      "\"value\": \"echo-request\"}]}]}",
    "{\"fwdoc\": 1, \"rules\": [{\"action\": \"pass\", \"value\": \"x\"}]}",
    "{\"fwdoc\": 1, \"triggered\": {\"trusted\": [5]}}",
    "{\"fwdoc\": 1, \"triggered\": {\"duration\": \"soon\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(PalDocument) document = load_text (fixture, texts[i], -1);

      g_test_message ("%s", texts[i]);
      g_assert_null (document);
      for (guint j = 0; j < fixture->problems->len; j++)
        {
          g_autofree char *line = problem_line (fixture, j);
          g_test_message ("  %s", line);
        }
      g_assert_cmpuint (fixture->problems->len, ==, 1);
    }
}

/* ------------------------------------------------------------------ */
/* Clipboard                                                           */

static void
check_same_rules (PalRule *a,
                  PalRule *b)
{
  g_assert_cmpstr (pal_rule_get_id (a), ==, pal_rule_get_id (b));
  g_assert_cmpint (pal_rule_get_enabled (a), ==, pal_rule_get_enabled (b));
  g_assert_cmpstr (pal_rule_get_name (a), ==, pal_rule_get_name (b));
  g_assert_cmpint (pal_rule_get_property (a), ==, pal_rule_get_property (b));
  g_assert_cmpint (pal_rule_get_relation (a), ==, pal_rule_get_relation (b));
  g_assert_cmpstr (pal_rule_get_value (a), ==, pal_rule_get_value (b));
  g_assert_cmpint (pal_rule_get_action (a), ==, pal_rule_get_action (b));
  g_assert_cmpstr (pal_rule_get_parameter (a), ==, pal_rule_get_parameter (b));
  g_assert_cmpint (pal_rule_get_read_only (a), ==, pal_rule_get_read_only (b));
  g_assert_cmpuint (pal_rule_get_n_children (a), ==, pal_rule_get_n_children (b));
  for (guint i = 0; i < pal_rule_get_n_children (a); i++)
    {
      g_autoptr(PalRule) ca = pal_rule_get_child (a, i);
      g_autoptr(PalRule) cb = pal_rule_get_child (b, i);
      check_same_rules (ca, cb);
    }
}

/* The document's rules array, each line two spaces less indented. */
static char *
rules_part (const char *document_text)
{
  const char *start = strstr (document_text, "\n  \"rules\": [\n");
  const char *end = strstr (document_text, "\n  ]\n}\n");
  g_auto(GStrv) lines = NULL;
  g_autofree char *part = NULL;
  g_autoptr(GString) text = g_string_new ("[");

  g_assert_nonnull (start);
  g_assert_nonnull (end);
  start += strlen ("\n  \"rules\": [");
  part = g_strndup (start, end - start);
  lines = g_strsplit (part, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "", lines[i] + (i > 0 ? 2 : 0));
  g_string_append (text, "\n]\n");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_clipboard_round_trip (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *text = read_data ("good", "every-property.fwdoc", NULL);
  g_autoptr(PalDocument) document = load_text (fixture, text, -1);
  GListModel *model = pal_document_get_rules (document);
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) pasted = NULL;
  g_autofree char *clipboard = NULL;
  g_autofree char *again = NULL;
  g_autofree char *expected = NULL;

  g_assert_no_error (fixture->error);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (rules, g_list_model_get_item (model, i));

  clipboard = pal_fwdoc_rules_to_data (rules);
  /* The same text as in the document, one level less indented. */
  expected = rules_part (text);
  g_assert_cmpstr (clipboard, ==, expected);

  g_clear_pointer (&fixture->problems, g_ptr_array_unref);
  pasted = pal_fwdoc_rules_from_data (clipboard, -1, &fixture->problems, &fixture->error);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (pasted->len, ==, rules->len);
  for (guint i = 0; i < rules->len; i++)
    check_same_rules (g_ptr_array_index (rules, i), g_ptr_array_index (pasted, i));

  again = pal_fwdoc_rules_to_data (pasted);
  g_assert_cmpstr (again, ==, clipboard);
}

static void
test_clipboard_empty (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autofree char *text = pal_fwdoc_rules_to_data (none);
  g_autoptr(GPtrArray) pasted = NULL;

  g_assert_cmpstr (text, ==, "[]\n");
  pasted = pal_fwdoc_rules_from_data (text, -1, &fixture->problems, &fixture->error);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (pasted->len, ==, 0);
}

static void
test_clipboard_problems (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *text =
    "[\n"
    "  { \"property\": \"any\", \"action\": \"exit-group\" },\n"
    "  { \"property\": \"any\", \"action\": \"group\", \"children\": [\n"
    "    { \"property\": \"any\", \"action\": \"pass\" },\n"
    "    { \"property\": \"source-address\", \"value\": \"10.0.0.300\", \"action\": \"pass\" }\n"
    "  ] }\n"
    "]\n";
  g_autoptr(GPtrArray) pasted = NULL;
  g_autofree char *line = NULL;

  pasted = pal_fwdoc_rules_from_data (text, -1, &fixture->problems, &fixture->error);
  g_assert_null (pasted);
  g_assert_error (fixture->error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_INVALID_VALUE);
  /* exit-group is fine: the rules may be pasted into a group. */
  g_assert_cmpuint (fixture->problems->len, ==, 1);
  line = problem_line (fixture, 0);
  g_assert_cmpstr (line, ==, "5:46: [1].children[1].value: \"10.0.0.300\" is not an IPv4 address.");
  g_assert_cmpstr (fixture->error->message, ==, line);

  g_clear_pointer (&fixture->problems, g_ptr_array_unref);
  g_clear_error (&fixture->error);
  pasted = pal_fwdoc_rules_from_data ("{\"fwdoc\": 1}", -1, &fixture->problems, &fixture->error);
  g_assert_null (pasted);
  g_assert_error (fixture->error, PAL_DOCUMENT_ERROR, PAL_DOCUMENT_ERROR_TYPE);
  g_assert_cmpstr (fixture->error->message, ==,
                   "1:1: Rules on the clipboard are a JSON array of rules, not an object.");
}

/* ------------------------------------------------------------------ */
/* Writing what was not read                                           */

static void
test_write_escapes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalRule) rule = pal_rule_new (PAL_PROPERTY_ANY, PAL_ACTION_COUNT);
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autofree char *text = NULL;
  g_autoptr(PalDocument) back = NULL;
  g_autoptr(PalRule) back_rule = NULL;

  pal_rule_set_name (rule, "quote \" backslash \\ newline \n tab \t bell \a del \x7f é");
  pal_rule_set_id (rule, "00000000-0000-4000-8000-000000000000");
  /* A known member among the extra ones is never written twice. */
  json_object_set_string_member (extra, "name", "shadow");
  json_object_set_double_member (extra, "ratio", 1.0);
  json_object_set_double_member (extra, "third", 1.0 / 3.0);
  pal_rule_set_extra (rule, extra);
  pal_document_append_rule (document, rule);

  text = pal_fwdoc_save_data (document, NULL);
  g_assert_nonnull (strstr (text, "\"name\": \"quote \\\" backslash \\\\ newline \\n tab \\t "
                                  "bell \\u0007 del \x7f é\",\n"));
  g_assert_null (strstr (text, "shadow"));
  g_assert_nonnull (strstr (text, "\"ratio\": 1.0,\n"));
  g_assert_nonnull (strstr (text, "\"third\": 0.3333333333333333\n"));

  back = load_text (fixture, text, -1);
  g_assert_no_error (fixture->error);
  back_rule = g_list_model_get_item (pal_document_get_rules (back), 0);
  g_assert_cmpstr (pal_rule_get_name (back_rule), ==, pal_rule_get_name (rule));

  /* Bytes that are not UTF-8 never make an unreadable file. */
  pal_rule_set_name (rule, "Gr\xfc\xdf" "e");
  g_clear_pointer (&text, g_free);
  text = pal_fwdoc_save_data (document, NULL);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, "\"name\": \"Gr\xef\xbf\xbd\xef\xbf\xbd" "e\""));
}

/* "log-denied": absent in older documents (off), kept when on, and a
 * value of the wrong type is a located problem. */
static void
test_log_denied (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PalDocument) old = load_text (fixture, "{ \"fwdoc\": 1, \"default\": \"drop\" }", -1);
  g_autoptr(PalDocument) on = NULL;
  g_autoptr(PalDocument) wrong = NULL;
  g_autofree char *written = NULL;
  g_autofree char *line = NULL;

  g_assert_no_error (fixture->error);
  g_assert_nonnull (old);
  g_assert_false (pal_document_get_log_denied (old));
  g_assert_null (pal_document_get_extra (old));
  written = pal_fwdoc_save_data (old, NULL);
  g_assert_nonnull (strstr (written, "  \"default\": \"drop\",\n  \"log-denied\": false,\n"));

  on = load_text (fixture, "{ \"fwdoc\": 1, \"log-denied\": true, \"zz-unknown\": 1 }", -1);
  g_assert_no_error (fixture->error);
  g_assert_true (pal_document_get_log_denied (on));
  g_clear_pointer (&written, g_free);
  written = pal_fwdoc_save_data (on, NULL);
  g_assert_nonnull (strstr (written, "\"log-denied\": true,"));
  /* Unknown members are still kept, after the known ones. */
  g_assert_nonnull (strstr (written, "\"zz-unknown\": 1"));

  wrong = load_text (fixture, "{ \"fwdoc\": 1,\n  \"log-denied\": \"yes\" }", -1);
  line = problem_line (fixture, 0);
  g_assert_nonnull (strstr (line, "2:"));
  g_assert_nonnull (strstr (line, "log-denied"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/fwdoc/good/round-trip", test_good_round_trip);
  ADD ("/fwdoc/good/every-property", test_good_every_property);
  ADD ("/fwdoc/good/newer-version", test_good_newer_version);
  ADD ("/fwdoc/good/unicode", test_good_unicode);
  ADD ("/fwdoc/good/lenient", test_lenient);
  ADD ("/fwdoc/broken/corpus", test_broken_corpus);
  ADD ("/fwdoc/limit/nesting", test_limit_nesting);
  ADD ("/fwdoc/limit/nesting-edge", test_limit_nesting_edge);
  ADD ("/fwdoc/limit/rule-depth", test_limit_rule_depth);
  ADD ("/fwdoc/limit/rule-count", test_limit_rule_count);
  ADD ("/fwdoc/limit/lists", test_limit_lists);
  ADD ("/fwdoc/limit/size-file", test_limit_size_file);
  ADD ("/fwdoc/limit/size-file/subprocess", test_limit_size_file_child);
  ADD ("/fwdoc/limit/size-data", test_limit_size_data);
  ADD ("/fwdoc/problems/every-one", test_every_problem);
  ADD ("/fwdoc/problems/cap", test_problem_cap);
  ADD ("/fwdoc/problems/told-once", test_problem_told_once);
  ADD ("/fwdoc/clipboard/round-trip", test_clipboard_round_trip);
  ADD ("/fwdoc/clipboard/empty", test_clipboard_empty);
  ADD ("/fwdoc/clipboard/problems", test_clipboard_problems);
  ADD ("/fwdoc/write/escapes", test_write_escapes);
  ADD ("/fwdoc/log-denied", test_log_denied);

  return g_test_run ();
}
