/* pal-authorizer.h — who may call what on palisade-helper.
 *
 * One object decides for every incoming call. Each call the helper answers
 * is listed with the polkit action it needs; a call that is not listed is
 * denied, so a method added to the interface stays closed until someone
 * decides its action here. The caller is identified by the bus (its unique
 * name, which polkitd resolves to a process and a session), never by
 * anything in the call's arguments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PAL_ACTION_ID_MONITOR "io.github.palisade.monitor"
#define PAL_ACTION_ID_APPLY   "io.github.palisade.apply"
#define PAL_ACTION_ID_BOOT    "io.github.palisade.boot"
#define PAL_ACTION_ID_TRIGGERED "io.github.palisade.triggered"

typedef enum
{
  /* polkitd on the system bus decides. The helper's own bus must be the one
   * polkitd serves as its system bus, so bus names mean the same to both. */
  PAL_AUTHORIZER_POLKIT,
  /* Sandbox and session bus: no polkit; only callers running as the same
   * user as the helper are allowed (uid asked from the bus daemon). There is
   * nothing to escalate to: the helper has no more privilege than the
   * caller outside its own namespaces. */
  PAL_AUTHORIZER_SAME_USER,
} PalAuthorizerMode;

#define PAL_TYPE_AUTHORIZER (pal_authorizer_get_type ())
G_DECLARE_FINAL_TYPE (PalAuthorizer, pal_authorizer, PAL, AUTHORIZER, GObject)

PalAuthorizer     *pal_authorizer_new (PalAuthorizerMode   mode,
                                       GError            **error);
PalAuthorizerMode  pal_authorizer_get_mode (PalAuthorizer *self);

/* Blocking (may wait for a password): call it from a worker thread. FALSE
 * with PAL_HELPER_ERROR_ACCESS_DENIED when the caller may not make this call. */
gboolean           pal_authorizer_check (PalAuthorizer          *self,
                                         GDBusMethodInvocation  *invocation,
                                         GError                **error);

/* The polkit action a call needs, or NULL when nobody may make it.
 * interface_name is the D-Bus interface of the call
 * ("org.freedesktop.DBus.Properties" for property reads). */
const char        *pal_authorizer_lookup_action (const char *interface_name,
                                                 const char *method_name);

G_END_DECLS
