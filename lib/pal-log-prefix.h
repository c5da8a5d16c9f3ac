/* pal-log-prefix.h — what an NFLOG message of ours carries to name its rule.
 *
 * The kernel hands the helper only the log prefix (at most
 * PAL_LOG_PREFIX_MAX bytes) and the group, not the rule. So the compiler
 * writes the rule's key (its compact number in the plan, see
 * pal-nft-plan.h: PAL_NFT_DEFAULT_KEY 0 for the default verdict) in front
 * of the text: "#12 Telnet probe", "#12" when the text is empty. The text
 * is cut, at a character, where it would not fit. The helper maps the key
 * back to the rule's id and name (a PalLogRule) with the plan it applied.
 *
 * Groups: 1 the log action, 2 the alert action, 3 packets denied while
 * the document's log-denied setting is on (their text is the verdict).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PAL_LOG_GROUP_LOG    1
#define PAL_LOG_GROUP_ALERT  2
#define PAL_LOG_GROUP_DENIED 3

/* NF_LOG_PREFIXLEN less the terminating NUL. */
#define PAL_LOG_PREFIX_MAX 127

/* Packets denied while log-denied is on: at most this many logged a
 * second by each kernel rule that denies (a Palisade rule has one per
 * hook and address family it applies to), in bursts of up to
 * PAL_LOG_DENIED_BURST. The helper's own rate limit comes after. */
#define PAL_LOG_DENIED_RATE  10
#define PAL_LOG_DENIED_BURST 20

/* "#key text", cut to PAL_LOG_PREFIX_MAX bytes. */
char    *pal_log_prefix_format (guint32     key,
                                const char *text);
/* Splits a prefix: TRUE with the key and the text after it when it is one
 * of ours; FALSE (text the whole prefix) otherwise. */
gboolean pal_log_prefix_parse (const char  *prefix,
                               guint32     *key,
                               const char **text);

/* What the helper names for a key: the rule's id and name. */
typedef struct
{
  char *id;
  char *name;
} PalLogRule;

/* key → PalLogRule, as made by pal_log_rules_add(). */
GHashTable       *pal_log_rules_new (void);
void              pal_log_rules_add (GHashTable *rules,
                                     guint32     key,
                                     const char *id,
                                     const char *name);
/* NULL when rules is NULL or does not know key. */
const PalLogRule *pal_log_rules_lookup (GHashTable *rules,
                                        guint32     key);

G_END_DECLS
