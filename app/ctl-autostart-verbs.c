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
#include "pal-fwdoc.h"
#include "pal-problem.h"

#define AUTOSTART_FILE_NAME APPLICATION_ID "-login.desktop"
#define ENTRY_GROUP         G_KEY_FILE_DESKTOP_GROUP
/* The document, as given, so --status needs no parsing of Exec. */
#define DOCUMENT_KEY        "X-Palisade-Document"

static char *
autostart_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", AUTOSTART_FILE_NAME, NULL);
}

/* Exec quoting of the Desktop Entry Specification: reserved characters
 * put the argument in double quotes, where ", `, $ and \ take a
 * backslash; % is doubled everywhere. GKeyFile adds the string escapes. */
static char *
quote_exec_argument (const char *argument)
{
  const char *reserved = " \t\"'\\><~|&;$*?#()`";
  GString *quoted = g_string_new (NULL);
  gboolean needs_quotes = strpbrk (argument, reserved) != NULL;

  if (needs_quotes)
    g_string_append_c (quoted, '"');
  for (const char *p = argument; *p != '\0'; p++)
    {
      if (needs_quotes && strchr ("\"`$\\", *p) != NULL)
        g_string_append_c (quoted, '\\');
      if (*p == '%')
        g_string_append_c (quoted, '%');
      g_string_append_c (quoted, *p);
    }
  if (needs_quotes)
    g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

/* A desktop file is UTF-8 text and Exec is one line: a path that is not,
 * or that holds a control character, cannot be written into it. */
static gboolean
path_fits_entry (const char *path)
{
  if (!g_utf8_validate (path, -1, NULL))
    return FALSE;
  for (const char *p = path; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

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

static GKeyFile *
entry_new (const char *document_path)
{
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autofree char *quoted = quote_exec_argument (document_path);
  g_autofree char *exec = g_strconcat ("palisade ", quoted, NULL);
  g_autofree char *basename = g_path_get_basename (document_path);
  /* TRANSLATORS: the name of the login item; %s is a document's file name */
  g_autofree char *name = g_strdup_printf (_("Palisade: %s"), basename);

  g_key_file_set_string (entry, ENTRY_GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE, G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string (entry, ENTRY_GROUP, G_KEY_FILE_DESKTOP_KEY_NAME, name);
  g_key_file_set_string (entry, ENTRY_GROUP, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         _("Opens a firewall document when you log in"));
  g_key_file_set_string (entry, ENTRY_GROUP, G_KEY_FILE_DESKTOP_KEY_ICON, APPLICATION_ID);
  /* Palisade uninstalled: the session skips the entry instead of failing. */
  g_key_file_set_string (entry, ENTRY_GROUP, G_KEY_FILE_DESKTOP_KEY_TRY_EXEC, "palisade");
  g_key_file_set_string (entry, ENTRY_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  g_key_file_set_boolean (entry, ENTRY_GROUP, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_boolean (entry, ENTRY_GROUP, "X-GNOME-Autostart-enabled", TRUE);
  g_key_file_set_string (entry, ENTRY_GROUP, DOCUMENT_KEY, document_path);
  return g_steal_pointer (&entry);
}

static gboolean
write_entry (GKeyFile  *entry,
             GError   **error)
{
  g_autofree char *path = autostart_path ();
  g_autofree char *directory = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  gsize length;

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create %s: %s"), directory, g_strerror (saved_errno));
      return FALSE;
    }
  data = g_key_file_to_data (entry, &length, NULL);
  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

static int
autostart_on (const char *file_name)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (file_name);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GKeyFile) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *safe_path = NULL;

  if (path == NULL || !path_fits_entry (path))
    {
      g_autofree char *safe_name = pal_ctl_text_sanitize (file_name, 0);
      pal_ctl_error (_("%s: only a local file whose name is UTF-8 text without control characters can be "
                       "opened at login"), safe_name);
      return PAL_CTL_EXIT_FAILURE;
    }
  document = load_document (file, file_name);
  if (document == NULL)
    return PAL_CTL_EXIT_FAILURE;

  entry = entry_new (path);
  if (!write_entry (entry, &error))
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
  g_autofree char *path = autostart_path ();

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;
      pal_ctl_error (_("Cannot remove %s: %s"), path, g_strerror (saved_errno));
      return PAL_CTL_EXIT_FAILURE;
    }
  g_print (_("Palisade opens no document at login.\n"));
  return PAL_CTL_EXIT_OK;
}

/* The session skips an entry that is Hidden or switched off in GNOME's
 * startup applications; say so rather than report it as on. */
static gboolean
entry_is_enabled (GKeyFile *entry)
{
  if (g_key_file_get_boolean (entry, ENTRY_GROUP, G_KEY_FILE_DESKTOP_KEY_HIDDEN, NULL))
    return FALSE;
  if (g_key_file_has_key (entry, ENTRY_GROUP, "X-GNOME-Autostart-enabled", NULL)
      && !g_key_file_get_boolean (entry, ENTRY_GROUP, "X-GNOME-Autostart-enabled", NULL))
    return FALSE;
  return TRUE;
}

static int
autostart_status (void)
{
  g_autofree char *path = autostart_path ();
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *document_path = NULL;
  g_autofree char *safe_path = NULL;

  if (!g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          pal_ctl_error ("%s: %s", path, error->message);
          return PAL_CTL_EXIT_FAILURE;
        }
      g_print (_("Palisade opens no document at login.\n"));
      return PAL_CTL_EXIT_OK;
    }
  document_path = g_key_file_get_string (entry, ENTRY_GROUP, DOCUMENT_KEY, NULL);
  if (document_path == NULL)
    {
      pal_ctl_error (_("%s was not written by palisadectl: it names no document"), path);
      return PAL_CTL_EXIT_FAILURE;
    }
  safe_path = pal_ctl_text_sanitize (document_path, 0);
  if (!entry_is_enabled (entry))
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
