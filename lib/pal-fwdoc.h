/* pal-fwdoc.h — reading and writing .fwdoc files (JSON, see docs/fwdoc.md).
 *
 * Reading reports every problem with file, line, column and JSON path:
 *   default.fwdoc:12:18: rules[3].children[0].value: "10.0.0.300" is not an IPv4 address
 * Writing is canonical (stable key order, two-space indent, final newline),
 * so reading and writing a canonical file gives it back byte for byte, and
 * atomic, so a crash or a full disk never leaves a truncated document.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pal-document.h"

G_BEGIN_DECLS

/* display_name names the text in messages (a file's basename); may be NULL. */
PalDocument *pal_fwdoc_load_data (const char   *data,
                                  gssize        length,
                                  const char   *display_name,
                                  GPtrArray   **problems,
                                  GError      **error);
PalDocument *pal_fwdoc_load_file (GFile         *file,
                                  GCancellable  *cancellable,
                                  GPtrArray    **problems,
                                  GError       **error);
char        *pal_fwdoc_save_data (PalDocument *document,
                                  gsize       *length);
/* Replaces file atomically, keeping the previous version as FILE~. */
gboolean     pal_fwdoc_save_file (PalDocument   *document,
                                  GFile         *file,
                                  GCancellable  *cancellable,
                                  GError       **error);

/* Clipboard: a JSON array of rules, the same text as in a document. */
char        *pal_fwdoc_rules_to_data (GPtrArray *rules);
/* Returns a GPtrArray of PalRule (ids as written: the caller renews them to
 * paste as new). */
GPtrArray   *pal_fwdoc_rules_from_data (const char  *data,
                                        gssize       length,
                                        GPtrArray  **problems,
                                        GError     **error);

G_END_DECLS
