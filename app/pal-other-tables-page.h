/* pal-other-tables-page.h — the Other Tables tab of Show Active and
 * Expert View: the other programs' nftables tables, read-only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PAL_TYPE_OTHER_TABLES_PAGE (pal_other_tables_page_get_type ())
G_DECLARE_FINAL_TYPE (PalOtherTablesPage, pal_other_tables_page, PAL, OTHER_TABLES_PAGE, AdwBin)

/* tables: of PalOtherTable (referenced). */
void        pal_other_tables_page_set_tables (PalOtherTablesPage *self,
                                              GListModel         *tables);
/* Instead of the tables: why they could not be read. */
void        pal_other_tables_page_set_error (PalOtherTablesPage *self,
                                             const char         *message);
/* Of PalOtherTable; empty before the first set_tables(). */
GListModel *pal_other_tables_page_get_tables (PalOtherTablesPage *self);

G_END_DECLS
