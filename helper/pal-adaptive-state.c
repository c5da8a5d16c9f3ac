/* pal-adaptive-state.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>

#include "pal-adaptive-state.h"
#include "pal-problem.h"
#include "pal-validator.h"

#define GROUP_SETTINGS "settings"
#define GROUP_BANS "bans"
/* Far more than one machine's attackers; a longer file is not ours. */
#define MAX_OFFENDERS 1000000
/* Bans counted per address: doubling stops long before. */
#define MAX_BANS 1000

void
pal_adaptive_state_free (PalAdaptiveState *state)
{
  if (state == NULL)
    return;
  g_clear_pointer (&state->settings, pal_adaptive_settings_free);
  g_clear_pointer (&state->trusted, g_strfreev);
  g_clear_pointer (&state->bans, g_hash_table_unref);
  g_free (state);
}

static char *
state_path (const char *directory)
{
  return g_build_filename (directory, PAL_ADAPTIVE_STATE_FILE, NULL);
}

static void
write_settings (GKeyFile                  *file,
                const PalAdaptiveSettings *settings,
                const char * const        *trusted)
{
  const char *const none[] = { NULL };
  const char * const *services = settings->services != NULL ? (const char * const *) settings->services : none;

  trusted = trusted != NULL ? trusted : none;
  g_key_file_set_boolean (file, GROUP_SETTINGS, "enabled", settings->enabled);
  g_key_file_set_uint64 (file, GROUP_SETTINGS, "failures", settings->failures);
  g_key_file_set_uint64 (file, GROUP_SETTINGS, "window", settings->window);
  g_key_file_set_uint64 (file, GROUP_SETTINGS, "duration", settings->duration);
  g_key_file_set_uint64 (file, GROUP_SETTINGS, "max-duration", settings->max_duration);
  g_key_file_set_string_list (file, GROUP_SETTINGS, "services", services, g_strv_length ((char **) services));
  g_key_file_set_string_list (file, GROUP_SETTINGS, "trusted", trusted, g_strv_length ((char **) trusted));
}

gboolean
pal_adaptive_state_save (const char                *directory,
                         const PalAdaptiveSettings *settings,
                         const char * const        *trusted,
                         GHashTable                *bans,
                         GError                   **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  GHashTableIter iter;
  gpointer address, count;
  gsize length;

  g_return_val_if_fail (directory != NULL, FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  g_key_file_set_comment (file, NULL, NULL,
                          " palisade-helper: the adaptive firewall of the last applied document, "
                          "and how often each address was banned", NULL);
  write_settings (file, settings, trusted);
  if (bans != NULL)
    {
      g_hash_table_iter_init (&iter, bans);
      while (g_hash_table_iter_next (&iter, &address, &count))
        g_key_file_set_uint64 (file, GROUP_BANS, address, GPOINTER_TO_UINT (count));
    }
  if (g_mkdir_with_parents (directory, 0700) < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Making %s: %s", directory,
                   g_strerror (saved));
      return FALSE;
    }
  text = g_key_file_to_data (file, &length, NULL);
  path = state_path (directory);
  /* Atomic: a crash leaves the old file or the new one. */
  return g_file_set_contents_full (path, text, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* ------------------------------------------------------------ loading */

static gboolean
read_number (GKeyFile    *file,
             const char  *path,
             const char  *key,
             guint64     *number,
             GError     **error)
{
  g_autoptr(GError) local = NULL;

  *number = g_key_file_get_uint64 (file, GROUP_SETTINGS, key, &local);
  if (local == NULL)
    return TRUE;
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: [%s] %s: %s", path,
               GROUP_SETTINGS, key, local->message);
  return FALSE;
}

static PalAdaptiveSettings *
read_settings (GKeyFile    *file,
               const char  *path,
               GError     **error)
{
  g_autoptr(PalAdaptiveSettings) settings = pal_adaptive_settings_new ();
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  guint64 failures;

  settings->enabled = g_key_file_get_boolean (file, GROUP_SETTINGS, "enabled", &local);
  if (local != NULL)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: [%s] enabled: %s", path,
                   GROUP_SETTINGS, local->message);
      return NULL;
    }
  if (!read_number (file, path, "failures", &failures, error)
      || !read_number (file, path, "window", &settings->window, error)
      || !read_number (file, path, "duration", &settings->duration, error)
      || !read_number (file, path, "max-duration", &settings->max_duration, error))
    return NULL;
  settings->failures = (guint) MIN (failures, G_MAXUINT);
  g_strfreev (settings->services);
  settings->services = g_key_file_get_string_list (file, GROUP_SETTINGS, "services", NULL, NULL);
  if (settings->services == NULL)
    settings->services = g_new0 (char *, 1);
  /* The same checks as a document's: the file is input like any other. */
  problems = pal_validate_adaptive (settings);
  if (problems->len > 0)
    {
      const PalProblem *problem = g_ptr_array_index (problems, 0);

      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: %s: %s", path, problem->path,
                   problem->message);
      return NULL;
    }
  return g_steal_pointer (&settings);
}

static GStrv
read_trusted (GKeyFile    *file,
              const char  *path,
              GError     **error)
{
  g_auto(GStrv) trusted = g_key_file_get_string_list (file, GROUP_SETTINGS, "trusted", NULL, NULL);
  g_autoptr(GPtrArray) problems = NULL;

  if (trusted == NULL)
    trusted = g_new0 (char *, 1);
  problems = pal_validate_trusted ((const char * const *) trusted);
  if (problems->len > 0)
    {
      const PalProblem *problem = g_ptr_array_index (problems, 0);

      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: %s: %s", path, problem->path,
                   problem->message);
      return NULL;
    }
  return g_steal_pointer (&trusted);
}

static GHashTable *
read_bans (GKeyFile    *file,
           const char  *path,
           GError     **error)
{
  g_autoptr(GHashTable) bans = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gsize n = 0;
  g_auto(GStrv) keys = g_key_file_get_keys (file, GROUP_BANS, &n, NULL);

  if (n > MAX_OFFENDERS)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: [%s] has %" G_GSIZE_FORMAT
                   " addresses, more than %d", path, GROUP_BANS, n, MAX_OFFENDERS);
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (keys[i]);
      g_autoptr(GError) local = NULL;
      guint64 count = g_key_file_get_uint64 (file, GROUP_BANS, keys[i], &local);

      if (inet == NULL || local != NULL || count < 1 || count > MAX_BANS)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "%s: [%s] %s: not an address banned 1 to %d times", path, GROUP_BANS, keys[i], MAX_BANS);
          return NULL;
        }
      /* Canonical text, as the adaptive firewall keys its offenders. */
      g_hash_table_insert (bans, g_inet_address_to_string (inet), GUINT_TO_POINTER ((guint) count));
    }
  return g_steal_pointer (&bans);
}

PalAdaptiveState *
pal_adaptive_state_load (const char  *directory,
                         GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(PalAdaptiveState) state = g_new0 (PalAdaptiveState, 1);
  g_autofree char *path = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (directory != NULL, NULL);

  path = state_path (directory);
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      g_set_error (error, local->domain, local->code, "%s: %s", path, local->message);
      return NULL;
    }
  state->settings = read_settings (file, path, error);
  if (state->settings == NULL)
    return NULL;
  state->trusted = read_trusted (file, path, error);
  if (state->trusted == NULL)
    return NULL;
  state->bans = read_bans (file, path, error);
  if (state->bans == NULL)
    return NULL;
  return g_steal_pointer (&state);
}
