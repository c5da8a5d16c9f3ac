/* pal-apply-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>

#include "pal-apply-settings.h"

#define GROUP "apply"

static char *
settings_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "palisade", "settings.ini", NULL);
}

/* The key file, empty when there is none or it cannot be read. */
static GKeyFile *
load (void)
{
  g_autofree char *path = settings_path ();
  GKeyFile *file = g_key_file_new ();

  g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  return file;
}

gboolean
pal_apply_settings_is_remote (void)
{
  const char *connection = g_getenv ("SSH_CONNECTION");
  const char *client = g_getenv ("SSH_CLIENT");

  return (connection != NULL && *connection != '\0') || (client != NULL && *client != '\0');
}

gboolean
pal_apply_settings_get_confirm (void)
{
  g_autoptr(GKeyFile) file = load ();
  g_autoptr(GError) error = NULL;
  gboolean confirm = g_key_file_get_boolean (file, GROUP, "confirm", &error);

  return error != NULL ? TRUE : confirm;
}

gboolean
pal_apply_settings_set_confirm (gboolean   confirm,
                                GError   **error)
{
  g_autoptr(GKeyFile) file = load ();
  g_autofree char *path = settings_path ();
  g_autofree char *directory = g_path_get_dirname (path);

  g_key_file_set_boolean (file, GROUP, "confirm", confirm);
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "Could not make %s: %s", directory, g_strerror (errno));
      return FALSE;
    }
  return g_key_file_save_to_file (file, path, error);
}

guint
pal_apply_settings_get_confirm_seconds (void)
{
  g_autoptr(GKeyFile) file = load ();
  g_autoptr(GError) error = NULL;
  gint seconds;

  if (!pal_apply_settings_is_remote () && !pal_apply_settings_get_confirm ())
    return 0;
  seconds = g_key_file_get_integer (file, GROUP, "confirm-seconds", &error);
  if (error != NULL)
    return PAL_APPLY_CONFIRM_DEFAULT_SECONDS;
  return (guint) CLAMP (seconds, 5, 600);
}
