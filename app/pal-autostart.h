/* pal-autostart.h — "Apply at login": the XDG autostart entry that opens a
 * document when the user logs in (the original's login items), shared by
 * "palisadectl autostart" and the window's "Apply at login".
 *
 * $XDG_CONFIG_HOME/autostart/io.github.palisade.Palisade-login.desktop runs
 * "palisade /abs/path/FILE"; one document at a time. No privilege involved:
 * the user's own session opens the document.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *pal_autostart_get_path   (void);
/* Only a path that is UTF-8 without control characters fits an Exec line. */
gboolean  pal_autostart_path_fits  (const char  *document_path);
/* document_path: absolute. Replaces any previous entry. */
gboolean  pal_autostart_enable     (const char  *document_path,
                                    GError     **error);
/* Removing an entry that does not exist is not an error. */
gboolean  pal_autostart_disable    (GError     **error);
/* The document the entry opens, or NULL without error when there is no
 * entry; enabled: FALSE when the session skips it (Hidden, or switched off
 * in GNOME's startup applications). */
char     *pal_autostart_get_document (gboolean  *enabled,
                                      GError   **error);

G_END_DECLS
