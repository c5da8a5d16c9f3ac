/* pal-interface-config.h — what a document says about one network interface.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PAL_TYPE_INTERFACE_CONFIG (pal_interface_config_get_type ())
G_DECLARE_FINAL_TYPE (PalInterfaceConfig, pal_interface_config, PAL, INTERFACE_CONFIG, GObject)

PalInterfaceConfig *pal_interface_config_new (const char *name);
PalInterfaceConfig *pal_interface_config_copy (PalInterfaceConfig *self);
const char         *pal_interface_config_get_name (PalInterfaceConfig *self);
/* The outline filters this interface's traffic (others pass untouched). */
gboolean            pal_interface_config_get_filter (PalInterfaceConfig *self);
void                pal_interface_config_set_filter (PalInterfaceConfig *self,
                                                     gboolean            filter);
/* Faces the Internet: what the "external" interface value means. */
gboolean            pal_interface_config_get_external (PalInterfaceConfig *self);
void                pal_interface_config_set_external (PalInterfaceConfig *self,
                                                       gboolean            external);
/* Bridged with the other interfaces marked so. */
gboolean            pal_interface_config_get_bridge (PalInterfaceConfig *self);
void                pal_interface_config_set_bridge (PalInterfaceConfig *self,
                                                     gboolean            bridge);
JsonObject         *pal_interface_config_get_extra (PalInterfaceConfig *self);
void                pal_interface_config_set_extra (PalInterfaceConfig *self,
                                                    JsonObject         *extra);

G_END_DECLS
