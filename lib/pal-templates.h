/* pal-templates.h — the documents Palisade ships: the default document
 * ("Getting Started") and the Leopard-style templates.
 *
 * They live in data/templates/ as .fwdoc files, compiled into libpalisade as
 * a GResource, so every program can offer them without reading the disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pal-document.h"

G_BEGIN_DECLS

typedef struct
{
  const char *id;           /* "default", "block-all": the file name without .fwdoc */
  const char *title;        /* untranslated: use pal_template_get_title() */
  const char *description;  /* one line, untranslated: use pal_template_get_description() */
} PalTemplate;

/* The templates in the order a menu shows them, the default document first. */
const PalTemplate *pal_templates_get_all (guint *n_templates);
/* NULL when no template has that id. */
const PalTemplate *pal_templates_lookup (const char *id);
const char        *pal_template_get_title (const PalTemplate *tmpl);
const char        *pal_template_get_description (const PalTemplate *tmpl);

/* The template's .fwdoc text, exactly as shipped; G_IO_ERROR_NOT_FOUND for
 * an unknown id. */
GBytes            *pal_templates_get_data (const char  *id,
                                           GError     **error);
/* A new document read from the template: every call gives a fresh copy,
 * with the rule ids as shipped. */
PalDocument       *pal_templates_load (const char  *id,
                                       GError     **error);

G_END_DECLS
