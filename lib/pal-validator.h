/* pal-validator.h — checks a document's outline as the compiler will see it.
 *
 * Every enabled rule's value must parse for its property and its parameter
 * for its action; a child may not contradict its tree (an ICMP type below a
 * TCP-only parent, a port below ICMP, an IPv6 address below an IPv4-only
 * parent, a port without TCP/UDP/SCTP/UDP-Lite above or beside it is fine but a
 * port under a protocol that has no ports is not); limits hold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-document.h"
#include "pal-problem.h"

G_BEGIN_DECLS

/* Returns the problems found (PalProblem, paths like "rules[3].children[0].value"),
 * an empty array when the document is valid. Disabled rules are checked too:
 * a document must stay valid when someone ticks them on. */
GPtrArray *pal_validate_document (PalDocument *document);
/* Says whether a rule's own members (property, relation, value, action,
 * parameter, name, read-only) are exactly those of the rule at the same
 * path of a document that had no problems; asked once of every rule, in
 * outline order, with the path the problems would have. */
typedef gboolean (*PalValidateKnownFunc) (PalRule    *rule,
                                          const char *path,
                                          gpointer    user_data);
/* The same, checking only what may have changed: a known rule whose
 * ancestors are all known is not checked again (its id, the limits and
 * its members of newer versions are). For the helper, which applies one
 * changed rule of 10,000 without parsing the other 9,999 again. */
GPtrArray *pal_validate_document_known (PalDocument          *document,
                                        PalValidateKnownFunc  known,
                                        gpointer              user_data);
/* The same for a list of rules (clipboard text), paths "[0].children[1].value". */
GPtrArray *pal_validate_rules (GPtrArray *rules);
/* The trusted list and the adaptive firewall's settings alone, checked as
 * in a document (paths "triggered.trusted[2]", "adaptive.window"): for the
 * window, which edits them one at a time, and the helper's saved state. */
GPtrArray *pal_validate_trusted (const char * const *trusted);
GPtrArray *pal_validate_adaptive (const PalAdaptiveSettings *settings);

G_END_DECLS
