/* pal-nft-match.c — one function per property, each giving the
 * alternatives of "is" and of "is-not" (its complement, also disjoint).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <linux/netfilter.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/socket.h>

#include "pal-helper-error.h"
#include "pal-nft-cgroup.h"
#include "pal-nft-match.h"
#include "pal-nft-plan.h"

#define PROTO_ICMP   1
#define PROTO_TCP    6
#define PROTO_ICMPV6 58

/* Both sides of a condition. */
typedef struct
{
  GPtrArray *is;
  GPtrArray *is_not;
} Sides;

const char *
pal_nft_hook_get_name (PalNftHook hook)
{
  static const char *const names[] = { "input", "forward", "output" };

  g_return_val_if_fail (hook < PAL_NFT_N_HOOKS, "input");
  return names[hook];
}

char *
pal_nft_list_set_name (PalList list,
                       int     family)
{
  static const char *const names[] = { "triggered", "trusted", "authorized", "kept" };

  g_return_val_if_fail (list <= PAL_LIST_KEPT, NULL);
  return g_strdup_printf ("%s%d", names[list], family == AF_INET6 ? 6 : 4);
}

PalNftField
pal_nft_remote_address_field (PalNftHook hook,
                              int        family)
{
  if (hook == PAL_NFT_HOOK_OUTPUT)
    return family == AF_INET6 ? PAL_NFT_FIELD_IP6_DADDR : PAL_NFT_FIELD_IP_DADDR;
  return family == AF_INET6 ? PAL_NFT_FIELD_IP6_SADDR : PAL_NFT_FIELD_IP_SADDR;
}

/* Alternatives */

static GPtrArray *
alternative_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_atom_free);
}

GPtrArray *
pal_nft_alternatives_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
}

GPtrArray *
pal_nft_alternatives_true (void)
{
  GPtrArray *alternatives = pal_nft_alternatives_new ();

  g_ptr_array_add (alternatives, alternative_new ());
  return alternatives;
}

/* Plain comparisons of one field: "== x" and "== y" (x != y) or "== x"
 * and "!= x" cannot both hold; "== x" makes "!= y" redundant. */
static gboolean
plain_cmp (const PalNftAtom *atom)
{
  return atom->test == PAL_NFT_TEST_CMP && !atom->has_mask
         && !pal_nft_field_is_presence (atom->field);
}

gboolean
pal_nft_alternative_add (GPtrArray        *alternative,
                         const PalNftAtom *atom)
{
  guint length = pal_nft_field_get_length (atom->field);

  for (guint i = 0; i < alternative->len; i++)
    {
      PalNftAtom *other = g_ptr_array_index (alternative, i);
      gboolean same_value;

      if (pal_nft_atom_equal (other, atom))
        return TRUE;
      if (other->field != atom->field || !plain_cmp (other) || !plain_cmp (atom))
        continue;
      same_value = memcmp (other->value, atom->value, length) == 0;
      if (!other->negated && !atom->negated)
        return FALSE;                       /* == x and == y */
      if (other->negated != atom->negated && same_value)
        return FALSE;                       /* == x and != x */
      if (!other->negated && atom->negated)
        return TRUE;                        /* == x makes != y redundant */
      if (other->negated && !atom->negated)
        {
          g_ptr_array_remove_index (alternative, i);
          i--;
        }
    }
  g_ptr_array_add (alternative, pal_nft_atom_copy (atom));
  return TRUE;
}

GPtrArray *
pal_nft_alternatives_and (GPtrArray *a,
                          GPtrArray *b)
{
  GPtrArray *result = pal_nft_alternatives_new ();

  for (guint i = 0; i < a->len; i++)
    for (guint j = 0; j < b->len; j++)
      {
        GPtrArray *left = g_ptr_array_index (a, i);
        GPtrArray *right = g_ptr_array_index (b, j);
        g_autoptr(GPtrArray) alternative = alternative_new ();
        gboolean possible = TRUE;

        for (guint k = 0; possible && k < left->len; k++)
          possible = pal_nft_alternative_add (alternative, g_ptr_array_index (left, k));
        for (guint k = 0; possible && k < right->len; k++)
          possible = pal_nft_alternative_add (alternative, g_ptr_array_index (right, k));
        if (possible)
          g_ptr_array_add (result, g_steal_pointer (&alternative));
      }
  return result;
}

/* Splitting lists */

static gboolean
is_list (const PalNftAtom *atom)
{
  return atom->test == PAL_NFT_TEST_LOOKUP && atom->set_name == NULL && atom->elements != NULL;
}

/* The test of one range of a list: == or in range (!= or outside). */
static PalNftAtom *
element_atom (const PalNftAtom *list,
              guint             i,
              gboolean          negated)
{
  g_autoptr(PalNftElements) one = pal_nft_elements_new (list->field);
  PalNftRange *range = &g_array_index (list->elements->ranges, PalNftRange, i);
  PalNftAtom *atom;

  pal_nft_elements_add (one, range->first, range->last);
  atom = pal_nft_atom_new_elements (one);
  atom->kind = list->kind;
  atom->level = list->level;
  atom->negated = negated;
  return atom;
}

/* Each of partial with one more atom; contradictions dropped. */
static void
and_atom (GPtrArray  *partial,
          PalNftAtom *atom)
{
  for (guint p = partial->len; p-- > 0;)
    if (!pal_nft_alternative_add (g_ptr_array_index (partial, p), atom))
      g_ptr_array_remove_index (partial, p);
  pal_nft_atom_free (atom);
}

/* Each of partial once per range of list (in order). */
static GPtrArray *
and_any_element (GPtrArray        *partial,
                 const PalNftAtom *list)
{
  GPtrArray *result = pal_nft_alternatives_new ();

  for (guint p = 0; p < partial->len; p++)
    for (guint i = 0; i < list->elements->ranges->len; i++)
      {
        GPtrArray *from = g_ptr_array_index (partial, p);
        GPtrArray *alternative = alternative_new ();
        g_autoptr(PalNftAtom) atom = element_atom (list, i, FALSE);

        for (guint k = 0; k < from->len; k++)
          g_ptr_array_add (alternative, pal_nft_atom_copy (g_ptr_array_index (from, k)));
        if (pal_nft_alternative_add (alternative, atom))
          g_ptr_array_add (result, alternative);
        else
          g_ptr_array_unref (alternative);
      }
  g_ptr_array_unref (partial);
  return result;
}

static void
split_alternative (GPtrArray *alternative,
                   GPtrArray *out)
{
  g_autoptr(GPtrArray) partial = pal_nft_alternatives_true ();
  guint product = 1;

  for (guint i = 0; i < alternative->len; i++)
    {
      PalNftAtom *atom = g_ptr_array_index (alternative, i);

      if (is_list (atom) && !atom->negated)
        product = MIN (product * atom->elements->ranges->len, PAL_NFT_SPLIT_MAX + 1);
    }
  for (guint i = 0; i < alternative->len; i++)
    {
      PalNftAtom *atom = g_ptr_array_index (alternative, i);
      guint n = is_list (atom) ? atom->elements->ranges->len : 0;

      if (n > 0 && !atom->negated && product <= PAL_NFT_SPLIT_MAX)
        partial = and_any_element (g_steal_pointer (&partial), atom);
      else if (n > 0 && atom->negated && n <= PAL_NFT_UNLESS_MAX)
        for (guint e = 0; e < n; e++)
          and_atom (partial, element_atom (atom, e, TRUE));
      else
        and_atom (partial, pal_nft_atom_copy (atom));
    }
  for (guint p = 0; p < partial->len; p++)
    g_ptr_array_add (out, g_ptr_array_ref (g_ptr_array_index (partial, p)));
}

GPtrArray *
pal_nft_alternatives_split (GPtrArray *alternatives)
{
  GPtrArray *result = pal_nft_alternatives_new ();

  for (guint a = 0; a < alternatives->len; a++)
    split_alternative (g_ptr_array_index (alternatives, a), result);
  g_ptr_array_unref (alternatives);
  return result;
}

void
pal_nft_alternatives_name_lists (GPtrArray *alternatives)
{
  for (guint a = 0; a < alternatives->len; a++)
    {
      GPtrArray *alternative = g_ptr_array_index (alternatives, a);

      for (guint i = 0; i < alternative->len; i++)
        {
          PalNftAtom *atom = g_ptr_array_index (alternative, i);

          if (is_list (atom) && pal_nft_field_has_list_sets (atom->field))
            atom->set_name = pal_nft_list_set_for (atom->elements);
        }
    }
}

/* Takes the atoms (NULL-terminated) into one new alternative. */
static GPtrArray *
all_of (PalNftAtom *first,
        ...)
{
  GPtrArray *alternative = alternative_new ();
  va_list args;

  va_start (args, first);
  for (PalNftAtom *atom = first; atom != NULL; atom = va_arg (args, PalNftAtom *))
    g_ptr_array_add (alternative, atom);
  va_end (args);
  return alternative;
}

/* Takes the alternatives (NULL-terminated) into one condition. */
static GPtrArray *
any_of (GPtrArray *first,
        ...)
{
  GPtrArray *alternatives = pal_nft_alternatives_new ();
  va_list args;

  va_start (args, first);
  for (GPtrArray *alternative = first; alternative != NULL; alternative = va_arg (args, GPtrArray *))
    g_ptr_array_add (alternatives, alternative);
  va_end (args);
  return alternatives;
}

static Sides
sides_true (void)
{
  return (Sides) { pal_nft_alternatives_true (), pal_nft_alternatives_new () };
}

static Sides
sides_false (void)
{
  return (Sides) { pal_nft_alternatives_new (), pal_nft_alternatives_true () };
}

/* A single test and its negation. */
static Sides
sides_of_atom (PalNftAtom *atom)
{
  PalNftAtom *negated = pal_nft_atom_negate (atom);

  return (Sides) { any_of (all_of (atom, NULL), NULL), any_of (all_of (negated, NULL), NULL) };
}

/* "guard and test" and its complement "not guard, or guard and not test". */
static Sides
sides_guarded (PalNftAtom *guard,
               PalNftAtom *test)
{
  Sides sides;

  sides.is = any_of (all_of (pal_nft_atom_copy (guard), pal_nft_atom_copy (test), NULL), NULL);
  sides.is_not = any_of (all_of (pal_nft_atom_negate (guard), NULL),
                         all_of (guard, pal_nft_atom_negate (test), NULL), NULL);
  pal_nft_atom_free (test);
  return sides;
}

static PalNftAtom *
nfproto_atom (int family)
{
  return pal_nft_atom_new_u8 (PAL_NFT_FIELD_NFPROTO,
                              family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4);
}

static PalNftAtom *
l4proto_atom (guint8 protocol)
{
  return pal_nft_atom_new_u8 (PAL_NFT_FIELD_L4PROTO, protocol);
}

/* Properties */

static Sides
compile_ip_version (const PalValue *value)
{
  PalRange *range = &g_array_index (value->ranges, PalRange, 0);

  return sides_of_atom (nfproto_atom (range->first == 6 ? AF_INET6 : AF_INET));
}

/* One family's half of an address condition: [nfproto, address test]. */
static void
add_family_sides (Sides        *sides,
                  int           family,
                  PalNftAtom   *test)
{
  if (test != NULL)
    {
      g_ptr_array_add (sides->is, all_of (nfproto_atom (family), pal_nft_atom_copy (test), NULL));
      g_ptr_array_add (sides->is_not, all_of (nfproto_atom (family), pal_nft_atom_negate (test), NULL));
      pal_nft_atom_free (test);
    }
  else
    g_ptr_array_add (sides->is_not, all_of (nfproto_atom (family), NULL));
}

static Sides
compile_address (const PalValue *value,
                 gboolean        source)
{
  g_autoptr(PalNftElements) v4 =
    pal_nft_elements_new (source ? PAL_NFT_FIELD_IP_SADDR : PAL_NFT_FIELD_IP_DADDR);
  g_autoptr(PalNftElements) v6 =
    pal_nft_elements_new (source ? PAL_NFT_FIELD_IP6_SADDR : PAL_NFT_FIELD_IP6_DADDR);
  Sides sides = { pal_nft_alternatives_new (), pal_nft_alternatives_new () };

  for (guint i = 0; i < value->addresses->len; i++)
    {
      PalAddressRange *range = &g_array_index (value->addresses, PalAddressRange, i);

      pal_nft_elements_add (range->family == AF_INET6 ? v6 : v4, range->first, range->last);
    }
  add_family_sides (&sides, AF_INET, v4->ranges->len > 0 ? pal_nft_atom_new_elements (v4) : NULL);
  add_family_sides (&sides, AF_INET6, v6->ranges->len > 0 ? pal_nft_atom_new_elements (v6) : NULL);
  return sides;
}

static Sides
compile_mac (const PalValue *value,
             gboolean        source,
             PalNftHook      hook)
{
  g_autoptr(PalNftElements) macs =
    pal_nft_elements_new (source ? PAL_NFT_FIELD_ETHER_SADDR : PAL_NFT_FIELD_ETHER_DADDR);
  guint8 ether[2];

  /* Only a received frame has a link-layer header. */
  if (hook == PAL_NFT_HOOK_OUTPUT)
    return sides_false ();
  for (guint i = 0; i < value->macs->len; i++)
    {
      PalMac *mac = &g_array_index (value->macs, PalMac, i);

      pal_nft_elements_add (macs, mac->bytes, mac->bytes);
    }
  pal_nft_put_be (ether, 2, ARPHRD_ETHER);
  return sides_guarded (pal_nft_atom_new_cmp (PAL_NFT_FIELD_IIFTYPE, ether),
                        pal_nft_atom_new_elements (macs));
}

static PalNftElements *
elements_of_ranges (PalNftField  field,
                    GArray      *ranges)
{
  PalNftElements *elements = pal_nft_elements_new (field);
  guint length = pal_nft_field_get_length (field);

  for (guint i = 0; i < ranges->len; i++)
    {
      PalRange *range = &g_array_index (ranges, PalRange, i);
      guint8 first[16], last[16];

      pal_nft_put_be (first, length, range->first);
      pal_nft_put_be (last, length, range->last);
      pal_nft_elements_add (elements, first, last);
    }
  return elements;
}

static Sides
compile_protocol (const PalValue *value)
{
  g_autoptr(PalNftElements) protocols = elements_of_ranges (PAL_NFT_FIELD_L4PROTO, value->ranges);

  return sides_of_atom (pal_nft_atom_new_elements (protocols));
}

static Sides
compile_port (const PalValue *value,
              gboolean        source)
{
  g_autoptr(PalNftElements) ports =
    elements_of_ranges (source ? PAL_NFT_FIELD_TH_SPORT : PAL_NFT_FIELD_TH_DPORT, value->ranges);

  return sides_guarded (pal_nft_atom_new_named_set (PAL_NFT_FIELD_L4PROTO, PAL_NFT_SET_PORTED),
                        pal_nft_atom_new_elements (ports));
}

static Sides
compile_icmp (const PalValue *value,
              gboolean        v6)
{
  gboolean any_code = TRUE;
  g_autoptr(PalNftElements) types = NULL;

  for (guint i = 0; i < value->icmp->len; i++)
    if (g_array_index (value->icmp, PalIcmpType, i).code >= 0)
      any_code = FALSE;

  /* Types alone are one byte; with codes, type and code as one 16-bit
   * value, a type without code being the range of all its codes. */
  types = pal_nft_elements_new (any_code ? (v6 ? PAL_NFT_FIELD_ICMPV6_TYPE : PAL_NFT_FIELD_ICMP_TYPE)
                                         : PAL_NFT_FIELD_ICMP_TYPE_CODE);
  for (guint i = 0; i < value->icmp->len; i++)
    {
      PalIcmpType *icmp = &g_array_index (value->icmp, PalIcmpType, i);
      guint8 first[2] = { icmp->type, icmp->code >= 0 ? (guint8) icmp->code : 0 };
      guint8 last[2] = { icmp->type, icmp->code >= 0 ? (guint8) icmp->code : 0xff };

      if (any_code)
        pal_nft_elements_add (types, first, first);
      else
        pal_nft_elements_add (types, first, last);
    }
  return sides_guarded (l4proto_atom (v6 ? PROTO_ICMPV6 : PROTO_ICMP),
                        pal_nft_atom_new_elements (types));
}

static Sides
compile_tcp_flags (const PalValue *value)
{
  guint8 mask = (guint8) (value->flags | value->clear_flags);
  guint8 set = (guint8) value->flags;

  return sides_guarded (l4proto_atom (PROTO_TCP),
                        pal_nft_atom_new_masked (PAL_NFT_FIELD_TCP_FLAGS, &mask, &set));
}

/* "any of these options": [o1], [not o1, o2], …; its complement: none. */
static Sides
compile_options (PalNftField   field,
                 const guint8 *kinds,
                 guint         n_kinds,
                 PalNftAtom   *guard)
{
  Sides sides = { pal_nft_alternatives_new (), pal_nft_alternatives_new () };
  GPtrArray *none = all_of (pal_nft_atom_copy (guard), NULL);

  for (guint i = 0; i < n_kinds; i++)
    {
      GPtrArray *alternative = all_of (pal_nft_atom_copy (guard), NULL);

      for (guint j = 0; j < i; j++)
        g_ptr_array_add (alternative, pal_nft_atom_new_present (field, kinds[j], FALSE));
      g_ptr_array_add (alternative, pal_nft_atom_new_present (field, kinds[i], TRUE));
      g_ptr_array_add (sides.is, alternative);
      g_ptr_array_add (none, pal_nft_atom_new_present (field, kinds[i], FALSE));
    }
  g_ptr_array_add (sides.is_not, all_of (pal_nft_atom_negate (guard), NULL));
  g_ptr_array_add (sides.is_not, none);
  pal_nft_atom_free (guard);
  return sides;
}

static Sides
compile_tcp_option (const PalValue *value)
{
  guint8 kinds[32];
  guint n = 0;

  for (guint kind = 0; kind < 32; kind++)
    if ((value->flags & (1u << kind)) != 0)
      kinds[n++] = kind;
  return compile_options (PAL_NFT_FIELD_TCP_OPTION, kinds, n, l4proto_atom (PROTO_TCP));
}

static Sides
compile_ip_option (const PalValue *value)
{
  static const guint8 numbers[] = {
    [PAL_IP_OPTION_LSRR] = 131, [PAL_IP_OPTION_SSRR] = 137,
    [PAL_IP_OPTION_RR] = 7, [PAL_IP_OPTION_RA] = 148,
  };
  guint8 kinds[G_N_ELEMENTS (numbers)];
  guint n = 0;

  for (guint option = 0; option < G_N_ELEMENTS (numbers); option++)
    if ((value->flags & (1u << option)) != 0)
      kinds[n++] = numbers[option];
  return compile_options (PAL_NFT_FIELD_IP_OPTION, kinds, n, nfproto_atom (AF_INET));
}

static PalNftAtom *
masked16 (PalNftField field,
          guint16     mask,
          guint16     value,
          gboolean    negated)
{
  guint8 m[2], v[2];
  PalNftAtom *atom;

  pal_nft_put_be (m, 2, mask);
  pal_nft_put_be (v, 2, value);
  atom = pal_nft_atom_new_masked (field, m, v);
  atom->negated = negated;
  return atom;
}

/* IPv4: the flags-and-offset word. IPv6: the fragment header, whose word
 * is offset << 3 | M, tested as offset and M flag separately (how nft
 * names them); a field of a missing header does not load (the rule
 * stops), so the complement names the missing header explicitly. */
static Sides
compile_fragment (const PalValue *value)
{
  Sides sides = { pal_nft_alternatives_new (), pal_nft_alternatives_new () };
  PalNftAtom *v4 = NULL;
  PalNftAtom *v6[2] = { NULL, NULL };
  GPtrArray *alternative;

  switch ((PalFragment) value->flags)
    {
    case PAL_FRAGMENT_ANY:
      v4 = masked16 (PAL_NFT_FIELD_IP_FRAG_OFF, 0x3fff, 0, TRUE);
      break;
    case PAL_FRAGMENT_FIRST:
      v4 = masked16 (PAL_NFT_FIELD_IP_FRAG_OFF, 0x3fff, 0x2000, FALSE);
      v6[0] = masked16 (PAL_NFT_FIELD_IP6_FRAG_OFF, 0xfff8, 0, FALSE);
      v6[1] = masked16 (PAL_NFT_FIELD_IP6_FRAG_OFF, 0x0001, 1, FALSE);
      break;
    case PAL_FRAGMENT_NOT_FIRST:
      v4 = masked16 (PAL_NFT_FIELD_IP_FRAG_OFF, 0x1fff, 0, TRUE);
      v6[0] = masked16 (PAL_NFT_FIELD_IP6_FRAG_OFF, 0xfff8, 0, TRUE);
      break;
    case PAL_FRAGMENT_TINY:
    default:
      v4 = masked16 (PAL_NFT_FIELD_IP_FRAG_OFF, 0x1fff, 1, FALSE);
      v6[0] = masked16 (PAL_NFT_FIELD_IP6_FRAG_OFF, 0xfff8, 0x0008, FALSE);
      break;
    }
  add_family_sides (&sides, AF_INET, v4);

  g_ptr_array_add (sides.is_not, all_of (nfproto_atom (AF_INET6),
                                         pal_nft_atom_new_present (PAL_NFT_FIELD_IP6_FRAG, 0, FALSE), NULL));
  if (v6[0] == NULL)
    {
      g_ptr_array_add (sides.is, all_of (nfproto_atom (AF_INET6),
                                         pal_nft_atom_new_present (PAL_NFT_FIELD_IP6_FRAG, 0, TRUE), NULL));
      return sides;
    }
  alternative = all_of (nfproto_atom (AF_INET6), pal_nft_atom_copy (v6[0]), NULL);
  if (v6[1] != NULL)
    g_ptr_array_add (alternative, pal_nft_atom_copy (v6[1]));
  g_ptr_array_add (sides.is, alternative);
  /* not (a and b) = not a, or a and not b */
  g_ptr_array_add (sides.is_not, all_of (nfproto_atom (AF_INET6), pal_nft_atom_negate (v6[0]), NULL));
  if (v6[1] != NULL)
    g_ptr_array_add (sides.is_not, all_of (nfproto_atom (AF_INET6), pal_nft_atom_copy (v6[0]),
                                           pal_nft_atom_negate (v6[1]), NULL));
  pal_nft_atom_free (v6[0]);
  pal_nft_atom_free (v6[1]);
  return sides;
}

static Sides
compile_state (const PalValue *value)
{
  /* The kernel's state bits: invalid 1, established 2, related 4, new 8,
   * untracked 64. */
  guint32 bits = 0;
  guint8 zero[4] = { 0 };
  PalNftAtom *any;

  if (value->flags & PAL_STATE_INVALID)
    bits |= 1u << 0;
  if (value->flags & PAL_STATE_ESTABLISHED)
    bits |= 1u << 1;
  if (value->flags & PAL_STATE_RELATED)
    bits |= 1u << 2;
  if (value->flags & PAL_STATE_NEW)
    bits |= 1u << 3;
  if (value->flags & PAL_STATE_UNTRACKED)
    bits |= 1u << 6;
  /* The kernel's state register is in host byte order. */
  any = pal_nft_atom_new_masked (PAL_NFT_FIELD_CT_STATE, (const guint8 *) &bits, zero);
  any->negated = TRUE;
  return sides_of_atom (any);
}

static Sides
compile_listed_in (const PalValue *value,
                   PalNftHook      hook)
{
  Sides sides = { pal_nft_alternatives_new (), pal_nft_alternatives_new () };
  const int families[] = { AF_INET, AF_INET6 };

  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      g_autofree char *set = pal_nft_list_set_name ((PalList) value->flags, families[i]);

      add_family_sides (&sides, families[i],
                        pal_nft_atom_new_named_set (pal_nft_remote_address_field (hook, families[i]), set));
    }
  return sides;
}

static gboolean
compile_service (const PalValue  *value,
                 PalNftHook       hook,
                 Sides           *sides,
                 GError         **error)
{
  g_autofree char *path = NULL;
  guint64 id;
  guint level;
  PalNftAtom *atom;

  if (hook == PAL_NFT_HOOK_FORWARD)
    {
      *sides = sides_false ();
      return TRUE;
    }
  if (!pal_nft_cgroup_resolve (g_ptr_array_index (value->names, 0), &path, &id, &level, error))
    return FALSE;
  /* The kernel compares the id in host byte order. */
  atom = pal_nft_atom_new_cmp (PAL_NFT_FIELD_CGROUPV2, (const guint8 *) &id);
  atom->level = (guint8) level;
  atom->text = g_steal_pointer (&path);
  *sides = sides_of_atom (atom);
  return TRUE;
}

static Sides
compile_user (const PalValue *value,
              PalNftHook      hook)
{
  g_autoptr(PalNftElements) uids = NULL;

  if (hook != PAL_NFT_HOOK_OUTPUT)
    return sides_false ();
  uids = elements_of_ranges (PAL_NFT_FIELD_SKUID, value->ranges);
  return sides_of_atom (pal_nft_atom_new_elements (uids));
}

static gint64
utc_offset_seconds (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_get_utc_offset (now) / G_TIME_SPAN_SECOND;
}

static guint32
local_to_utc_seconds (gint64 local_seconds)
{
  gint64 utc = (local_seconds - utc_offset_seconds ()) % 86400;

  return (guint32) (utc < 0 ? utc + 86400 : utc);
}

static Sides
compile_time_of_day (const PalValue *value)
{
  /* From the first minute up to, not including, the last one. */
  guint32 first = local_to_utc_seconds (value->first * 60);
  guint32 last = local_to_utc_seconds (value->last * 60 - 1);
  guint8 a[4], b[4];
  PalNftAtom *atom;

  if (first <= last)
    {
      pal_nft_put_be (a, 4, first);
      pal_nft_put_be (b, 4, last);
      return sides_of_atom (pal_nft_atom_new_range (PAL_NFT_FIELD_HOUR, a, b));
    }
  /* Across midnight UTC: everything but the gap. */
  pal_nft_put_be (a, 4, last + 1);
  pal_nft_put_be (b, 4, first - 1);
  atom = pal_nft_atom_new_range (PAL_NFT_FIELD_HOUR, a, b);
  atom->negated = TRUE;
  return sides_of_atom (atom);
}

static Sides
compile_day_of_week (const PalValue *value)
{
  g_autoptr(PalNftElements) days = pal_nft_elements_new (PAL_NFT_FIELD_DAY);

  for (guint8 day = 0; day < 7; day++)
    if ((value->flags & (1u << day)) != 0)
      pal_nft_elements_add (days, &day, &day);
  return sides_of_atom (pal_nft_atom_new_elements (days));
}

static Sides
compile_date_time (const PalValue *value)
{
  guint8 a[8], b[8];

  pal_nft_put_be (a, 8, (guint64) MAX (value->first, 0) * G_GUINT64_CONSTANT (1000000000));
  pal_nft_put_be (b, 8, (guint64) MAX (value->last, 0) * G_GUINT64_CONSTANT (1000000000)
                        + G_GUINT64_CONSTANT (999999999));
  return sides_of_atom (pal_nft_atom_new_range (PAL_NFT_FIELD_TIME, a, b));
}

static Sides
compile_length (const PalValue *value)
{
  g_autoptr(PalNftElements) lengths = elements_of_ranges (PAL_NFT_FIELD_LENGTH, value->ranges);

  return sides_of_atom (pal_nft_atom_new_elements (lengths));
}

/* Interfaces: names (a prefix ending in '*' is the range of all names
 * that start so), and the document's external ones as a named set. */
static Sides
interface_sides (const PalValue *value,
                 PalNftField     field)
{
  g_autoptr(PalNftElements) names = pal_nft_elements_new (field);
  gboolean external = FALSE, internal = FALSE;
  Sides sides;
  PalNftAtom *in_external;
  PalNftAtom *in_names;

  for (guint i = 0; i < value->interfaces->len; i++)
    {
      PalInterfaceMatch *match = &g_array_index (value->interfaces, PalInterfaceMatch, i);
      guint8 first[16] = { 0 }, last[16] = { 0 };
      gsize length = strnlen (match->name, sizeof match->name);

      if (match->kind == PAL_INTERFACE_EXTERNAL)
        external = TRUE;
      else if (match->kind == PAL_INTERFACE_INTERNAL)
        internal = TRUE;
      else if (length > 0 && match->name[length - 1] == '*')
        {
          memcpy (first, match->name, length - 1);
          memcpy (last, match->name, length - 1);
          memset (last + length - 1, 0xff, 16 - (length - 1));
          pal_nft_elements_add (names, first, last);
        }
      else
        {
          memcpy (first, match->name, length);
          pal_nft_elements_add (names, first, first);
        }
    }
  if (external && internal)
    return sides_true ();
  if (!external && !internal)
    return sides_of_atom (pal_nft_atom_new_elements (names));

  /* in = external, or internal (not external), plus the names. */
  in_external = pal_nft_atom_new_named_set (field, PAL_NFT_SET_EXTERNAL);
  if (internal)
    in_external->negated = TRUE;
  if (names->ranges->len == 0)
    return sides_of_atom (in_external);
  in_names = pal_nft_atom_new_elements (names);
  sides.is = any_of (all_of (pal_nft_atom_copy (in_external), NULL),
                     all_of (pal_nft_atom_negate (in_external), pal_nft_atom_copy (in_names), NULL),
                     NULL);
  sides.is_not = any_of (all_of (pal_nft_atom_negate (in_external), pal_nft_atom_negate (in_names), NULL),
                         NULL);
  pal_nft_atom_free (in_names);
  pal_nft_atom_free (in_external);
  return sides;
}

static void
sides_clear (Sides *sides)
{
  g_clear_pointer (&sides->is, g_ptr_array_unref);
  g_clear_pointer (&sides->is_not, g_ptr_array_unref);
}

static Sides
compile_interface (const PalValue *value,
                   PalNftHook      hook)
{
  Sides in, out, sides;
  g_autoptr(GPtrArray) second = NULL;

  if (hook == PAL_NFT_HOOK_INPUT)
    return interface_sides (value, PAL_NFT_FIELD_IIFNAME);
  if (hook == PAL_NFT_HOOK_OUTPUT)
    return interface_sides (value, PAL_NFT_FIELD_OIFNAME);

  /* Forwarded: either interface; disjoint as "in matches" or "in does
   * not and out does". */
  in = interface_sides (value, PAL_NFT_FIELD_IIFNAME);
  out = interface_sides (value, PAL_NFT_FIELD_OIFNAME);
  sides.is = g_ptr_array_ref (in.is);
  second = pal_nft_alternatives_and (in.is_not, out.is);
  for (guint i = 0; i < second->len; i++)
    g_ptr_array_add (sides.is, g_ptr_array_ref (g_ptr_array_index (second, i)));
  sides.is_not = pal_nft_alternatives_and (in.is_not, out.is_not);
  sides_clear (&in);
  sides_clear (&out);
  return sides;
}

static gboolean
compile_sides (PalProperty      property,
               const PalValue  *value,
               PalNftHook       hook,
               Sides           *sides,
               GError         **error)
{
  switch (property)
    {
    case PAL_PROPERTY_ANY:
      *sides = sides_true ();
      return TRUE;
    case PAL_PROPERTY_DIRECTION:
      {
        guint bit = hook == PAL_NFT_HOOK_INPUT ? PAL_DIRECTION_IN
                    : hook == PAL_NFT_HOOK_OUTPUT ? PAL_DIRECTION_OUT : PAL_DIRECTION_FORWARD;

        *sides = (value->flags & bit) != 0 ? sides_true () : sides_false ();
        return TRUE;
      }
    case PAL_PROPERTY_INTERFACE:
      *sides = compile_interface (value, hook);
      return TRUE;
    case PAL_PROPERTY_IP_VERSION:
      *sides = compile_ip_version (value);
      return TRUE;
    case PAL_PROPERTY_SOURCE_ADDRESS:
    case PAL_PROPERTY_DESTINATION_ADDRESS:
      *sides = compile_address (value, property == PAL_PROPERTY_SOURCE_ADDRESS);
      return TRUE;
    case PAL_PROPERTY_SOURCE_MAC:
    case PAL_PROPERTY_DESTINATION_MAC:
      *sides = compile_mac (value, property == PAL_PROPERTY_SOURCE_MAC, hook);
      return TRUE;
    case PAL_PROPERTY_PROTOCOL:
      *sides = compile_protocol (value);
      return TRUE;
    case PAL_PROPERTY_SOURCE_PORT:
    case PAL_PROPERTY_DESTINATION_PORT:
      *sides = compile_port (value, property == PAL_PROPERTY_SOURCE_PORT);
      return TRUE;
    case PAL_PROPERTY_ICMP_TYPE:
    case PAL_PROPERTY_ICMPV6_TYPE:
      *sides = compile_icmp (value, property == PAL_PROPERTY_ICMPV6_TYPE);
      return TRUE;
    case PAL_PROPERTY_TCP_FLAGS:
      *sides = compile_tcp_flags (value);
      return TRUE;
    case PAL_PROPERTY_TCP_OPTION:
      *sides = compile_tcp_option (value);
      return TRUE;
    case PAL_PROPERTY_IP_OPTION:
      *sides = compile_ip_option (value);
      return TRUE;
    case PAL_PROPERTY_FRAGMENT:
      *sides = compile_fragment (value);
      return TRUE;
    case PAL_PROPERTY_CONNECTION_STATE:
      *sides = compile_state (value);
      return TRUE;
    case PAL_PROPERTY_LISTED_IN:
      *sides = compile_listed_in (value, hook);
      return TRUE;
    case PAL_PROPERTY_SERVICE:
      return compile_service (value, hook, sides, error);
    case PAL_PROPERTY_USER:
      *sides = compile_user (value, hook);
      return TRUE;
    case PAL_PROPERTY_TIME_OF_DAY:
      *sides = compile_time_of_day (value);
      return TRUE;
    case PAL_PROPERTY_DAY_OF_WEEK:
      *sides = compile_day_of_week (value);
      return TRUE;
    case PAL_PROPERTY_DATE_TIME:
      *sides = compile_date_time (value);
      return TRUE;
    case PAL_PROPERTY_PACKET_LENGTH:
      *sides = compile_length (value);
      return TRUE;
    case PAL_N_PROPERTIES:
    default:
      break;
    }
  g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
               "The property %d is not known to this helper", property);
  return FALSE;
}

GPtrArray *
pal_nft_match_compile (PalProperty      property,
                       PalRelation      relation,
                       const PalValue  *value,
                       PalNftHook       hook,
                       GError         **error)
{
  Sides sides = { NULL, NULL };
  GPtrArray *result;

  g_return_val_if_fail (value != NULL || property == PAL_PROPERTY_ANY, NULL);

  if (!compile_sides (property, value, hook, &sides, error))
    return NULL;
  result = relation == PAL_RELATION_IS_NOT ? g_steal_pointer (&sides.is_not)
                                           : g_steal_pointer (&sides.is);
  sides_clear (&sides);
  return result;
}
