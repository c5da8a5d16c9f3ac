/* pal-value-private.h — what the value parsers of libpalisade share.
 *
 * pal-value.c holds the boxed types and dispatches to one parser and one
 * printer per syntax; the parsers live in files by concern
 * (pal-value-address.c, pal-value-port.c, …).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-value.h"

G_BEGIN_DECLS

/* Parses one list item (already trimmed, NUL-terminated, never empty) into
 * value; user_data is passed through from pal_value_parse_list(). */
typedef gboolean (*PalItemParser) (PalValue    *value,
                                   const char  *item,
                                   gpointer     user_data,
                                   GError     **error);

/* Items longer than this are refused before their parser sees them, so
 * messages may quote an item whole. */
#define PAL_VALUE_MAX_ITEM_LENGTH 255

/* Splits text at commas (spaces around them allowed) and hands each item to
 * parse_item; empty items and trailing commas are errors, and so is a list
 * of more than PAL_VALUE_MAX_ITEMS items (found before any item is parsed). */
gboolean pal_value_parse_list (PalValue       *value,
                               const char     *text,
                               PalItemParser   parse_item,
                               gpointer        user_data,
                               GError        **error);

/* The same for a property that takes one item, not a list: a comma is an
 * error, and so is an item longer than max_length bytes. */
gboolean pal_value_parse_single (PalValue       *value,
                                 const char     *text,
                                 gsize           max_length,
                                 PalItemParser   parse_item,
                                 gpointer        user_data,
                                 GError        **error);

/* The item in double quotes for a message, shortened when it is long so a
 * hostile value cannot make a megabyte error. */
char    *pal_value_quote (const char *item);

/* Sets PAL_VALUE_ERROR_INVALID. */
void     pal_value_set_invalid (GError     **error,
                                const char  *format,
                                ...) G_GNUC_PRINTF (2, 3);

/* Reads a decimal number of at most max without sign, spaces or leading
 * '+'; FALSE when text is not exactly that. */
gboolean pal_value_parse_uint (const char *text,
                               guint64     max,
                               guint64    *number);

/* Compares two values member by member (arrays element by element). */
gboolean pal_value_equal (const PalValue *a,
                          const PalValue *b);
gboolean pal_parameter_equal (const PalParameter *a,
                              const PalParameter *b);

/* One parser and printer pair per syntax, dispatched from pal-value.c. */
#define PAL_DECLARE_SYNTAX(name) \
  gboolean pal_value_parse_##name (PalValue *value, const char *text, GError **error); \
  void     pal_value_print_##name (const PalValue *value, GString *out)

PAL_DECLARE_SYNTAX (direction);
PAL_DECLARE_SYNTAX (interface);
PAL_DECLARE_SYNTAX (ip_version);
PAL_DECLARE_SYNTAX (address);
PAL_DECLARE_SYNTAX (mac);
PAL_DECLARE_SYNTAX (protocol);
PAL_DECLARE_SYNTAX (port);
PAL_DECLARE_SYNTAX (icmp_type);
PAL_DECLARE_SYNTAX (icmpv6_type);
PAL_DECLARE_SYNTAX (tcp_flags);
PAL_DECLARE_SYNTAX (tcp_option);
PAL_DECLARE_SYNTAX (ip_option);
PAL_DECLARE_SYNTAX (fragment);
PAL_DECLARE_SYNTAX (connection_state);
PAL_DECLARE_SYNTAX (listed_in);
PAL_DECLARE_SYNTAX (service);
PAL_DECLARE_SYNTAX (user);
PAL_DECLARE_SYNTAX (time_of_day);
PAL_DECLARE_SYNTAX (day_of_week);
PAL_DECLARE_SYNTAX (date_time);
PAL_DECLARE_SYNTAX (packet_length);

G_END_DECLS
