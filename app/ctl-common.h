/* ctl-common.h — what every palisadectl verb shares: option parsing that
 * reports usage errors the same way, and aligned text tables.
 *
 * main() sets the program name to "palisadectl VERB", so messages and
 * --help name the verb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A context for a verb: parameters ("FILE…") and summary are translated
 * here; entries may be NULL. */
GOptionContext *pal_ctl_option_context_new (const char         *parameters,
                                            const char         *summary,
                                            const GOptionEntry *entries);
/* Parses the verb's options (exits 0 after printing --help); on an unknown
 * or malformed option prints a usage error and returns FALSE. */
gboolean        pal_ctl_parse_options (GOptionContext   *context,
                                       int              *argc,
                                       char           ***argv);

/* "palisadectl VERB: message" and a hint to --help, on stderr. Returns
 * PAL_CTL_EXIT_USAGE so a verb can `return pal_ctl_usage_error (…)`. */
int             pal_ctl_usage_error (const char *format,
                                     ...) G_GNUC_PRINTF (1, 2);
/* "palisadectl VERB: message" on stderr. */
void            pal_ctl_error (const char *format,
                               ...) G_GNUC_PRINTF (1, 2);

/* FALSE when the locale cannot show "✓" and "…": use ASCII instead. */
gboolean        pal_ctl_use_unicode (void);
/* Terminal columns the text takes (wide characters count two). */
guint           pal_ctl_text_width (const char *text);
/* A copy fit for a terminal: invalid UTF-8 and control characters (a
 * hostile name could carry escape sequences) become U+FFFD or '?', and text
 * wider than max_width columns (0: no limit) ends in an ellipsis. */
char           *pal_ctl_text_sanitize (const char *text,
                                       guint       max_width);

typedef struct _PalCtlTable PalCtlTable;

/* Columns are sized to their content and separated by two spaces; the
 * last one is not padded, so lines have no trailing blanks. */
PalCtlTable    *pal_ctl_table_new (guint n_columns);
void            pal_ctl_table_free (PalCtlTable *table);
/* Cells are copied as given (sanitize them first); NULL is empty. */
void            pal_ctl_table_add_row (PalCtlTable        *table,
                                       const char * const *cells);
char           *pal_ctl_table_to_string (PalCtlTable *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalCtlTable, pal_ctl_table_free)

G_END_DECLS
