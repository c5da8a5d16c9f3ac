/* ctl-document-verbs.c — palisadectl verbs that work on documents alone,
 * without the helper: validate, print, templates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ctl-common.h"
#include "ctl-verb.h"
#include "pal-fwdoc.h"
#include "pal-problem.h"
#include "pal-templates.h"

/* Widest a cell of "print" gets without --wide, in terminal columns. */
#define NAME_MAX_WIDTH      50
#define VALUE_MAX_WIDTH     40
#define PARAMETER_MAX_WIDTH 30

static void
print_problems (const char *file_name,
                GPtrArray  *problems)
{
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = pal_problem_to_string (g_ptr_array_index (problems, i), file_name);
      g_autofree char *safe = pal_ctl_text_sanitize (line, 0);
      g_printerr ("%s\n", safe);
    }
}

/* Reads a document, reporting on stderr why it cannot be read. The reader
 * runs the validator too, so a document it returns has no problem. */
static PalDocument *
load_file (const char *file_name)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (file_name);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  PalDocument *document;

  document = pal_fwdoc_load_file (file, NULL, &problems, &error);
  if (document != NULL)
    return document;
  if (problems != NULL && problems->len > 0)
    print_problems (file_name, problems);
  else if (error != NULL)
    g_printerr ("%s: %s\n", file_name, error->message);
  return NULL;
}

static gboolean
validate_file (const char *file_name,
               gboolean    quiet)
{
  g_autoptr(PalDocument) document = load_file (file_name);
  guint n_rules;

  if (document == NULL)
    return FALSE;
  n_rules = pal_document_count_rules (document);
  if (!quiet)
    g_print (g_dngettext (GETTEXT_PACKAGE, "%s: valid (%u rule)\n", "%s: valid (%u rules)\n", n_rules),
             file_name, n_rules);
  return TRUE;
}

static int
run_validate (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  gboolean quiet = FALSE;
  gboolean all_valid = TRUE;
  const GOptionEntry entries[] = {
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("Report only problems, not valid files"), NULL },
    { NULL }
  };

  context = pal_ctl_option_context_new (N_("FILE…"),
                                        N_("Checks that each document can be read and applied: every value must\n"
                                           "parse for its property, every parameter for its action, and no rule\n"
                                           "may contradict the rules above it.\n"
                                           "\n"
                                           "Problems go to standard error as FILE:LINE:COLUMN: PATH: MESSAGE.\n"
                                           "The exit status is 1 when any document has a problem."),
                                        entries);
  if (!pal_ctl_parse_options (context, &argc, &argv))
    return PAL_CTL_EXIT_USAGE;
  if (argc < 2)
    return pal_ctl_usage_error (_("No document given"));

  for (int i = 1; i < argc; i++)
    all_valid &= validate_file (argv[i], quiet);
  return all_valid ? PAL_CTL_EXIT_OK : PAL_CTL_EXIT_FAILURE;
}

static PalDocument *
load_template (const char *id)
{
  g_autoptr(GError) error = NULL;
  PalDocument *document = pal_templates_load (id, &error);

  if (document == NULL)
    pal_ctl_error ("%s", error->message);
  return document;
}

/* ✓ when the kernel would load the rule, - when a parent switches it off. */
static const char *
on_mark (PalRule *rule)
{
  if (!pal_rule_get_enabled (rule))
    return "";
  if (!pal_rule_get_effective_enabled (rule))
    return "-";
  return pal_ctl_use_unicode () ? "✓" : "x";
}

static void
add_rule_row (PalCtlTable *table,
              PalRule     *rule,
              gboolean     wide)
{
  g_autofree char *name = pal_ctl_text_sanitize (pal_rule_get_name (rule), wide ? 0 : NAME_MAX_WIDTH);
  g_autofree char *value = pal_ctl_text_sanitize (pal_rule_get_value (rule), wide ? 0 : VALUE_MAX_WIDTH);
  g_autofree char *parameter = pal_ctl_text_sanitize (pal_rule_get_parameter (rule),
                                                      wide ? 0 : PARAMETER_MAX_WIDTH);
  g_autofree char *indented = g_strdup_printf ("%*s%s", 2 * pal_rule_get_depth (rule), "", name);
  const char *cells[] = {
    on_mark (rule),
    indented,
    pal_property_to_string (pal_rule_get_property (rule)),
    pal_relation_to_string (pal_rule_get_relation (rule)),
    value,
    pal_action_to_string (pal_rule_get_action (rule)),
    parameter,
  };

  pal_ctl_table_add_row (table, cells);
}

static void
add_rule_rows (PalCtlTable *table,
               GListModel  *rules,
               gboolean     wide)
{
  guint n = g_list_model_get_n_items (rules);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (rules, i);

      add_rule_row (table, rule, wide);
      add_rule_rows (table, pal_rule_get_children (rule), wide);
    }
}

static void
print_outline (PalDocument *document,
               gboolean     wide)
{
  g_autoptr(PalCtlTable) table = pal_ctl_table_new (7);
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;
  guint n_rules = pal_document_count_rules (document);
  const char *header[] = {
    _("On"), _("Name"), _("Property"), _("Relation"), _("Value"), _("Action"), _("Parameter"),
  };

  if (n_rules > 0)
    {
      pal_ctl_table_add_row (table, header);
      add_rule_rows (table, pal_document_get_rules (document), wide);
      text = pal_ctl_table_to_string (table);
      g_print ("%s\n", text);
    }
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u rule", "%u rules", n_rules), n_rules);
  /* TRANSLATORS: "33 rules; default verdict: pass; master switch: off" */
  g_print (_("%s; default verdict: %s; master switch: %s\n"),
           count,
           pal_verdict_to_string (pal_document_get_default_verdict (document)),
           pal_document_get_enabled (document) ? _("on") : _("off"));
}

static int
run_print (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PalDocument) document = NULL;
  g_autofree char *template_id = NULL;
  gboolean wide = FALSE;
  const GOptionEntry entries[] = {
    { "template", 't', 0, G_OPTION_ARG_STRING, &template_id,
      N_("Print the shipped template ID instead of a file (see “palisadectl templates”)"), N_("ID") },
    { "wide", 'w', 0, G_OPTION_ARG_NONE, &wide,
      N_("Show long names, values and parameters in full"), NULL },
    { NULL }
  };

  context = pal_ctl_option_context_new (N_("FILE | --template ID"),
                                        N_("Prints a document's outline as a table: whether each rule is on\n"
                                           "(✓, or - when a parent is off), its name indented by its depth,\n"
                                           "its condition, action and parameter; then the number of rules,\n"
                                           "the default verdict and the master switch."),
                                        entries);
  if (!pal_ctl_parse_options (context, &argc, &argv))
    return PAL_CTL_EXIT_USAGE;
  if (template_id != NULL && argc > 1)
    return pal_ctl_usage_error (_("Give either a file or --template, not both"));
  if (template_id == NULL && argc != 2)
    return pal_ctl_usage_error (argc < 2 ? _("No document given") : _("Give one document only"));

  document = template_id != NULL ? load_template (template_id) : load_file (argv[1]);
  if (document == NULL)
    return PAL_CTL_EXIT_FAILURE;
  print_outline (document, wide);
  return PAL_CTL_EXIT_OK;
}

static int
run_templates (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PalCtlTable) table = pal_ctl_table_new (3);
  g_autofree char *text = NULL;
  gboolean ids_only = FALSE;
  const PalTemplate *templates;
  guint n_templates;
  const GOptionEntry entries[] = {
    { "ids", 0, 0, G_OPTION_ARG_NONE, &ids_only,
      N_("Print only the ids, one a line (for scripts)"), NULL },
    { NULL }
  };

  context = pal_ctl_option_context_new (NULL,
                                        N_("Lists the documents Palisade ships: the default document and the\n"
                                           "templates a new document can start from. Print one with\n"
                                           "“palisadectl print --template ID”."),
                                        entries);
  if (!pal_ctl_parse_options (context, &argc, &argv))
    return PAL_CTL_EXIT_USAGE;
  if (argc > 1)
    return pal_ctl_usage_error (_("Unexpected argument “%s”"), argv[1]);

  templates = pal_templates_get_all (&n_templates);
  for (guint i = 0; i < n_templates; i++)
    {
      const char *row[] = {
        templates[i].id,
        pal_template_get_title (&templates[i]),
        pal_template_get_description (&templates[i]),
      };
      if (ids_only)
        g_print ("%s\n", templates[i].id);
      else
        pal_ctl_table_add_row (table, row);
    }
  text = pal_ctl_table_to_string (table);
  g_print ("%s", text);
  return PAL_CTL_EXIT_OK;
}

const PalCtlVerb pal_ctl_document_verbs[] = {
  { "validate", N_("FILE…"), N_("Check documents and report every problem"), run_validate },
  { "print", N_("FILE | --template ID"), N_("Print a document's outline as a table"), run_print },
  { "templates", "", N_("List the shipped templates"), run_templates },
  { NULL, NULL, NULL, NULL },
};
