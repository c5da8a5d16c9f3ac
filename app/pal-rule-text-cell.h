/* pal-rule-text-cell.h — the Value and Parameter columns: text edited in
 * place and checked with the parsers of pal-value.h. An invalid text is
 * kept (so nothing the user typed is lost) but marked with the error style
 * and the parser's message as tooltip; the window refuses to save or apply
 * it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pal-rule.h"

G_BEGIN_DECLS

typedef enum
{
  PAL_RULE_TEXT_VALUE,
  PAL_RULE_TEXT_PARAMETER,
} PalRuleText;

#define PAL_TYPE_RULE_TEXT_CELL (pal_rule_text_cell_get_type ())
G_DECLARE_FINAL_TYPE (PalRuleTextCell, pal_rule_text_cell, PAL, RULE_TEXT_CELL, GtkWidget)

GtkWidget *pal_rule_text_cell_new (PalRuleText kind);
void       pal_rule_text_cell_bind (PalRuleTextCell *self,
                                    PalRule         *rule);
void       pal_rule_text_cell_unbind (PalRuleTextCell *self);
/* The parser's message for the shown text, or NULL when it is valid. */
const char *pal_rule_text_cell_get_error (PalRuleTextCell *self);
void       pal_rule_text_cell_start_editing (PalRuleTextCell *self);

/* Checks a rule's value (or parameter); FALSE with the parser's message. */
gboolean   pal_rule_check_text (PalRule     *rule,
                                PalRuleText  kind,
                                GError     **error);

G_END_DECLS
