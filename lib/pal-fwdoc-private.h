/* pal-fwdoc-private.h — what the .fwdoc reader and writer share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-fwdoc.h"

G_BEGIN_DECLS

/* The members each object of the format knows, in the order they are
 * written; anything else is kept in the object's extra members. */
extern const char *const pal_fwdoc_document_members[];
extern const char *const pal_fwdoc_interface_members[];
extern const char *const pal_fwdoc_triggered_members[];
extern const char *const pal_fwdoc_adaptive_members[];
extern const char *const pal_fwdoc_rule_members[];

gboolean pal_fwdoc_is_known_member (const char *const *members,
                                    const char        *name);

G_END_DECLS
