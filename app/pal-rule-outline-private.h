/* pal-rule-outline-private.h — what the parts of PalRuleOutline share.
 *
 * pal-rule-outline.c: the column view, its cells, selection, counters.
 * pal-rule-outline-dnd.c: moving rules by drag and drop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-rule-outline.h"

G_BEGIN_DECLS

typedef enum
{
  COL_ENABLED,
  COL_NAME,
  COL_PROPERTY,
  COL_RELATION,
  COL_VALUE,
  COL_ACTION,
  COL_LAST,
  N_COLUMNS
} Column;

/* Where a drop lands relative to the row under the pointer. */
typedef enum
{
  DROP_NONE,
  DROP_BEFORE,
  DROP_ONTO,
  DROP_AFTER,
} DropZone;

struct _PalRuleOutline
{
  GtkWidget            parent_instance;

  /* Template widgets */
  GtkWidget           *box;
  GtkMenuButton       *last_column_button;
  GtkScrolledWindow   *scroller;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *enabled_column;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *property_column;
  GtkColumnViewColumn *relation_column;
  GtkColumnViewColumn *value_column;
  GtkColumnViewColumn *action_column;
  GtkColumnViewColumn *last_column;
  GMenuModel          *row_menu;

  GtkPopover          *context_menu;
  GtkPopover          *cell_popover;   /* a choice list, while open */
  GtkListItemFactory  *factories[N_COLUMNS];

  /* Owned references */
  PalDocument         *document;
  GtkTreeListModel    *tree;
  GtkMultiSelection   *selection;
  PalCounterTable     *counters;
  gulong               counters_id;

  /* The bound cells (widget → Column), so state that depends on other rows
   * or on the counters is repainted without any model change. */
  GHashTable          *cells;
  char                *last_column_kind;

  GtkWidget           *drop_row;     /* the row marked as drop target */
};

/* The row of rule; with expand, its parents are opened on the way. */
GtkTreeListRow *_pal_rule_outline_find_row (PalRuleOutline *self,
                                            PalRule        *rule,
                                            gboolean        expand);
void            _pal_rule_outline_setup_dnd (PalRuleOutline *self);

G_END_DECLS
