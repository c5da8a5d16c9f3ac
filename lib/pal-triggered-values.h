/* pal-triggered-values.h — reading ListTriggeredValues' replies.
 *
 * ListTriggeredValues (data/io.github.palisade.Firewall1.xml) sends the
 * banned addresses as packed bytes and numbers, which GDBus copies as
 * blocks: 100,000 entries cost the client milliseconds, where
 * ListTriggered's array of structures costs seconds. This turns a reply
 * back into entries, checking that its parts fit together.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PAL_TRIGGERED_VALUES_VARIANT_TYPE ((const GVariantType *) "(ayayatas)")

/* One entry: address as text ("192.0.2.1", "2001:db8::1"), seconds left
 * (G_MAXUINT64 = until removed), the "triggered by" text ("" when a rule
 * added it without one), when it was added (unix time, 0 = unknown). */
typedef void (*PalTriggeredValuesFunc) (const char *address,
                                        guint64     seconds_left,
                                        const char *reason,
                                        gint64      when,
                                        gpointer    user_data);

/* Calls func for every entry of reply, IPv4 first; returns the number of
 * entries, or -1 with PAL_HELPER_ERROR_FAILED (and no call) when the
 * parts do not fit together. */
gssize pal_triggered_values_foreach (GVariant                *reply,
                                     PalTriggeredValuesFunc   func,
                                     gpointer                 user_data,
                                     GError                 **error);

G_END_DECLS
