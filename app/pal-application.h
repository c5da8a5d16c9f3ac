/* pal-application.h — palisade, the document-based firewall GUI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pal-helper-client.h"
#include "pal-window.h"

G_BEGIN_DECLS

#define PAL_TYPE_APPLICATION (pal_application_get_type ())
G_DECLARE_FINAL_TYPE (PalApplication, pal_application, PAL, APPLICATION, AdwApplication)

PalApplication *pal_application_new (void);
/* The connection to palisade-helper all windows share (connecting starts
 * at startup; watch its "available" property). */
PalHelperClient *pal_application_get_helper (PalApplication *self);
/* Before g_application_run()/register: talk to the sandbox helper (the
 * --sandbox option does the same). */
void             pal_application_set_sandbox (PalApplication *self,
                                              gboolean        sandbox);
/* The file's window if it is open; else from if it is pristine, or a new
 * window. Reading errors are shown in that window. Returns the window. */
PalWindow      *pal_application_open_file (PalApplication *self,
                                           GFile          *file,
                                           PalWindow      *from);

G_END_DECLS
