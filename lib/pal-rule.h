/* pal-rule.h — one rule of a firewall document's outline.
 *
 * A rule is a condition (property, relation, value), an action with its
 * parameter, and children. Children are tried only when the condition
 * matches; after them the rule's own action applies (BRIEF, rule model).
 * Values and parameters are kept as the text the user wrote; parse them with
 * pal_value_parse() / pal_parameter_parse().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pal-enums.h"

G_BEGIN_DECLS

#define PAL_TYPE_RULE (pal_rule_get_type ())
G_DECLARE_FINAL_TYPE (PalRule, pal_rule, PAL, RULE, GObject)

PalRule     *pal_rule_new (PalProperty property,
                           PalAction   action);
/* A rule with this id (a UUID string, see pal_rule_set_id), property any
 * and action pass: what a reader fills in. */
PalRule     *pal_rule_new_with_id (const char *id);
/* A deep copy. With keep_ids FALSE every rule of the copy gets a fresh id
 * (paste as new); with TRUE the ids are kept (undo, Show Active). */
PalRule     *pal_rule_copy (PalRule  *self,
                            gboolean  keep_ids);

const char  *pal_rule_get_id (PalRule *self);
/* A GHashFunc for rule ids (any string, with g_str_equal): eight bytes
 * a step, several times faster than g_str_hash on a 36-byte UUID. For
 * the tables keyed by id that every apply fills and reads. */
guint        pal_id_hash (gconstpointer id);
/* Returns FALSE (and changes nothing) unless id is a UUID string. */
gboolean     pal_rule_set_id (PalRule    *self,
                              const char *id);
/* Fresh ids for this rule and its whole subtree. */
void         pal_rule_renew_ids (PalRule *self);

gboolean     pal_rule_get_enabled (PalRule *self);
void         pal_rule_set_enabled (PalRule  *self,
                                   gboolean  enabled);
/* Enabled, and every ancestor enabled too: what the kernel will load. */
gboolean     pal_rule_get_effective_enabled (PalRule *self);

const char  *pal_rule_get_name (PalRule *self);
void         pal_rule_set_name (PalRule    *self,
                                const char *name);
PalProperty  pal_rule_get_property (PalRule *self);
void         pal_rule_set_property (PalRule     *self,
                                    PalProperty  property);
PalRelation  pal_rule_get_relation (PalRule *self);
void         pal_rule_set_relation (PalRule     *self,
                                    PalRelation  relation);
const char  *pal_rule_get_value (PalRule *self);
void         pal_rule_set_value (PalRule    *self,
                                 const char *value);
PalAction    pal_rule_get_action (PalRule *self);
void         pal_rule_set_action (PalRule   *self,
                                  PalAction  action);
const char  *pal_rule_get_parameter (PalRule *self);
void         pal_rule_set_parameter (PalRule    *self,
                                     const char *parameter);

/* A rule read back from the kernel that another program added to our table:
 * shown, never changed. Its name is the rule's nft text. */
gboolean     pal_rule_get_read_only (PalRule *self);
void         pal_rule_set_read_only (PalRule  *self,
                                     gboolean  read_only);

/* The children, as a list model of PalRule. Change it only through the
 * functions below, which keep every child's parent pointer right. */
GListModel  *pal_rule_get_children (PalRule *self);
guint        pal_rule_get_n_children (PalRule *self);
PalRule     *pal_rule_get_child (PalRule *self,
                                 guint    position);
void         pal_rule_insert_child (PalRule *self,
                                    guint    position,
                                    PalRule *child);
void         pal_rule_append_child (PalRule *self,
                                    PalRule *child);
void         pal_rule_remove_child (PalRule *self,
                                    guint    position);
/* The rule whose children hold this one; NULL at the top level. */
PalRule     *pal_rule_get_parent (PalRule *self);
/* Nesting depth: 0 at the top level. */
guint        pal_rule_get_depth (PalRule *self);
/* This rule and all rules below it. */
guint        pal_rule_count (PalRule *self);

/* Members of the rule's JSON object that this version does not know (from a
 * newer Palisade); written back unchanged. May be NULL. */
JsonObject  *pal_rule_get_extra (PalRule *self);
void         pal_rule_set_extra (PalRule    *self,
                                 JsonObject *extra);

G_END_DECLS
