/* pal-counter-layout.h — reading GetCounterValues' replies.
 *
 * GetCounterValues (data/io.github.palisade.Firewall1.xml) sends the rule
 * ids only when they change, under a layout token; the numbers come as one
 * flat array, three per id. A PalCounterLayout keeps the ids of the last
 * reply that had them: give its token to the next call, then hand the
 * reply to pal_counter_layout_update(), which checks it and says how many
 * rules the numbers cover.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PAL_COUNTER_VALUES_VARIANT_TYPE ((const GVariantType *) "(tasat)")
/* Numbers per rule in GetCounterValues' values: packets, bytes, ms since the last match. */
#define PAL_COUNTER_VALUES_PER_RULE 3

typedef struct _PalCounterLayout PalCounterLayout;

PalCounterLayout *pal_counter_layout_new (void);
void              pal_counter_layout_free (PalCounterLayout *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalCounterLayout, pal_counter_layout_free)

/* What to send as GetCounterValues' "known": 0 until a reply was read. */
guint64           pal_counter_layout_get_token (PalCounterLayout *self);
/* Forget the ids: the next call asks for them again. */
void              pal_counter_layout_reset (PalCounterLayout *self);

/* Reads a (tasat) reply: keeps its ids when it has them. *values (owned
 * by reply) gets PAL_COUNTER_VALUES_PER_RULE numbers per rule, *changed
 * whether the ids are new. Returns the number of rules, or -1 with
 * PAL_HELPER_ERROR_FAILED when the reply does not fit (no ids for an
 * unknown layout, a count that does not match); the layout is then
 * reset. */
gssize            pal_counter_layout_update (PalCounterLayout  *self,
                                             GVariant          *reply,
                                             const guint64    **values,
                                             gboolean          *changed,
                                             GError           **error);

guint             pal_counter_layout_get_size (PalCounterLayout *self);
const char       *pal_counter_layout_get_id (PalCounterLayout *self,
                                             guint             index);

G_END_DECLS
