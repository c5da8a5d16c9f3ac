/* pal-autostart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pal-autostart.h"

#define AUTOSTART_FILE_NAME APPLICATION_ID "-login.desktop"
#define ENTRY_GROUP         G_KEY_FILE_DESKTOP_GROUP
/* The document, as given, so the status needs no parsing of Exec. */
#define DOCUMENT_KEY        "X-Palisade-Document"

char *
pal_autostart_get_path (void)
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
gboolean
pal_autostart_path_fits (const char *path)
{
  if (!g_utf8_validate (path, -1, NULL))
    return FALSE;
  for (const char *p = path; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
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
  g_autofree char *path = pal_autostart_get_path ();
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

gboolean
pal_autostart_enable (const char  *document_path,
                      GError     **error)
{
  g_autoptr(GKeyFile) entry = NULL;

  g_return_val_if_fail (document_path != NULL && g_path_is_absolute (document_path), FALSE);

  if (!pal_autostart_path_fits (document_path))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("Only a local file whose name is UTF-8 text without control characters can be "
                     "opened at login"));
      return FALSE;
    }
  entry = entry_new (document_path);
  return write_entry (entry, error);
}

gboolean
pal_autostart_disable (GError **error)
{
  g_autofree char *path = pal_autostart_get_path ();

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot remove %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

char *
pal_autostart_get_document (gboolean  *enabled,
                            GError   **error)
{
  g_autofree char *path = pal_autostart_get_path ();
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  char *document_path;

  if (!g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, local_error->domain, local_error->code, "%s: %s", path, local_error->message);
      return NULL;
    }
  document_path = g_key_file_get_string (entry, ENTRY_GROUP, DOCUMENT_KEY, NULL);
  if (document_path == NULL)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                   _("%s was not written by palisadectl: it names no document"), path);
      return NULL;
    }
  if (enabled != NULL)
    *enabled = entry_is_enabled (entry);
  return document_path;
}
