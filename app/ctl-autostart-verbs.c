/* ctl-autostart-verbs.c — palisadectl autostart: open a document at login.
 *
 * "Apply at login" is an XDG autostart entry (the original's login items):
 * $XDG_CONFIG_HOME/autostart/io.github.palisade.Palisade-login.desktop runs
 * "palisade /abs/path/FILE" when the session starts. The window opens the
 * document, and the document-window rules decide whether it is applied (a
 * document saved On is). Only one document is opened at login: a second
 * "autostart FILE" replaces the first.
 *
 * The entry works without the helper and without privileges: it is the
 * user's own session that opens the document.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ctl-common.h"
#include "ctl-verb.h"
#include "pal-autostart.h"
#include "pal-fwdoc.h"
#include "pal-problem.h"

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

/* A login item that cannot open its document would only show an error at
 * every login: check it now, while the user can still fix it. */
static PalDocument *
load_document (GFile      *file,
               const char *file_name)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  PalDocument *document = pal_fwdoc_load_file (file, NULL, &problems, &error);
  g_autofree char *safe_name = NULL;

  if (document != NULL)
    return document;
  safe_name = pal_ctl_text_sanitize (file_name, 0);
  if (problems != NULL && problems->len > 0)
    print_problems (safe_name, problems);
  else if (error != NULL)
    {
      g_autofree char *safe_message = pal_ctl_text_sanitize (error->message, 0);
      g_printerr ("%s: %s\n", safe_name, safe_message);
    }
  return NULL;
}

static int
autostart_on (const char *file_name)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (file_name);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *safe_path = NULL;

  if (path == NULL || !pal_autostart_path_fits (path))
    {
      g_autofree char *safe_name = pal_ctl_text_sanitize (file_name, 0);
      pal_ctl_error (_("%s: only a local file whose name is UTF-8 text without control characters can be "
                       "opened at login"), safe_name);
      return PAL_CTL_EXIT_FAILURE;
    }
  document = load_document (file, file_name);
  if (document == NULL)
    return PAL_CTL_EXIT_FAILURE;

  if (!pal_autostart_enable (path, &error))
    {
      pal_ctl_error ("%s", error->message);
      return PAL_CTL_EXIT_FAILURE;
    }
  safe_path = pal_ctl_text_sanitize (path, 0);
  g_print (_("At login, Palisade opens %s.\n"), safe_path);
  if (!pal_document_get_enabled (document))
    g_print (_("Its master switch is saved off, so opening it does not change the firewall.\n"));
  return PAL_CTL_EXIT_OK;
}

static int
autostart_off (void)
{
  g_autoptr(GError) error = NULL;

  if (!pal_autostart_disable (&error))
    {
      pal_ctl_error ("%s", error->message);
      return PAL_CTL_EXIT_FAILURE;
    }
  g_print (_("Palisade opens no document at login.\n"));
  return PAL_CTL_EXIT_OK;
}

static int
autostart_status (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *document_path = NULL;
  g_autofree char *safe_path = NULL;
  gboolean enabled = TRUE;

  document_path = pal_autostart_get_document (&enabled, &error);
  if (error != NULL)
    {
      pal_ctl_error ("%s", error->message);
      return PAL_CTL_EXIT_FAILURE;
    }
  if (document_path == NULL)
    {
      g_print (_("Palisade opens no document at login.\n"));
      return PAL_CTL_EXIT_OK;
    }
  safe_path = pal_ctl_text_sanitize (document_path, 0);
  if (!enabled)
    g_print (_("Palisade would open %s at login, but the entry is switched off in the "
               "session's startup applications.\n"), safe_path);
  else
    g_print (_("At login, Palisade opens %s.\n"), safe_path);
  if (!g_file_test (document_path, G_FILE_TEST_EXISTS))
    g_print (_("That document no longer exists.\n"));
  return PAL_CTL_EXIT_OK;
}

static int
run_autostart (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  gboolean off = FALSE;
  gboolean status = FALSE;
  const GOptionEntry entries[] = {
    { "off", 0, 0, G_OPTION_ARG_NONE, &off,
      N_("Open no document at login any more"), NULL },
    { "status", 0, 0, G_OPTION_ARG_NONE, &status,
      N_("Show which document opens at login"), NULL },
    { NULL }
  };

  context = pal_ctl_option_context_new (N_("FILE | --off | --status"),
                                        N_("Opens the document in Palisade each time you log in, with an entry\n"
                                           "in ~/.config/autostart. A document saved with its master switch on\n"
                                           "is applied when it opens. One document at a time: a new one replaces\n"
                                           "the previous one. The document is checked first, and must stay where\n"
                                           "it is."),
                                        entries);
  if (!pal_ctl_parse_options (context, &argc, &argv))
    return PAL_CTL_EXIT_USAGE;
  if (off && status)
    return pal_ctl_usage_error (_("Give either --off or --status, not both"));
  if ((off || status) && argc > 1)
    return pal_ctl_usage_error (_("Give either a file or --off or --status"));
  if (off)
    return autostart_off ();
  if (status)
    return autostart_status ();
  if (argc != 2)
    return pal_ctl_usage_error (argc < 2 ? _("No document given") : _("Give one document only"));
  return autostart_on (argv[1]);
}

const PalCtlVerb pal_ctl_autostart_verbs[] = {
  { "autostart", N_("FILE | --off | --status"), N_("Open a document at each login"), run_autostart },
  { NULL, NULL, NULL, NULL },
};
