/* ctl-target.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ctl-common.h"
#include "ctl-target.h"
#include "pal-helper-error.h"
#include "pal-sandbox.h"

void
pal_ctl_target_clear (PalCtlTarget *target)
{
  g_clear_pointer (&target->bus_address, g_free);
}

void
pal_ctl_target_print_error (GError *error)
{
  g_auto(GStrv) lines = NULL;

  g_dbus_error_strip_remote_error (error);
  /* Import errors come one line per bad line: keep them apart. */
  lines = g_strsplit (error->message, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *safe = pal_ctl_text_sanitize (lines[i], 0);

      if (i == 0)
        pal_ctl_error ("%s", safe);
      else
        g_printerr ("  %s\n", safe);
    }
  if (g_error_matches (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_ACCESS_DENIED))
    g_printerr (_("polkit decides who may use the firewall; outside a desktop session an "
                  "authentication agent (pkttyagent) must run to ask for a password.\n"));
}

static GDBusConnection *
connect_bus (PalCtlTarget  *target,
             GError       **error)
{
  if (target->sandbox && target->bus_address != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Give either --sandbox or --bus-address, not both"));
      return NULL;
    }
  if (target->sandbox)
    return pal_sandbox_connect (NULL, error);
  if (target->bus_address != NULL)
    return g_dbus_connection_new_for_address_sync (target->bus_address,
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, error);
  return g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, error);
}

PalDBusFirewall1 *
pal_ctl_target_connect (PalCtlTarget *target,
                        gboolean      with_signals)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  PalDBusFirewall1 *proxy = NULL;
  GDBusProxyFlags flags = G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES;

  /* So helper errors come back in PAL_HELPER_ERROR with their codes. */
  pal_helper_error_quark ();

  if (!with_signals)
    flags |= G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS;
  connection = connect_bus (target, &error);
  if (connection != NULL)
    proxy = pal_dbus_firewall1_proxy_new_sync (connection, flags, PAL_BUS_NAME, PAL_OBJECT_PATH,
                                               NULL, &error);
  if (proxy == NULL)
    pal_ctl_target_print_error (error);
  return proxy;
}
