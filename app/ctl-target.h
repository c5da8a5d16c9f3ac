/* ctl-target.h — which palisade-helper a palisadectl verb talks to:
 * the system bus, the sandbox's bus (--sandbox) or --bus-address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gi18n.h>

#include "pal-dbus-generated.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean  sandbox;
  char     *bus_address;
} PalCtlTarget;

void              pal_ctl_target_clear (PalCtlTarget *target);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PalCtlTarget, pal_ctl_target_clear)

#define PAL_CTL_TARGET_OPTIONS(target) \
  { "sandbox", 0, 0, G_OPTION_ARG_NONE, &(target).sandbox, \
    N_("Talk to the helper started by “palisade-helper --sandbox”"), NULL }, \
  { "bus-address", 0, 0, G_OPTION_ARG_STRING, &(target).bus_address, \
    N_("Talk to the helper on the bus at ADDRESS"), N_("ADDRESS") }

/* A proxy that loads no properties; prints the error and returns NULL
 * when the helper cannot be reached. */
PalDBusFirewall1 *pal_ctl_target_connect (PalCtlTarget *target,
                                          gboolean      with_signals);
/* The helper's sentence on stderr, without the D-Bus error name, and the
 * polkit hint after AccessDenied. */
void              pal_ctl_target_print_error (GError *error);

G_END_DECLS
