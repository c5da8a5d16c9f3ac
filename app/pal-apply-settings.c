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

/* Sets one key with set and saves the file. */
static gboolean
save_key (void      (*set) (GKeyFile *file, gint value),
          gint        value,
          GError    **error)
{
  g_autoptr(GKeyFile) file = load ();
  g_autofree char *path = settings_path ();
  g_autofree char *directory = g_path_get_dirname (path);

  set (file, value);
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Could not make %s: %s", directory, g_strerror (saved));
      return FALSE;
    }
  return g_key_file_save_to_file (file, path, error);
}

static void
set_confirm (GKeyFile *file,
             gint      value)
{
  g_key_file_set_boolean (file, GROUP, "confirm", value != 0);
}

static void
set_seconds (GKeyFile *file,
             gint      value)
{
  g_key_file_set_integer (file, GROUP, "confirm-seconds", value);
}

gboolean
pal_apply_settings_set_confirm (gboolean   confirm,
                                GError   **error)
{
  return save_key (set_confirm, confirm, error);
}

guint
pal_apply_settings_get_countdown (void)
{
  g_autoptr(GKeyFile) file = load ();
  g_autoptr(GError) error = NULL;
  gint seconds = g_key_file_get_integer (file, GROUP, "confirm-seconds", &error);

  if (error != NULL)
    return PAL_APPLY_CONFIRM_DEFAULT_SECONDS;
  return (guint) CLAMP (seconds, PAL_APPLY_CONFIRM_MIN_SECONDS, PAL_APPLY_CONFIRM_MAX_SECONDS);
}

gboolean
pal_apply_settings_set_countdown (guint     seconds,
                                  GError  **error)
{
  seconds = CLAMP (seconds, PAL_APPLY_CONFIRM_MIN_SECONDS, PAL_APPLY_CONFIRM_MAX_SECONDS);
  return save_key (set_seconds, (gint) seconds, error);
}

guint
pal_apply_settings_get_confirm_seconds (void)
{
  if (!pal_apply_settings_is_remote () && !pal_apply_settings_get_confirm ())
    return 0;
  return pal_apply_settings_get_countdown ();
}
