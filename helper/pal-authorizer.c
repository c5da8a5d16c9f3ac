/* pal-authorizer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <unistd.h>

#include <polkit/polkit.h>

#include "pal-authorizer.h"
#include "pal-helper-error.h"

#define PROPERTIES_INTERFACE "org.freedesktop.DBus.Properties"

typedef struct
{
  const char *interface_name;
  const char *method_name;
  const char *action_id;
  const char *purpose;      /* completes "Not authorized to …" */
} AllowedCall;

/* Every call the helper answers. Whole names are compared, never prefixes.
 * Properties.Set is not here: every property is read-only. */
static const AllowedCall allowed_calls[] = {
  { "io.github.palisade.Firewall1", "Apply", PAL_ACTION_ID_APPLY, "change the firewall" },
  { "io.github.palisade.Firewall1", "SetEnabled", PAL_ACTION_ID_APPLY, "switch the firewall on or off" },
  { "io.github.palisade.Firewall1", "Confirm", PAL_ACTION_ID_APPLY, "keep a change of the firewall" },
  { "io.github.palisade.Firewall1", "RollBack", PAL_ACTION_ID_APPLY, "undo a change of the firewall" },
  { "io.github.palisade.Firewall1", "SetBootDocument", PAL_ACTION_ID_BOOT, "change the boot firewall" },
  { "io.github.palisade.Firewall1", "GetActive", PAL_ACTION_ID_MONITOR, "read the active firewall rules" },
  { "io.github.palisade.Firewall1", "GetCounters", PAL_ACTION_ID_MONITOR, "read the firewall's counters" },
  { "io.github.palisade.Firewall1", "GetCounterValues", PAL_ACTION_ID_MONITOR, "read the firewall's counters" },
  { "io.github.palisade.Firewall1", "GetOtherTables", PAL_ACTION_ID_MONITOR, "read the other firewall tables" },
  { "io.github.palisade.Firewall1", "GetInterfaces", PAL_ACTION_ID_MONITOR, "list the network interfaces" },
  { "io.github.palisade.Firewall1", "GetLog", PAL_ACTION_ID_MONITOR, "read the firewall's log" },
  { "io.github.palisade.Firewall1", "WatchLog", PAL_ACTION_ID_MONITOR, "read the firewall's log" },
  { "io.github.palisade.Firewall1", "UnwatchLog", PAL_ACTION_ID_MONITOR, "read the firewall's log" },
  { "io.github.palisade.Firewall1", "ListTriggered", PAL_ACTION_ID_MONITOR, "list the banned addresses" },
  { "io.github.palisade.Firewall1", "ListTriggeredValues", PAL_ACTION_ID_MONITOR, "list the banned addresses" },
  { "io.github.palisade.Firewall1", "ListTrusted", PAL_ACTION_ID_MONITOR, "list the trusted addresses" },
  { "io.github.palisade.Firewall1", "Export", PAL_ACTION_ID_MONITOR, "list the banned and trusted addresses" },
  { "io.github.palisade.Firewall1", "AddTriggered", PAL_ACTION_ID_TRIGGERED, "ban addresses" },
  { "io.github.palisade.Firewall1", "RemoveTriggered", PAL_ACTION_ID_TRIGGERED, "unban addresses" },
  { "io.github.palisade.Firewall1", "FlushTriggered", PAL_ACTION_ID_TRIGGERED, "unban every address" },
  { "io.github.palisade.Firewall1", "SetTriggerDuration", PAL_ACTION_ID_TRIGGERED, "change how long bans last" },
  { "io.github.palisade.Firewall1", "AddTrusted", PAL_ACTION_ID_TRIGGERED, "change the trusted addresses" },
  { "io.github.palisade.Firewall1", "RemoveTrusted", PAL_ACTION_ID_TRIGGERED, "change the trusted addresses" },
  { "io.github.palisade.Firewall1", "Import", PAL_ACTION_ID_TRIGGERED, "import banned and trusted addresses" },
  { PROPERTIES_INTERFACE, "Get", PAL_ACTION_ID_MONITOR, "read the firewall's state" },
  { PROPERTIES_INTERFACE, "GetAll", PAL_ACTION_ID_MONITOR, "read the firewall's state" },
};

struct _PalAuthorizer
{
  GObject            parent_instance;

  PalAuthorizerMode  mode;
  PolkitAuthority   *authority;   /* PAL_AUTHORIZER_POLKIT only */
};

G_DEFINE_FINAL_TYPE (PalAuthorizer, pal_authorizer, G_TYPE_OBJECT)

static void
pal_authorizer_finalize (GObject *object)
{
  PalAuthorizer *self = PAL_AUTHORIZER (object);

  g_clear_object (&self->authority);

  G_OBJECT_CLASS (pal_authorizer_parent_class)->finalize (object);
}

static void
pal_authorizer_class_init (PalAuthorizerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pal_authorizer_finalize;
}

static void
pal_authorizer_init (PalAuthorizer *self)
{
}

PalAuthorizer *
pal_authorizer_new (PalAuthorizerMode   mode,
                    GError            **error)
{
  g_autoptr(PalAuthorizer) self = g_object_new (PAL_TYPE_AUTHORIZER, NULL);

  self->mode = mode;
  if (mode == PAL_AUTHORIZER_POLKIT)
    {
      self->authority = polkit_authority_get_sync (NULL, error);
      if (self->authority == NULL)
        return NULL;
    }
  return g_steal_pointer (&self);
}

PalAuthorizerMode
pal_authorizer_get_mode (PalAuthorizer *self)
{
  g_return_val_if_fail (PAL_IS_AUTHORIZER (self), PAL_AUTHORIZER_POLKIT);
  return self->mode;
}

static const AllowedCall *
lookup_call (const char *interface_name,
             const char *method_name)
{
  if (interface_name == NULL || method_name == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (allowed_calls); i++)
    if (g_str_equal (allowed_calls[i].interface_name, interface_name) &&
        g_str_equal (allowed_calls[i].method_name, method_name))
      return &allowed_calls[i];
  return NULL;
}

const char *
pal_authorizer_lookup_action (const char *interface_name,
                              const char *method_name)
{
  const AllowedCall *call = lookup_call (interface_name, method_name);

  return call != NULL ? call->action_id : NULL;
}

static gboolean
deny (const AllowedCall  *call,
      const char         *reason,
      GError            **error)
{
  g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_ACCESS_DENIED,
               "Not authorized to %s: %s", call->purpose, reason);
  return FALSE;
}

/* A password prompt only when the caller said it can wait for one. */
static PolkitCheckAuthorizationFlags
interaction_flags (GDBusMethodInvocation *invocation)
{
  GDBusMessage *message = g_dbus_method_invocation_get_message (invocation);

  if (g_dbus_message_get_flags (message) & G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION)
    return POLKIT_CHECK_AUTHORIZATION_FLAGS_ALLOW_USER_INTERACTION;
  return POLKIT_CHECK_AUTHORIZATION_FLAGS_NONE;
}

static gboolean
check_polkit (PalAuthorizer          *self,
              const AllowedCall      *call,
              GDBusMethodInvocation  *invocation,
              const char             *sender,
              GError                **error)
{
  g_autoptr(PolkitSubject) subject = polkit_system_bus_name_new (sender);
  g_autoptr(PolkitAuthorizationResult) result = NULL;
  g_autoptr(GError) local_error = NULL;

  result = polkit_authority_check_authorization_sync (self->authority, subject, call->action_id,
                                                      NULL, interaction_flags (invocation),
                                                      NULL, &local_error);
  if (result == NULL)
    {
      g_warning ("Could not ask polkit about %s for %s: %s",
                 call->action_id, sender, local_error->message);
      return deny (call, "the authorization could not be checked", error);
    }
  if (polkit_authorization_result_get_is_authorized (result))
    return TRUE;
  if (polkit_authorization_result_get_is_challenge (result))
    return deny (call, "authentication is required", error);
  return deny (call, "not allowed by the system's policy", error);
}

/* The uid comes from the bus daemon, which took it from the socket. */
static gboolean
check_same_user (const AllowedCall      *call,
                 GDBusMethodInvocation  *invocation,
                 const char             *sender,
                 GError                **error)
{
  GDBusConnection *connection = g_dbus_method_invocation_get_connection (invocation);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  guint32 uid;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixUser",
                                       g_variant_new ("(s)", sender), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &local_error);
  if (reply == NULL)
    {
      g_warning ("Could not ask the bus who %s is: %s", sender, local_error->message);
      return deny (call, "the caller's user could not be found", error);
    }
  g_variant_get (reply, "(u)", &uid);
  if (uid != getuid ())
    return deny (call, "only the user who started the helper may call it", error);
  return TRUE;
}

gboolean
pal_authorizer_check (PalAuthorizer          *self,
                      GDBusMethodInvocation  *invocation,
                      GError                **error)
{
  const char *interface_name = g_dbus_method_invocation_get_interface_name (invocation);
  const char *method_name = g_dbus_method_invocation_get_method_name (invocation);
  const char *sender = g_dbus_method_invocation_get_sender (invocation);
  const AllowedCall *call;
  gboolean allowed;

  g_return_val_if_fail (PAL_IS_AUTHORIZER (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_METHOD_INVOCATION (invocation), FALSE);

  call = lookup_call (interface_name, method_name);
  if (call == NULL)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_ACCESS_DENIED,
                   "Not authorized: %s.%s is not a call palisade-helper allows",
                   interface_name, method_name);
      return FALSE;
    }
  /* Without a bus in between there is nobody to vouch for the caller. */
  if (sender == NULL)
    return deny (call, "the caller is not on a message bus", error);

  if (self->mode == PAL_AUTHORIZER_POLKIT)
    allowed = check_polkit (self, call, invocation, sender, error);
  else
    allowed = check_same_user (call, invocation, sender, error);

  g_debug ("%s %s.%s (%s): %s", sender, interface_name, method_name, call->action_id,
           allowed ? "allowed" : "denied");
  return allowed;
}
