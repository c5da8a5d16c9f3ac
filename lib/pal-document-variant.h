/* pal-document-variant.h — a document as a GVariant, for D-Bus.
 *
 * The encoding is (a{sv}a(usussssss)): the settings, then every rule of the
 * outline depth first with its depth (see data/io.github.palisade.Firewall1.xml
 * and docs/DBUS-CONTRACT.md). The helper decodes what any caller on the bus
 * sends, so decoding trusts nothing: the type, every size, the depth
 * sequence, the counts against the limits of pal-document.h, string lengths,
 * UTF-8 and every name are checked, and the error says where
 * ("rules[3].children[0].property: "colour" is not a property").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pal-document.h"

G_BEGIN_DECLS

#define PAL_DOCUMENT_VARIANT_TYPE_STRING "(a{sv}a(usussssss))"
#define PAL_DOCUMENT_VARIANT_TYPE        ((const GVariantType *) PAL_DOCUMENT_VARIANT_TYPE_STRING)
/* GetCounters: rule id, packets, bytes, milliseconds since last match. */
#define PAL_COUNTERS_VARIANT_TYPE_STRING "a(sttt)"
#define PAL_COUNTERS_VARIANT_TYPE        ((const GVariantType *) PAL_COUNTERS_VARIANT_TYPE_STRING)

/* The priority of Palisade's base chains (family inet; hooks input,
 * forward, output): the helper compiles them so, and Show Active places
 * the other tables' base chains against it (GetOtherTables). */
#define PAL_TABLE_PRIORITY 10

/* Bits of a rule's flags. Other bits are refused. */
#define PAL_RULE_FLAG_ENABLED   (1u << 0)
#define PAL_RULE_FLAG_READ_ONLY (1u << 1)

/* Limits this encoding adds to those of pal-document.h. */
#define PAL_DOCUMENT_VARIANT_MAX_PARAMETER  1024  /* bytes of a parameter's text */
#define PAL_DOCUMENT_VARIANT_MAX_SERVICES   256   /* services the adaptive firewall watches */
#define PAL_DOCUMENT_VARIANT_MAX_DICT       64    /* entries of a settings dictionary */

/* Returns a floating reference. Ids, flags and every setting are kept;
 * members unknown to this version (the "extra" JSON) are not carried. */
GVariant    *pal_document_to_variant (PalDocument *document);

/* Errors are PAL_HELPER_ERROR_INVALID_ARGS (wrong type, unknown key or flag)
 * or PAL_HELPER_ERROR_INVALID_DOCUMENT (a name, size, depth or limit), with a
 * sentence that starts with the path of the offending member. Values and
 * parameters are not parsed here: pal_validate_document() does that. */
PalDocument *pal_document_from_variant (GVariant  *variant,
                                        GError   **error);

G_END_DECLS
