/* pal-other-table.h — another program's nftables table, as GetOtherTables
 * reports it (read-only), and where its base chains run against
 * Palisade's (docs/COEXISTENCE.md): a packet must be accepted by every
 * base chain on its hook, in order of priority.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char *name;
  char *hook;      /* "input", "prerouting", … as nft names it */
  gint  priority;
} PalOtherBaseChain;

#define PAL_TYPE_OTHER_TABLE (pal_other_table_get_type ())
G_DECLARE_FINAL_TYPE (PalOtherTable, pal_other_table, PAL, OTHER_TABLE, GObject)

/* From GetOtherTables' a(ssua(ssi)), as it came over the bus: a list of
 * PalOtherTable, at most 1000 tables of 64 base chains. */
GListModel  *pal_other_table_list_from_variant (GVariant *tables);

const char  *pal_other_table_get_family (PalOtherTable *self);
const char  *pal_other_table_get_name (PalOtherTable *self);
guint        pal_other_table_get_n_chains (PalOtherTable *self);
/* Of PalOtherBaseChain, owned by self. */
GPtrArray   *pal_other_table_get_base_chains (PalOtherTable *self);
/* "ip filter", as nft names a table. */
char        *pal_other_table_get_title (PalOtherTable *self);
/* One line per base chain: its hook, priority and whether it runs
 * before or after Palisade's chain there; or that it has none. */
char        *pal_other_table_describe (PalOtherTable *self);

G_END_DECLS
