/* pal-validator.c — checks a document as the compiler will see it.
 *
 * Each rule is checked on its own (value, parameter, name), then against
 * what the rules above it let through. Only ancestors whose relation is
 * "is" narrow the traffic: "protocol is-not tcp" says little about what
 * remains. A rule's header property (a port, TCP flags, an ICMP type)
 * needs its protocol whatever its relation, because nftables can only
 * read that header from such packets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>

#include "pal-json-locator.h"
#include "pal-rule-private.h"
#include "pal-validator.h"
#include "pal-value.h"

#define FAMILY_V4   (1 << 0)
#define FAMILY_V6   (1 << 1)
#define FAMILY_ALL  (FAMILY_V4 | FAMILY_V6)
#define DIRECTION_ALL (PAL_DIRECTION_IN | PAL_DIRECTION_OUT | PAL_DIRECTION_FORWARD)

/* Adaptive firewall bounds. */
#define MAX_FAILURES 1000
#define MAX_SERVICES 64
#define MAX_SERVICE_NAME 64
#define MAX_INTERFACE_NAME 15   /* IFNAMSIZ - 1 */

enum {
  PROTO_ICMP = 1,
  PROTO_TCP = 6,
  PROTO_UDP = 17,
  PROTO_DCCP = 33,
  PROTO_ICMPV6 = 58,
  PROTO_SCTP = 132,
  PROTO_UDPLITE = 136,
};

typedef struct
{
  guint32 bits[8];
} ProtocolSet;

/* What the ancestors let through, and which ancestor narrowed each part
 * last (named in messages). */
typedef struct
{
  ProtocolSet  protocols;
  guint        families;
  guint        directions;
  PalRule     *protocols_by;
  const char  *protocols_by_path;
  PalRule     *families_by;
  const char  *families_by_path;
  PalRule     *directions_by;
  const char  *directions_by_path;
  gboolean     unreachable;   /* below a contradiction, told there already */
  gboolean     known;         /* every ancestor is known (see PalValidateKnownFunc) */
} Scope;

/* What one rule needs of a packet to match. */
typedef struct
{
  gboolean    has_protocols;
  ProtocolSet protocols;
  guint       families;
  guint       directions;
} Needs;

typedef struct
{
  GPtrArray            *problems;
  GHashTable           *ids;        /* the ids seen (the rules' own strings) */
  PalRule             **rules;      /* the rules checked, and the member they are in (or NULL) */
  guint                 n_rules_at_top;
  const char           *member;
  guint                 n_rules;
  gboolean              in_document;
  gboolean              too_many;
  PalValidateKnownFunc  known;
  gpointer              known_data;
} Validation;

static void
add_problem (Validation       *v,
             PalDocumentError  code,
             const char       *path,
             PalRule          *rule,
             const char       *message)
{
  g_ptr_array_add (v->problems, pal_problem_new (code, path, rule, message));
}

static PalDocumentError
code_for_value_error (const GError *error)
{
  if (g_error_matches (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_UNSUPPORTED))
    return PAL_DOCUMENT_ERROR_UNSUPPORTED;
  if (g_error_matches (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_TOO_LONG))
    return PAL_DOCUMENT_ERROR_LIMIT;
  return PAL_DOCUMENT_ERROR_INVALID_VALUE;
}

/* ------------------------------------------------------------------ */
/* Protocol sets                                                       */

static void
protocols_fill (ProtocolSet *set)
{
  memset (set->bits, 0xff, sizeof set->bits);
}

static void
protocols_add (ProtocolSet *set,
               guint        protocol)
{
  if (protocol < 256)
    set->bits[protocol / 32] |= 1u << (protocol % 32);
}

static gboolean
protocols_has (const ProtocolSet *set,
               guint              protocol)
{
  return protocol < 256 && (set->bits[protocol / 32] & (1u << (protocol % 32))) != 0;
}

static guint
protocols_count (const ProtocolSet *set)
{
  guint count = 0;

  for (guint i = 0; i < G_N_ELEMENTS (set->bits); i++)
    count += __builtin_popcount (set->bits[i]);
  return count;
}

/* Narrows into to the protocols also in with; TRUE when that changed it. */
static gboolean
protocols_narrow (ProtocolSet       *into,
                  const ProtocolSet *with)
{
  gboolean changed = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (into->bits); i++)
    {
      guint32 bits = into->bits[i] & with->bits[i];

      changed |= bits != into->bits[i];
      into->bits[i] = bits;
    }
  return changed;
}

static gboolean
protocols_meet (const ProtocolSet *a,
                const ProtocolSet *b)
{
  for (guint i = 0; i < G_N_ELEMENTS (a->bits); i++)
    if ((a->bits[i] & b->bits[i]) != 0)
      return TRUE;
  return FALSE;
}

static const char *
protocol_label (guint protocol)
{
  switch (protocol)
    {
    case PROTO_ICMP: return "ICMP";
    case 2: return "IGMP";
    case PROTO_TCP: return "TCP";
    case PROTO_UDP: return "UDP";
    case PROTO_DCCP: return "DCCP";
    case 47: return "GRE";
    case 50: return "ESP";
    case 51: return "AH";
    case PROTO_ICMPV6: return "ICMPv6";
    case PROTO_SCTP: return "SCTP";
    case PROTO_UDPLITE: return "UDP-Lite";
    default: return NULL;
    }
}

/* "TCP", "TCP and UDP", "TCP, UDP and protocol 47", or "12 protocols". */
static char *
describe_protocols (const ProtocolSet *set)
{
  GString *text = g_string_new (NULL);
  guint count = protocols_count (set), done = 0;

  if (count > 5)
    {
      g_string_printf (text, _("%u protocols"), count);
      return g_string_free (text, FALSE);
    }
  for (guint p = 0; p < 256; p++)
    {
      if (!protocols_has (set, p))
        continue;
      if (done > 0)
        g_string_append (text, done + 1 == count ? _(" and ") : ", ");
      if (protocol_label (p) != NULL)
        g_string_append (text, protocol_label (p));
      else
        g_string_append_printf (text, _("protocol %u"), p);
      done++;
    }
  return g_string_free (text, FALSE);
}

/* ------------------------------------------------------------------ */
/* What a rule needs                                                   */

static void
needs_protocols (Needs             *needs,
                 const guint       *protocols,
                 guint              n)
{
  needs->has_protocols = TRUE;
  memset (&needs->protocols, 0, sizeof needs->protocols);
  for (guint i = 0; i < n; i++)
    protocols_add (&needs->protocols, protocols[i]);
}

/* ICMP lives in IPv4 only and ICMPv6 in IPv6 only. */
static guint
families_of_protocols (const ProtocolSet *set)
{
  guint families = 0;

  for (guint p = 0; p < 256; p++)
    {
      if (!protocols_has (set, p))
        continue;
      if (p != PROTO_ICMPV6)
        families |= FAMILY_V4;
      if (p != PROTO_ICMP)
        families |= FAMILY_V6;
    }
  return families;
}

/* Needs that hold whatever the relation: the header the property reads. */
static void
header_needs (PalProperty  property,
              Needs       *needs)
{
  static const guint with_ports[] = { PROTO_TCP, PROTO_UDP, PROTO_DCCP, PROTO_SCTP, PROTO_UDPLITE };
  static const guint tcp[] = { PROTO_TCP };
  static const guint icmp[] = { PROTO_ICMP };
  static const guint icmpv6[] = { PROTO_ICMPV6 };

  switch (property)
    {
    case PAL_PROPERTY_SOURCE_PORT:
    case PAL_PROPERTY_DESTINATION_PORT:
      needs_protocols (needs, with_ports, G_N_ELEMENTS (with_ports));
      break;
    case PAL_PROPERTY_TCP_FLAGS:
    case PAL_PROPERTY_TCP_OPTION:
      needs_protocols (needs, tcp, G_N_ELEMENTS (tcp));
      break;
    case PAL_PROPERTY_ICMP_TYPE:
      needs_protocols (needs, icmp, 1);
      needs->families = FAMILY_V4;
      break;
    case PAL_PROPERTY_ICMPV6_TYPE:
      needs_protocols (needs, icmpv6, 1);
      needs->families = FAMILY_V6;
      break;
    case PAL_PROPERTY_IP_OPTION:
      needs->families = FAMILY_V4;
      break;
    default:
      break;
    }
}

static guint
families_of_addresses (GArray *addresses)
{
  guint families = 0;

  for (guint i = 0; addresses != NULL && i < addresses->len; i++)
    families |= g_array_index (addresses, PalAddressRange, i).family == AF_INET6
                ? FAMILY_V6 : FAMILY_V4;
  return families != 0 ? families : FAMILY_ALL;
}

static guint
families_of_versions (GArray *ranges)
{
  guint families = 0;

  for (guint i = 0; ranges != NULL && i < ranges->len; i++)
    {
      const PalRange *range = &g_array_index (ranges, PalRange, i);

      if (range->first <= 4 && range->last >= 4)
        families |= FAMILY_V4;
      if (range->first <= 6 && range->last >= 6)
        families |= FAMILY_V6;
    }
  return families;
}

/* Needs that only "is" expresses: the value itself. */
static void
value_needs (const PalValue *value,
             Needs          *needs)
{
  switch (value->property)
    {
    case PAL_PROPERTY_PROTOCOL:
      needs->has_protocols = TRUE;
      memset (&needs->protocols, 0, sizeof needs->protocols);
      for (guint i = 0; value->ranges != NULL && i < value->ranges->len; i++)
        {
          const PalRange *range = &g_array_index (value->ranges, PalRange, i);

          for (guint p = range->first; p <= MIN (range->last, 255); p++)
            protocols_add (&needs->protocols, p);
        }
      needs->families &= families_of_protocols (&needs->protocols);
      break;
    case PAL_PROPERTY_IP_VERSION:
      needs->families &= families_of_versions (value->ranges);
      break;
    case PAL_PROPERTY_SOURCE_ADDRESS:
    case PAL_PROPERTY_DESTINATION_ADDRESS:
      needs->families &= families_of_addresses (value->addresses);
      break;
    case PAL_PROPERTY_DIRECTION:
      needs->directions &= value->flags;
      break;
    default:
      break;
    }
}

static void
rule_needs (PalRule        *rule,
            const PalValue *value,
            Needs          *needs)
{
  needs->has_protocols = FALSE;
  protocols_fill (&needs->protocols);
  needs->families = FAMILY_ALL;
  needs->directions = DIRECTION_ALL;

  header_needs (pal_rule_get_property (rule), needs);
  if (value != NULL && pal_rule_get_relation (rule) == PAL_RELATION_IS)
    value_needs (value, needs);
}

/* ------------------------------------------------------------------ */
/* Contradictions                                                      */

static char *
describe_rule (PalRule    *rule,
               const char *path)
{
  const char *name = pal_rule_get_name (rule);

  if (name[0] == '\0')
    return g_strdup (path);
  return g_strdup_printf ("\"%s\" (%s)", name, path);
}

static const char *
describe_families (guint families)
{
  return families == FAMILY_V4 ? "IPv4" : "IPv6";
}

static char *
describe_directions (guint directions)
{
  const char *names[3] = { NULL, NULL, NULL };
  guint n = 0;

  if (directions & PAL_DIRECTION_IN)
    names[n++] = _("incoming");
  if (directions & PAL_DIRECTION_OUT)
    names[n++] = _("outgoing");
  if (directions & PAL_DIRECTION_FORWARD)
    names[n++] = _("forwarded");
  if (n == 1)
    return g_strdup_printf (_("%s traffic"), names[0]);
  if (n == 2)
    return g_strdup_printf (_("%s and %s traffic"), names[0], names[1]);
  return g_strdup (_("all traffic"));
}

/* What the rule is, as the subject of "… cannot match below …". */
static char *
describe_subject (PalRule *rule,
                  guint    families)
{
  PalProperty property = pal_rule_get_property (rule);
  const char *name = pal_property_to_string (property);

  switch (property)
    {
    case PAL_PROPERTY_PROTOCOL:
    case PAL_PROPERTY_IP_VERSION:
    case PAL_PROPERTY_DIRECTION:
      return g_strdup_printf ("%s %s", name, pal_rule_get_value (rule));
    case PAL_PROPERTY_SOURCE_ADDRESS:
    case PAL_PROPERTY_DESTINATION_ADDRESS:
      if (families == FAMILY_V4)
        return g_strdup_printf (_("An IPv4 %s"), name);
      if (families == FAMILY_V6)
        return g_strdup_printf (_("An IPv6 %s"), name);
      return g_strdup (name);
    default:
      return g_strdup (name);
    }
}

/* The part of the rule at fault: its property when the property alone
 * cannot match there, its value otherwise. */
static const char *
fault_member (PalRule *rule)
{
  switch (pal_rule_get_property (rule))
    {
    case PAL_PROPERTY_PROTOCOL:
    case PAL_PROPERTY_IP_VERSION:
    case PAL_PROPERTY_DIRECTION:
    case PAL_PROPERTY_SOURCE_ADDRESS:
    case PAL_PROPERTY_DESTINATION_ADDRESS:
      return "value";
    default:
      return "property";
    }
}

static void
add_contradiction (Validation *v,
                   PalRule    *rule,
                   const char *path,
                   guint       families,
                   PalRule    *by,
                   const char *by_path,
                   const char *lets_through)
{
  g_autofree char *subject = describe_subject (rule, families);
  g_autofree char *ancestor = describe_rule (by, by_path);
  g_autofree char *member_path = pal_json_path_member (path, fault_member (rule));
  g_autofree char *message = NULL;

  /* Property names start the sentence as they are spelt: lower-case. */
  message = g_strdup_printf (_("%s cannot match below %s, which only lets %s through."),
                             subject, ancestor, lets_through);
  add_problem (v, PAL_DOCUMENT_ERROR_CONTRADICTION, member_path, rule, message);
}

/* Reports what the rule needs that its scope excludes; TRUE if anything. */
static gboolean
check_against_scope (Validation  *v,
                     PalRule     *rule,
                     const char  *path,
                     const Needs *needs,
                     const Scope *scope)
{
  guint before = v->problems->len;

  if (scope->unreachable)
    return FALSE;
  if (needs->has_protocols && scope->protocols_by != NULL &&
      !protocols_meet (&needs->protocols, &scope->protocols))
    {
      g_autofree char *through = describe_protocols (&scope->protocols);
      add_contradiction (v, rule, path, needs->families, scope->protocols_by,
                         scope->protocols_by_path, through);
    }
  else if (scope->families_by != NULL && (needs->families & scope->families) == 0)
    add_contradiction (v, rule, path, needs->families, scope->families_by,
                       scope->families_by_path, describe_families (scope->families));
  else if (scope->directions_by != NULL && (needs->directions & scope->directions) == 0)
    {
      g_autofree char *through = describe_directions (scope->directions);
      add_contradiction (v, rule, path, needs->families, scope->directions_by,
                         scope->directions_by_path, through);
    }
  return v->problems->len > before;
}

/* The scope for the rule's children: narrowed by the rule if its relation is "is". */
static void
narrow_scope (Scope       *scope,
              PalRule     *rule,
              const char  *path,
              const Needs *needs)
{
  guint families, directions;

  if (pal_rule_get_relation (rule) != PAL_RELATION_IS)
    return;

  /* A part that would become empty was reported at this rule already;
   * its children are not told again. */
  if (needs->has_protocols && protocols_meet (&scope->protocols, &needs->protocols) &&
      protocols_narrow (&scope->protocols, &needs->protocols))
    {
      scope->protocols_by = rule;
      scope->protocols_by_path = path;
    }
  families = scope->families & needs->families;
  if (needs->has_protocols)
    families &= families_of_protocols (&needs->protocols);
  if (families != scope->families && families != 0)
    {
      scope->families = families;
      scope->families_by = rule;
      scope->families_by_path = path;
    }
  directions = scope->directions & needs->directions;
  if (directions != scope->directions && directions != 0)
    {
      scope->directions = directions;
      scope->directions_by = rule;
      scope->directions_by_path = path;
    }
}

/* ------------------------------------------------------------------ */
/* Members of newer versions                                           */

/* How many containers node nests, itself included; stops looking once it
 * is past allowed, so a hostile tree costs no more than a legal one. */
static guint
nesting (JsonNode *node,
         guint     allowed)
{
  guint deepest = 0, n;

  if (!JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node))
    return 0;
  if (allowed == 0)
    return 1;

  /* Not MAX (deepest, nesting (…)): the macro would recurse twice a level. */
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array) && deepest < allowed; i++)
        if ((n = nesting (json_array_get_element (array, i), allowed - 1)) > deepest)
          deepest = n;
    }
  else
    {
      GList *values = json_object_get_values (json_node_get_object (node));

      for (GList *l = values; l != NULL && deepest < allowed; l = l->next)
        if ((n = nesting (l->data, allowed - 1)) > deepest)
          deepest = n;
      g_list_free (values);
    }
  return deepest + 1;
}

/* Members kept from a newer version are written back; the file must not
 * nest deeper than a reader accepts. depth: the containers around them. */
static void
check_extra (Validation *v,
             JsonObject *extra,
             const char *object_path,
             guint       depth,
             PalRule    *rule)
{
  guint allowed = PAL_JSON_MAX_DEPTH > depth ? PAL_JSON_MAX_DEPTH - depth : 0;
  GList *names;

  if (extra == NULL)
    return;
  names = json_object_get_members (extra);
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *path = NULL;
      g_autofree char *message = NULL;

      if (nesting (json_object_get_member (extra, l->data), allowed) <= allowed)
        continue;
      path = pal_json_path_member (object_path, l->data);
      message = g_strdup_printf (_("This member nests deeper than the %d levels of JSON "
                                   "a document may have."), PAL_JSON_MAX_DEPTH);
      add_problem (v, PAL_DOCUMENT_ERROR_LIMIT, path, rule, message);
    }
  g_list_free (names);
}

/* ------------------------------------------------------------------ */
/* Rules                                                               */

static PalValue *
check_value (Validation *v,
             PalRule    *rule,
             const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *member_path = NULL;
  PalValue *value;

  value = pal_value_parse (pal_rule_get_property (rule), pal_rule_get_value (rule), &error);
  if (value != NULL)
    return value;

  member_path = pal_json_path_member (path, "value");
  add_problem (v, code_for_value_error (error), member_path, rule, error->message);
  return NULL;
}

static void
check_parameter (Validation *v,
                 PalRule    *rule,
                 const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PalParameter) parameter = NULL;
  g_autofree char *member_path = NULL;

  parameter = pal_parameter_parse (pal_rule_get_action (rule),
                                   pal_rule_get_parameter (rule), &error);
  if (parameter != NULL)
    return;

  member_path = pal_json_path_member (path, "parameter");
  add_problem (v, code_for_value_error (error), member_path, rule, error->message);
}

static void
check_name (Validation *v,
            PalRule    *rule,
            const char *path)
{
  gsize length = strlen (pal_rule_get_name (rule));
  g_autofree char *member_path = NULL;
  g_autofree char *message = NULL;

  if (length <= PAL_DOCUMENT_MAX_NAME_LENGTH)
    return;

  member_path = pal_json_path_member (path, "name");
  message = g_strdup_printf (_("The name is %lu bytes long; "
                               "a rule's name may have at most %d."),
                             (unsigned long) length, PAL_DOCUMENT_MAX_NAME_LENGTH);
  add_problem (v, PAL_DOCUMENT_ERROR_LIMIT, member_path, rule, message);
}

static void append_index (GString *path,
                          guint    index);

/* The path of the first rule with the id among rules (in member of
 * parent_path), as check_rules makes it; NULL when none has it. Only for
 * messages: every rule's path kept for them was a copy per rule. */
static char *
path_of_id (PalRule    **rules,
            guint        n,
            const char  *parent_path,
            const char  *member,
            const char  *id)
{
  g_autoptr(GString) path = g_string_new (parent_path);
  gsize length;

  if (member != NULL)
    pal_json_path_append_member (path, member);
  length = path->len;
  for (guint i = 0; i < n; i++)
    {
      PalRule *rule = rules[i];
      PalRule **children;
      guint n_children;
      char *found;

      g_string_truncate (path, length);
      append_index (path, i);
      if (g_str_equal (pal_rule_get_id (rule), id))
        return g_strdup (path->str);
      children = pal_rule_peek_children (rule, &n_children);
      found = path_of_id (children, n_children, path->str, "children", id);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
check_id (Validation *v,
          PalRule    *rule,
          const char *path)
{
  const char *id = pal_rule_get_id (rule);
  g_autofree char *first = NULL;
  g_autofree char *member_path = NULL;
  g_autofree char *message = NULL;

  /* Borrowed: the document holds its rules while it is checked. One hash
   * per rule: the first rule with the id is looked for only when another
   * has it too, in the order the rules are checked. */
  if (g_hash_table_add (v->ids, (gpointer) id))
    return;

  first = path_of_id (v->rules, v->n_rules_at_top, "", v->member, id);
  member_path = pal_json_path_member (path, "id");
  message = g_strdup_printf (_("The id %s is already used by %s; every rule needs its own."),
                             id, first);
  add_problem (v, PAL_DOCUMENT_ERROR_INVALID_VALUE, member_path, rule, message);
}

static void
check_exit_group (Validation *v,
                  PalRule    *rule,
                  const char *path,
                  guint       depth)
{
  g_autofree char *member_path = NULL;

  if (!v->in_document || depth > 0 || pal_rule_get_action (rule) != PAL_ACTION_EXIT_GROUP)
    return;

  member_path = pal_json_path_member (path, "action");
  add_problem (v, PAL_DOCUMENT_ERROR_CONTRADICTION, member_path, rule,
               _("exit-group leaves the group the rule is in, but at the top level "
                 "there is no group to leave."));
}

/* Counts the rule; FALSE (once reported) when the outline is too large or deep. */
static gboolean
check_limits (Validation *v,
              PalRule    *rule,
              const char *path,
              guint       depth)
{
  g_autofree char *message = NULL;

  if (v->too_many)
    return FALSE;
  if (++v->n_rules > PAL_DOCUMENT_MAX_RULES)
    {
      v->too_many = TRUE;
      message = g_strdup_printf (_("The outline has more than %d rules."), PAL_DOCUMENT_MAX_RULES);
      add_problem (v, PAL_DOCUMENT_ERROR_LIMIT, path, rule, message);
      return FALSE;
    }
  if (depth >= PAL_DOCUMENT_MAX_DEPTH)
    {
      message = g_strdup_printf (_("Rules may nest at most %d levels deep."),
                                 PAL_DOCUMENT_MAX_DEPTH);
      add_problem (v, PAL_DOCUMENT_ERROR_LIMIT, path, rule, message);
      return FALSE;
    }
  return TRUE;
}

/* pal_json_path_append_index without printf: this runs for every rule
 * of every validation. */
static void
append_index (GString *path,
              guint    index)
{
  char digits[12];
  guint n = 0;

  g_string_append_c (path, '[');
  do
    digits[n++] = (char) ('0' + index % 10);
  while ((index /= 10) > 0);
  while (n > 0)
    g_string_append_c (path, digits[--n]);
  g_string_append_c (path, ']');
}

static void check_rules (Validation  *v,
                         PalRule    **rules,
                         guint        n,
                         const char  *parent_path,
                         const char  *member,
                         guint        depth,
                         const Scope *scope);

/* A rule known valid (its members and its ancestors' as they were in a
 * document found valid) is not parsed or checked against its scope
 * again; only what it makes of its children's scope is needed (the
 * caller asks only when it has children). */
static void
narrow_known (PalRule     *rule,
              const char  *path,
              Scope       *child_scope)
{
  g_autoptr(PalValue) value = NULL;
  Needs needs;

  value = pal_value_parse (pal_rule_get_property (rule), pal_rule_get_value (rule), NULL);
  rule_needs (rule, value, &needs);
  narrow_scope (child_scope, rule, path, &needs);
}

static void
check_rule (Validation  *v,
            PalRule     *rule,
            const char  *path,
            guint        depth,
            const Scope *scope)
{
  g_autoptr(PalValue) value = NULL;
  Scope child_scope = *scope;
  PalRule **children;
  guint n_children;
  Needs needs;

  if (!check_limits (v, rule, path, depth))
    return;
  /* The array, not the GListModel: those calls were most of what a
   * known leaf cost. */
  children = pal_rule_peek_children (rule, &n_children);
  check_id (v, rule, path);
  /* Asked of every rule, so the caller sees them all. */
  child_scope.known = v->known != NULL && v->known (rule, path, v->known_data) && scope->known;
  if (!child_scope.known)
    check_exit_group (v, rule, path, depth);
  /* The rule's object is inside the document (2) or the clipboard's array
   * (1), then two more levels for each parent (object and children). */
  check_extra (v, pal_rule_get_extra (rule), path,
               (v->in_document ? 3 : 2) + 2 * depth, rule);

  /* A rule another program added is shown as the kernel has it: its
   * text is nft's, not ours to parse, and it narrows nothing we know. */
  if (pal_rule_get_read_only (rule))
    ;
  else if (child_scope.known)
    {
      if (n_children > 0)
        narrow_known (rule, path, &child_scope);
    }
  else
    {
      check_name (v, rule, path);
      value = check_value (v, rule, path);
      check_parameter (v, rule, path);
      rule_needs (rule, value, &needs);
      /* Rules below one that can never match cannot either: not told again. */
      if (check_against_scope (v, rule, path, &needs, scope))
        child_scope.unreachable = TRUE;
      narrow_scope (&child_scope, rule, path, &needs);
    }

  if (n_children > 0)
    check_rules (v, children, n_children, path, "children", depth + 1, &child_scope);
}

static void
check_rules (Validation  *v,
             PalRule    **rules,
             guint        n,
             const char  *parent_path,
             const char  *member,
             guint        depth,
             const Scope *scope)
{
  g_autoptr(GString) path = NULL;
  gsize list_length;

  if (n == 0)
    return;
  path = g_string_new (parent_path);
  if (member != NULL)
    pal_json_path_append_member (path, member);
  list_length = path->len;
  /* One buffer for the paths of the list's items: a rule's path stays as
   * it is while its children are checked. */
  for (guint i = 0; i < n && !v->too_many; i++)
    {
      g_string_truncate (path, list_length);
      append_index (path, i);
      check_rule (v, rules[i], path->str, depth, scope);
    }
}

static void
scope_init (Scope *scope)
{
  memset (scope, 0, sizeof *scope);
  scope->known = TRUE;
  protocols_fill (&scope->protocols);
  scope->families = FAMILY_ALL;
  scope->directions = DIRECTION_ALL;
}

/* ------------------------------------------------------------------ */
/* Document settings                                                   */

static gboolean
is_interface_name (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > MAX_INTERFACE_NAME || !g_utf8_validate (name, length, NULL))
    return FALSE;
  if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (*p == '/' || *p == ':' || g_ascii_isspace (*p) || (guchar) *p < 0x20)
      return FALSE;
  return TRUE;
}

static void
check_interfaces (Validation  *v,
                  PalDocument *document)
{
  GListModel *interfaces = pal_document_get_interfaces (document);
  guint n = g_list_model_get_n_items (interfaces);

  if (n > PAL_DOCUMENT_MAX_INTERFACES)
    {
      g_autofree char *message =
        g_strdup_printf (_("There are %u interfaces; a document may list at most %d."),
                         n, PAL_DOCUMENT_MAX_INTERFACES);
      add_problem (v, PAL_DOCUMENT_ERROR_LIMIT, "interfaces", NULL, message);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalInterfaceConfig) config = g_list_model_get_item (interfaces, i);
      const char *name = pal_interface_config_get_name (config);
      g_autofree char *path = NULL;
      g_autofree char *message = NULL;

      path = pal_json_path_member ("interfaces", name);
      check_extra (v, pal_interface_config_get_extra (config), path, 3, NULL);
      if (is_interface_name (name))
        continue;
      message = g_strdup_printf (_("\"%s\" is not an interface name: it must have 1 to %d "
                                   "bytes and no \"/\", \":\" or spaces."),
                                 name, MAX_INTERFACE_NAME);
      add_problem (v, PAL_DOCUMENT_ERROR_INVALID_VALUE, path, NULL, message);
    }
}

static void
check_trusted_entry (Validation *v,
                     const char *entry,
                     guint       index)
{
  g_autofree char *path = pal_json_path_index ("triggered.trusted", index);
  g_autoptr(PalValue) value = NULL;
  g_autoptr(GError) error = NULL;

  if (strchr (entry, ',') != NULL)
    {
      add_problem (v, PAL_DOCUMENT_ERROR_INVALID_VALUE, path, NULL,
                   _("Write one address or network per entry of the trusted list."));
      return;
    }
  value = pal_value_parse (PAL_PROPERTY_SOURCE_ADDRESS, entry, &error);
  if (value == NULL)
    add_problem (v, code_for_value_error (error), path, NULL, error->message);
}

/* Also what the file could not hold: a duration is written as text, and
 * the text must read back (so nothing over ten years but forever). */
static void
check_duration (Validation *v,
                const char *path,
                guint64     seconds,
                gboolean    forever_allowed)
{
  g_autofree char *text = pal_duration_print (seconds);
  g_autoptr(GError) error = NULL;
  guint64 back;

  if (seconds == 0)
    add_problem (v, PAL_DOCUMENT_ERROR_INVALID_VALUE, path, NULL,
                 _("The duration must be longer than 0s."));
  else if (seconds == PAL_DURATION_FOREVER && !forever_allowed)
    add_problem (v, PAL_DOCUMENT_ERROR_INVALID_VALUE, path, NULL,
                 _("The duration cannot be forever here."));
  else if (!pal_duration_parse (text, &back, &error))
    add_problem (v, code_for_value_error (error), path, NULL, error->message);
}

static void
check_trusted (Validation         *v,
               const char * const *trusted)
{
  guint n = trusted != NULL ? g_strv_length ((char **) trusted) : 0;

  if (n > PAL_DOCUMENT_MAX_TRUSTED)
    {
      g_autofree char *message =
        g_strdup_printf (_("The trusted list has %u entries; it may have at most %d."),
                         n, PAL_DOCUMENT_MAX_TRUSTED);
      add_problem (v, PAL_DOCUMENT_ERROR_LIMIT, "triggered.trusted", NULL, message);
      return;
    }
  for (guint i = 0; i < n; i++)
    check_trusted_entry (v, trusted[i], i);
}

static void
check_triggered (Validation  *v,
                 PalDocument *document)
{
  check_duration (v, "triggered.duration",
                  pal_document_get_trigger_duration (document), TRUE);
  check_trusted (v, pal_document_get_trusted (document));
}

static gboolean
is_service_name (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > MAX_SERVICE_NAME || name[0] == '-' || name[0] == '.')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._@-", *p) == NULL)
      return FALSE;
  return TRUE;
}

static void
check_services (Validation *v,
                char      **services)
{
  guint n = services != NULL ? g_strv_length (services) : 0;

  if (n > MAX_SERVICES)
    {
      g_autofree char *message =
        g_strdup_printf (_("The adaptive firewall may watch at most %d services."), MAX_SERVICES);
      add_problem (v, PAL_DOCUMENT_ERROR_LIMIT, "adaptive.services", NULL, message);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *message = NULL;

      if (is_service_name (services[i]))
        continue;
      path = pal_json_path_index ("adaptive.services", i);
      message = g_strdup_printf (_("\"%s\" is not a service name: use at most %d letters, "
                                   "digits, \".\", \"_\", \"-\" and \"@\"."),
                                 services[i], MAX_SERVICE_NAME);
      add_problem (v, PAL_DOCUMENT_ERROR_INVALID_VALUE, path, NULL, message);
    }
}

static void
check_adaptive (Validation                *v,
                const PalAdaptiveSettings *adaptive)
{
  if (adaptive->failures < 1 || adaptive->failures > MAX_FAILURES)
    {
      g_autofree char *message =
        g_strdup_printf (_("The number of failures must be from 1 to %d, not %u."),
                         MAX_FAILURES, adaptive->failures);
      add_problem (v, PAL_DOCUMENT_ERROR_INVALID_VALUE, "adaptive.failures", NULL, message);
    }
  check_duration (v, "adaptive.window", adaptive->window, FALSE);
  check_duration (v, "adaptive.duration", adaptive->duration, TRUE);
  check_duration (v, "adaptive.max-duration", adaptive->max_duration, TRUE);
  if (adaptive->duration > 0 && adaptive->max_duration > 0 &&
      adaptive->max_duration < adaptive->duration)
    {
      g_autofree char *max = pal_duration_print (adaptive->max_duration);
      g_autofree char *first = pal_duration_print (adaptive->duration);
      g_autofree char *message =
        g_strdup_printf (_("The longest ban (%s) is shorter than the first ban (%s)."),
                         max, first);
      add_problem (v, PAL_DOCUMENT_ERROR_INVALID_VALUE, "adaptive.max-duration", NULL, message);
    }
  check_services (v, adaptive->services);
}

static void
check_version (Validation  *v,
               PalDocument *document)
{
  g_autofree char *message = NULL;
  guint version = pal_document_get_format_version (document);

  if (version >= 1)
    return;
  message = g_strdup_printf (_("%u is not a format version; versions count from 1."), version);
  add_problem (v, PAL_DOCUMENT_ERROR_VERSION, "fwdoc", NULL, message);
}

/* ------------------------------------------------------------------ */

static void
validation_init (Validation *v,
                 gboolean    in_document)
{
  v->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_problem_free);
  v->ids = g_hash_table_new (pal_id_hash, g_str_equal);
  v->rules = NULL;
  v->n_rules_at_top = 0;
  v->member = NULL;
  v->n_rules = 0;
  v->in_document = in_document;
  v->too_many = FALSE;
  v->known = NULL;
  v->known_data = NULL;
}

static GPtrArray *
validation_finish (Validation *v)
{
  g_hash_table_unref (v->ids);
  return v->problems;
}

GPtrArray *
pal_validate_document (PalDocument *document)
{
  return pal_validate_document_known (document, NULL, NULL);
}

GPtrArray *
pal_validate_document_known (PalDocument          *document,
                             PalValidateKnownFunc  known,
                             gpointer              user_data)
{
  Validation v;
  Scope scope;

  g_return_val_if_fail (PAL_IS_DOCUMENT (document), NULL);

  validation_init (&v, TRUE);
  v.known = known;
  v.known_data = user_data;
  check_version (&v, document);
  check_extra (&v, pal_document_get_extra (document), "", 1, NULL);
  check_interfaces (&v, document);
  check_triggered (&v, document);
  check_extra (&v, pal_document_get_triggered_extra (document), "triggered", 2, NULL);
  check_adaptive (&v, pal_document_get_adaptive (document));
  check_extra (&v, pal_document_get_adaptive_extra (document), "adaptive", 2, NULL);
  scope_init (&scope);
  v.rules = pal_document_peek_rules (document, &v.n_rules_at_top);
  v.member = "rules";
  check_rules (&v, v.rules, v.n_rules_at_top, "", v.member, 0, &scope);
  return validation_finish (&v);
}

GPtrArray *
pal_validate_rules (GPtrArray *rules)
{
  Validation v;
  Scope scope;

  g_return_val_if_fail (rules != NULL, NULL);

  validation_init (&v, FALSE);
  scope_init (&scope);
  v.rules = (PalRule **) rules->pdata;
  v.n_rules_at_top = rules->len;
  check_rules (&v, v.rules, v.n_rules_at_top, "", NULL, 0, &scope);
  return validation_finish (&v);
}

GPtrArray *
pal_validate_trusted (const char * const *trusted)
{
  Validation v;

  validation_init (&v, TRUE);
  check_trusted (&v, trusted);
  return validation_finish (&v);
}

GPtrArray *
pal_validate_adaptive (const PalAdaptiveSettings *settings)
{
  Validation v;

  g_return_val_if_fail (settings != NULL, NULL);

  validation_init (&v, TRUE);
  check_adaptive (&v, settings);
  return validation_finish (&v);
}
