/* palisadectl.c — the command line: finds the verb and hands it the rest.
 *
 * The verbs live in tables (ctl-verb.h); this file only dispatches, and
 * answers --help, --version and "help VERB".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ctl-common.h"
#include "ctl-verb.h"

static const PalCtlVerb * const verb_tables[] = {
  pal_ctl_document_verbs,
  pal_ctl_firewall_verbs,
  pal_ctl_autostart_verbs,
  pal_ctl_triggered_verbs,
  pal_ctl_boot_verbs,
  pal_ctl_net_verbs,
};

static const PalCtlVerb *
find_verb (const char *name)
{
  for (guint t = 0; t < G_N_ELEMENTS (verb_tables); t++)
    for (const PalCtlVerb *verb = verb_tables[t]; verb->name != NULL; verb++)
      if (g_str_equal (verb->name, name))
        return verb;
  return NULL;
}

static char *
usage_text (void)
{
  g_autoptr(PalCtlTable) verbs = pal_ctl_table_new (2);
  g_autoptr(PalCtlTable) options = pal_ctl_table_new (2);
  g_autofree char *verbs_text = NULL;
  g_autofree char *options_text = NULL;
  const char *help_row[] = { "  -h, --help", _("Show this help") };
  const char *version_row[] = { "  --version", _("Show the version") };

  for (guint t = 0; t < G_N_ELEMENTS (verb_tables); t++)
    for (const PalCtlVerb *verb = verb_tables[t]; verb->name != NULL; verb++)
      {
        g_autofree char *call = g_strdup_printf ("  %s %s", verb->name,
                                                 verb->parameters[0] != '\0' ? _(verb->parameters) : "");
        const char *row[] = { g_strchomp (call), _(verb->summary) };
        pal_ctl_table_add_row (verbs, row);
      }
  pal_ctl_table_add_row (options, help_row);
  pal_ctl_table_add_row (options, version_row);
  verbs_text = pal_ctl_table_to_string (verbs);
  options_text = pal_ctl_table_to_string (options);

  return g_strdup_printf ("%s\n  palisadectl %s\n\n%s\n\n%s\n%s\n%s\n%s\n%s\n",
                          _("Usage:"), _("VERB [OPTION…] [ARGUMENT…]"),
                          _("Check, print and apply Palisade firewall documents (.fwdoc)."),
                          _("Verbs:"), verbs_text,
                          _("Options:"), options_text,
                          _("“palisadectl help VERB” or “palisadectl VERB --help” explains a verb."));
}

/* "palisadectl VERB" names the verb in its messages and in its --help. */
static int
run_verb (const PalCtlVerb  *verb,
          int                argc,
          char             **argv)
{
  g_autofree char *prgname = g_strdup_printf ("palisadectl %s", verb->name);

  g_set_prgname (prgname);
  return verb->run (argc, argv);
}

static int
run_help (int    argc,
          char **argv)
{
  const PalCtlVerb *verb;
  char *help_argv[] = { NULL, (char *) "--help", NULL };

  if (argc < 3)
    {
      g_autofree char *text = usage_text ();
      g_print ("%s", text);
      return PAL_CTL_EXIT_OK;
    }
  verb = find_verb (argv[2]);
  if (verb == NULL || argc > 3)
    {
      g_set_prgname ("palisadectl help");
      if (argc > 3)
        return pal_ctl_usage_error (_("Give one verb only"));
      return pal_ctl_usage_error (_("Unknown verb “%s”"), argv[2]);
    }
  help_argv[0] = argv[2];
  return run_verb (verb, 2, help_argv);
}

/* "palisadectl --sandbox status" reads naturally, but options belong to the
 * verb that parses them: move the connection options given before the verb
 * to after it. Returns a new argv (the strings are borrowed). */
static char **
move_connection_options (int    *argc,
                         char  **argv)
{
  g_autoptr(GPtrArray) leading = g_ptr_array_new ();
  GPtrArray *moved = g_ptr_array_new ();
  int i = 1;

  g_ptr_array_add (moved, argv[0]);
  while (i < *argc)
    {
      if (g_str_equal (argv[i], "--sandbox") || g_str_has_prefix (argv[i], "--bus-address="))
        g_ptr_array_add (leading, argv[i++]);
      else if (g_str_equal (argv[i], "--bus-address") && i + 1 < *argc)
        {
          g_ptr_array_add (leading, argv[i++]);
          g_ptr_array_add (leading, argv[i++]);
        }
      else
        break;
    }
  if (i < *argc)
    g_ptr_array_add (moved, argv[i++]);   /* the verb */
  g_ptr_array_extend (moved, leading, NULL, NULL);
  while (i < *argc)
    g_ptr_array_add (moved, argv[i++]);

  *argc = moved->len;
  g_ptr_array_add (moved, NULL);
  return (char **) g_ptr_array_free (moved, FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char **moved_argv = NULL;   /* the array only: the strings are argv's */
  const PalCtlVerb *verb;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  argv = moved_argv = move_connection_options (&argc, argv);
  if (argc < 2)
    {
      g_set_prgname ("palisadectl");
      return pal_ctl_usage_error (_("No verb given"));
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    return run_help (argc, argv);
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("palisadectl %s\n", PACKAGE_VERSION);
      return PAL_CTL_EXIT_OK;
    }

  verb = find_verb (argv[1]);
  if (verb == NULL)
    {
      g_set_prgname ("palisadectl");
      if (argv[1][0] == '-')
        return pal_ctl_usage_error (_("Unknown option “%s”"), argv[1]);
      return pal_ctl_usage_error (_("Unknown verb “%s”"), argv[1]);
    }
  return run_verb (verb, argc - 1, argv + 1);
}
