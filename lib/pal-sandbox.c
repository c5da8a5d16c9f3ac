/* pal-sandbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-sandbox.h"

char *
pal_sandbox_get_directory (void)
{
  return g_build_filename (g_get_user_runtime_dir (), "palisade-sandbox", NULL);
}

char *
pal_sandbox_get_address_file (void)
{
  g_autofree char *directory = pal_sandbox_get_directory ();

  return g_build_filename (directory, "bus", NULL);
}

char *
pal_sandbox_read_address (GError **error)
{
  g_autofree char *path = pal_sandbox_get_address_file ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     "No sandbox is running (%s does not exist); start one with "
                     "“palisade-helper --sandbox”", path);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "Cannot read the sandbox's bus address: %s", local_error->message);
      return NULL;
    }
  g_strstrip (contents);
  if (!g_dbus_is_address (contents))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s does not hold a D-Bus address", path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

GDBusConnection *
pal_sandbox_connect (GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *address = pal_sandbox_read_address (error);

  if (address == NULL)
    return NULL;
  return g_dbus_connection_new_for_address_sync (address,
                                                 G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                 G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                 NULL, cancellable, error);
}
