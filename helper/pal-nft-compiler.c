/* pal-nft-compiler.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <string.h>
#include <sys/socket.h>

#include "pal-helper-error.h"
#include "pal-log-prefix.h"
#include "pal-nft-compiler.h"
#include "pal-validator.h"
#include "pal-value.h"

#define PROTO_TCP  6

typedef struct
{
  PalDocument *document;
  PalNftPlan  *plan;
  PalNftHook   hook;
  gboolean     recurse;      /* compile children into their chains */
  PalNftPlan  *previous;     /* the table as it is, for stable segments; may be NULL */
  PalNftMemo  *memo;         /* may be NULL */
  GArray      *outline;      /* Node: the document read once (recurse only) */
} Compiler;

typedef struct _MemoEntry MemoEntry;

/* The outline as the compiler walks it, in pre-order: a rule's children
 * follow it, each after the previous one's subtree. It is read while the
 * validator walks the document (which asks every rule, in this order,
 * whether it is known: read_rule), so the keys and every hook walk this
 * instead of asking GListModels and GObjects for each rule again (those
 * walks were half of an apply with one rule changed among 10,000). */
typedef struct
{
  PalRule   *rule;           /* borrowed: the document holds it */
  guint      size;           /* nodes of its subtree, itself included */
  guint      position;       /* among its siblings */
  guint32    key;            /* hits key (assign_keys) */
  MemoEntry *entry;          /* the memo's, or NULL */
  gboolean   on;             /* enabled and not read-only (its own flags) */
  gboolean   has_children;   /* a child is on */
} Node;

/* The outline being read. */
typedef struct
{
  PalNftMemo *memo;          /* may be NULL */
  GArray     *nodes;         /* Node */
  /* The nodes the next rule may be inside, outermost first: the
   * validator asks no rule deeper than PAL_DOCUMENT_MAX_DEPTH. */
  guint       open[PAL_DOCUMENT_MAX_DEPTH + 1];
  guint       n_open;
  gboolean    too_deep;      /* asked of one deeper all the same: no outline */
} Reading;

/* The memo: what each rule was, at which path, and what it compiled to.
 * An entry's content is only ever a function of what is in it, so an
 * entry left half-updated by a failed compile is still true. */
struct _MemoEntry
{
  char        *id;
  PalProperty  property;
  PalRelation  relation;
  PalAction    action;
  gboolean     read_only;
  char        *text;         /* value, parameter, name and path, each NUL-ended */
  gsize        parameter_at, name_at, path_at;
  gboolean     validated;    /* found valid at path, with its ancestors as they were */
  guint        stamp;        /* the compile that last saw it */
  /* What its kernel rules in its parent's chain were compiled with. */
  guint32      key;
  gboolean     exit_is_return;
  gboolean     has_children;
  guint64      trigger_duration;
  gboolean     log_denied;   /* the document's: drop, reject and trigger rules log */
  guint        hooks;        /* bit per hook compiled */
  gboolean     present[PAL_NFT_N_HOOKS];   /* matches in that hook at all */
  GPtrArray   *rules[PAL_NFT_N_HOOKS];     /* PalNftKernelRule, shared with the plans; NULL: none */
};

struct _PalNftMemo
{
  GHashTable *entries;       /* id → MemoEntry */
  GPtrArray  *pending;       /* MemoEntry: recorded in this validation */
  guint       stamp;
  guint       seen;          /* entries stamped in this validation */
  guint       disabled;      /* rules that are off, seen in this validation */
};

/* One piece of an action: extra atoms, statements, whether it counts. */
typedef struct
{
  GPtrArray *atoms;
  GPtrArray *stmts;
  gboolean   counted;
} Piece;

static void
piece_clear (gpointer data)
{
  Piece *piece = data;

  g_clear_pointer (&piece->atoms, g_ptr_array_unref);
  g_clear_pointer (&piece->stmts, g_ptr_array_unref);
}

static Piece *
add_piece (GArray   *pieces,
           gboolean  counted)
{
  Piece piece = { NULL, NULL, counted };

  piece.atoms = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_atom_free);
  piece.stmts = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_stmt_free);
  g_array_append_val (pieces, piece);
  return &g_array_index (pieces, Piece, pieces->len - 1);
}

static GArray *
pieces_new (void)
{
  GArray *pieces = g_array_new (FALSE, TRUE, sizeof (Piece));

  g_array_set_clear_func (pieces, piece_clear);
  return pieces;
}

static void
set_error (GError     **error,
           const char  *path,
           const char  *message)
{
  g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
               "%s: %s", path, message);
}

static PalNftAtom *
nfproto (int family)
{
  return pal_nft_atom_new_u8 (PAL_NFT_FIELD_NFPROTO, family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4);
}

static PalNftStmt *
exit_stmt (PalNftHook hook,
           gboolean   exit_is_return)
{
  g_autofree char *target = NULL;

  if (exit_is_return)
    return pal_nft_stmt_new_verdict (NFT_RETURN, NULL);
  target = g_strdup_printf ("default-%s", pal_nft_hook_get_name (hook));
  return pal_nft_stmt_new_verdict (NFT_GOTO, target);
}

static void
add_reject (GArray        *pieces,
            PalRejectKind  kind,
            gboolean       counted)
{
  static const guint8 codes[] = {
    [PAL_REJECT_PORT_UNREACHABLE] = NFT_REJECT_ICMPX_PORT_UNREACH,
    [PAL_REJECT_HOST_UNREACHABLE] = NFT_REJECT_ICMPX_HOST_UNREACH,
    [PAL_REJECT_ADMIN_PROHIBITED] = NFT_REJECT_ICMPX_ADMIN_PROHIBITED,
    [PAL_REJECT_NO_ROUTE] = NFT_REJECT_ICMPX_NO_ROUTE,
  };
  Piece *piece;
  PalNftStmt *stmt;

  if (kind == PAL_REJECT_DEFAULT || kind == PAL_REJECT_TCP_RESET)
    {
      /* A reset answers TCP; anything else gets port unreachable. */
      piece = add_piece (pieces, counted);
      g_ptr_array_add (piece->atoms, pal_nft_atom_new_u8 (PAL_NFT_FIELD_L4PROTO, PROTO_TCP));
      stmt = pal_nft_stmt_new (PAL_NFT_STMT_REJECT);
      stmt->reject_type = NFT_REJECT_TCP_RST;
      g_ptr_array_add (piece->stmts, stmt);

      piece = add_piece (pieces, counted);
      g_ptr_array_add (piece->atoms, pal_nft_atom_negate (g_ptr_array_index (
        g_array_index (pieces, Piece, pieces->len - 2).atoms, 0)));
      stmt = pal_nft_stmt_new (PAL_NFT_STMT_REJECT);
      stmt->reject_type = NFT_REJECT_ICMPX_UNREACH;
      stmt->reject_code = NFT_REJECT_ICMPX_PORT_UNREACH;
      g_ptr_array_add (piece->stmts, stmt);
      return;
    }
  piece = add_piece (pieces, counted);
  stmt = pal_nft_stmt_new (PAL_NFT_STMT_REJECT);
  stmt->reject_type = NFT_REJECT_ICMPX_UNREACH;
  stmt->reject_code = codes[kind];
  g_ptr_array_add (piece->stmts, stmt);
}

static guint64
timeout_ms (PalDocument        *document,
            const PalParameter *parameter)
{
  guint64 seconds = parameter->duration != 0 ? parameter->duration
                                             : pal_document_get_trigger_duration (document);

  if (seconds == PAL_DURATION_FOREVER || seconds == 0)
    return 0;
  return MIN (seconds, G_MAXUINT64 / 1000) * 1000;
}

/* update @<list><family> { remote address timeout t }, one piece per
 * family; trusted peers are never triggered. */
static void
add_list_updates (GArray             *pieces,
                  PalList             list,
                  PalDocument        *document,
                  PalNftHook          hook,
                  const PalParameter *parameter,
                  gboolean            counted,
                  int                 verdict)
{
  const int families[] = { AF_INET, AF_INET6 };

  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      Piece *piece = add_piece (pieces, counted);
      PalNftStmt *stmt = pal_nft_stmt_new (PAL_NFT_STMT_UPDATE);
      PalNftField field = pal_nft_remote_address_field (hook, families[i]);

      g_ptr_array_add (piece->atoms, nfproto (families[i]));
      if (list == PAL_LIST_TRIGGERED)
        {
          g_autofree char *trusted = pal_nft_list_set_name (PAL_LIST_TRUSTED, families[i]);
          PalNftAtom *not_trusted = pal_nft_atom_new_named_set (field, trusted);

          not_trusted->negated = TRUE;
          g_ptr_array_add (piece->atoms, not_trusted);
        }
      stmt->set_name = pal_nft_list_set_name (list, families[i]);
      stmt->field = field;
      stmt->timeout_ms = timeout_ms (document, parameter);
      g_ptr_array_add (piece->stmts, stmt);
      if (verdict != NFT_CONTINUE)
        g_ptr_array_add (piece->stmts, pal_nft_stmt_new_verdict (verdict, NULL));
    }
}

static void
add_verdict (GArray   *pieces,
             int       verdict,
             gboolean  counted)
{
  Piece *piece = add_piece (pieces, counted);

  g_ptr_array_add (piece->stmts, pal_nft_stmt_new_verdict (verdict, NULL));
}

static PalNftStmt *
log_stmt (guint16     group,
          guint32     key,
          const char *text)
{
  PalNftStmt *stmt = pal_nft_stmt_new (PAL_NFT_STMT_LOG);

  stmt->group = group;
  stmt->prefix = pal_log_prefix_format (key, text);
  return stmt;
}

/* With log-denied on, a packet about to be denied is first logged, in a
 * kernel rule of its own: the limit ends that rule when over the rate,
 * and must not skip the verdict. Never counted. */
static void
add_denied_log (GArray      *pieces,
                PalDocument *document,
                guint32      key,
                const char  *verdict)
{
  Piece *piece;
  PalNftStmt *stmt;

  if (!pal_document_get_log_denied (document))
    return;
  piece = add_piece (pieces, FALSE);
  stmt = pal_nft_stmt_new (PAL_NFT_STMT_LIMIT);
  stmt->rate = PAL_LOG_DENIED_RATE;
  stmt->unit = 1;
  stmt->burst = PAL_LOG_DENIED_BURST;
  stmt->under = TRUE;
  g_ptr_array_add (piece->stmts, stmt);
  g_ptr_array_add (piece->stmts, log_stmt (PAL_LOG_GROUP_DENIED, key, verdict));
}

/* What an action does, as pieces; counted: the pieces count the rule
 * (FALSE for a tail, whose rule was counted where it matched). key: the
 * rule's, which its log prefixes carry. */
static GArray *
action_pieces (PalDocument        *document,
               PalNftHook          hook,
               const PalParameter *parameter,
               guint32             key,
               gboolean            exit_is_return,
               gboolean            counted)
{
  GArray *pieces = pieces_new ();
  Piece *piece;

  switch (parameter->action)
    {
    case PAL_ACTION_DROP:
    case PAL_ACTION_REJECT:
    case PAL_ACTION_TRIGGER:
      add_denied_log (pieces, document, key, pal_action_to_string (parameter->action));
      break;
    default:
      break;
    }

  switch (parameter->action)
    {
    case PAL_ACTION_GROUP:
    case PAL_ACTION_COUNT:
      add_piece (pieces, counted);
      break;
    case PAL_ACTION_PASS:
      add_verdict (pieces, NF_ACCEPT, counted);
      break;
    case PAL_ACTION_DROP:
      add_verdict (pieces, NF_DROP, counted);
      break;
    case PAL_ACTION_REJECT:
      add_reject (pieces, parameter->reject, counted);
      break;
    case PAL_ACTION_EXIT_GROUP:
      piece = add_piece (pieces, counted);
      g_ptr_array_add (piece->stmts, exit_stmt (hook, exit_is_return));
      break;
    case PAL_ACTION_TRIGGER:
      add_list_updates (pieces, PAL_LIST_TRIGGERED, document, hook, parameter, FALSE, NFT_CONTINUE);
      add_verdict (pieces, NF_DROP, counted);
      break;
    case PAL_ACTION_AUTHORIZE:
      add_list_updates (pieces, PAL_LIST_AUTHORIZED, document, hook, parameter, counted, NF_ACCEPT);
      break;
    case PAL_ACTION_KEEP_ADDRESS:
      add_list_updates (pieces, PAL_LIST_KEPT, document, hook, parameter, counted, NFT_CONTINUE);
      break;
    case PAL_ACTION_LOG:
    case PAL_ACTION_ALERT:
      piece = add_piece (pieces, counted);
      g_ptr_array_add (piece->stmts,
                       log_stmt (parameter->action == PAL_ACTION_LOG ? PAL_LOG_GROUP_LOG : PAL_LOG_GROUP_ALERT,
                                 key, parameter->text));
      break;
    case PAL_ACTION_RATE_LIMIT:
      {
        static const guint64 units[] = { 1, 60, 3600, 86400 };
        PalNftStmt *stmt;

        piece = add_piece (pieces, counted);
        stmt = pal_nft_stmt_new (PAL_NFT_STMT_LIMIT);
        stmt->rate = parameter->rate;
        stmt->unit = units[parameter->rate_unit];
        stmt->burst = parameter->burst != 0 ? parameter->burst : 5;
        g_ptr_array_add (piece->stmts, stmt);
        g_ptr_array_add (piece->stmts, pal_nft_stmt_new_verdict (NF_DROP, NULL));
        break;
      }
    default:
      g_assert_not_reached ();
    }
  return pieces;
}

static PalNftStmt *
count_stmt (guint32 key)
{
  PalNftStmt *stmt = pal_nft_stmt_new (PAL_NFT_STMT_COUNT);

  stmt->set_name = pal_nft_hits_set_name (key);
  stmt->key = key;
  return stmt;
}

/* A kernel rule for each alternative and piece: alternative ∧ piece. */
static void
emit_pieces (GPtrArray       *alternatives,
             GArray          *pieces,
             const PalNftTag *tag,
             guint32          key,
             const char      *path,
             GPtrArray       *out)
{
  for (guint a = 0; a < alternatives->len; a++)
    for (guint p = 0; p < pieces->len; p++)
      {
        Piece *piece = &g_array_index (pieces, Piece, p);
        g_autoptr(GPtrArray) atoms = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_atom_free);
        GPtrArray *alternative = g_ptr_array_index (alternatives, a);
        GPtrArray *stmts = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_stmt_free);
        PalNftKernelRule *rule;
        PalNftTag rule_tag;
        gboolean possible = TRUE;

        for (guint i = 0; possible && i < alternative->len; i++)
          possible = pal_nft_alternative_add (atoms, g_ptr_array_index (alternative, i));
        for (guint i = 0; possible && i < piece->atoms->len; i++)
          possible = pal_nft_alternative_add (atoms, g_ptr_array_index (piece->atoms, i));
        if (!possible)
          {
            g_ptr_array_unref (stmts);
            continue;
          }
        if (piece->counted)
          g_ptr_array_add (stmts, count_stmt (key));
        for (guint i = 0; i < piece->stmts->len; i++)
          g_ptr_array_add (stmts, pal_nft_stmt_copy (g_ptr_array_index (piece->stmts, i)));

        pal_nft_tag_copy (tag, &rule_tag);
        if (tag->role == PAL_NFT_ROLE_RULE && !piece->counted)
          rule_tag.role = PAL_NFT_ROLE_PART;
        rule = pal_nft_kernel_rule_new (&rule_tag, g_steal_pointer (&atoms), stmts);
        rule->path = g_strdup (path);
        g_ptr_array_add (out, rule);
      }
}

static char *
child_chain_name (PalNftHook  hook,
                  PalRule    *rule)
{
  return g_strdup_printf ("%s-%s", pal_nft_hook_get_name (hook), pal_rule_get_id (rule));
}

static void
append_uint (GString *text,
             guint    number)
{
  char digits[12];
  guint n = 0;

  do
    digits[n++] = (char) ('0' + number % 10);
  while ((number /= 10) > 0);
  while (n > 0)
    g_string_append_c (text, digits[--n]);
}

/* Memo */

static void
memo_entry_forget_compiled (MemoEntry *entry)
{
  entry->hooks = 0;
  for (guint h = 0; h < PAL_NFT_N_HOOKS; h++)
    g_clear_pointer (&entry->rules[h], g_ptr_array_unref);
}

static void
memo_entry_free (gpointer data)
{
  MemoEntry *entry = data;

  memo_entry_forget_compiled (entry);
  g_free (entry->id);
  g_free (entry->text);
  g_free (entry);
}

PalNftMemo *
pal_nft_memo_new (void)
{
  PalNftMemo *memo = g_new0 (PalNftMemo, 1);

  memo->entries = g_hash_table_new_full (pal_id_hash, g_str_equal, NULL, memo_entry_free);
  memo->pending = g_ptr_array_new ();
  return memo;
}

void
pal_nft_memo_free (PalNftMemo *memo)
{
  if (memo == NULL)
    return;
  g_hash_table_unref (memo->entries);
  g_ptr_array_unref (memo->pending);
  g_free (memo);
}

static const char *
nonnull (const char *text)
{
  return text != NULL ? text : "";
}

static gboolean
memo_entry_is (MemoEntry  *entry,
               PalRule    *rule,
               const char *path)
{
  return entry->property == pal_rule_get_property (rule)
         && entry->relation == pal_rule_get_relation (rule)
         && entry->action == pal_rule_get_action (rule)
         && entry->read_only == pal_rule_get_read_only (rule)
         && strcmp (entry->text, nonnull (pal_rule_get_value (rule))) == 0
         && strcmp (entry->text + entry->parameter_at, nonnull (pal_rule_get_parameter (rule))) == 0
         && strcmp (entry->text + entry->name_at, nonnull (pal_rule_get_name (rule))) == 0
         && strcmp (entry->text + entry->path_at, path) == 0;
}

static void
memo_entry_set (MemoEntry  *entry,
                PalRule    *rule,
                const char *path)
{
  const char *parts[] = { nonnull (pal_rule_get_value (rule)), nonnull (pal_rule_get_parameter (rule)),
                          nonnull (pal_rule_get_name (rule)), path };
  gsize lengths[G_N_ELEMENTS (parts)], total = 0;
  char *at;

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    total += (lengths[i] = strlen (parts[i]) + 1);
  g_free (entry->text);
  entry->text = at = g_malloc (total);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      memcpy (at, parts[i], lengths[i]);
      at += lengths[i];
    }
  entry->parameter_at = lengths[0];
  entry->name_at = entry->parameter_at + lengths[1];
  entry->path_at = entry->name_at + lengths[2];
  entry->property = pal_rule_get_property (rule);
  entry->relation = pal_rule_get_relation (rule);
  entry->action = pal_rule_get_action (rule);
  entry->read_only = pal_rule_get_read_only (rule);
  entry->validated = FALSE;
  memo_entry_forget_compiled (entry);
}

/* PalValidateKnownFunc: whether the rule is as the memo has it, found
 * valid; otherwise it is recorded (valid once the whole document is). */
static gboolean
memo_known (PalNftMemo  *memo,
            PalRule     *rule,
            const char  *path,
            MemoEntry  **found)
{
  const char *id = pal_rule_get_id (rule);
  MemoEntry *entry = g_hash_table_lookup (memo->entries, id);

  /* The same id twice: the validator says so, the memo stays out of it. */
  if (entry != NULL && entry->stamp == memo->stamp)
    return FALSE;
  memo->seen++;
  if (!pal_rule_get_enabled (rule))
    memo->disabled++;
  if (entry == NULL)
    {
      entry = g_new0 (MemoEntry, 1);
      entry->id = g_strdup (id);
      g_hash_table_insert (memo->entries, entry->id, entry);
    }
  *found = entry;
  if (entry->validated && memo_entry_is (entry, rule, path))
    {
      entry->stamp = memo->stamp;
      return TRUE;
    }
  memo_entry_set (entry, rule, path);
  entry->stamp = memo->stamp;
  g_ptr_array_add (memo->pending, entry);
  return FALSE;
}

/* The position at the end of a rule's path ("…[12]"). */
static guint
path_position (const char *path)
{
  const char *at = path + strlen (path);
  guint position = 0, scale = 1;

  if (at == path || at[-1] != ']')
    return 0;
  for (at -= 2; at >= path && g_ascii_isdigit (*at); at--, scale *= 10)
    position += (guint) (*at - '0') * scale;
  return position;
}

/* Ends the subtrees of the open nodes from depth on. */
static void
close_nodes (Reading *reading,
             guint    depth)
{
  while (reading->n_open > depth)
    {
      guint at = reading->open[--reading->n_open];

      g_array_index (reading->nodes, Node, at).size = reading->nodes->len - at;
    }
}

/* PalValidateKnownFunc: adds the rule to the outline (after its parent's
 * subtree so far), and asks the memo whether it is known. */
static gboolean
read_rule (PalRule    *rule,
           const char *path,
           gpointer    user_data)
{
  Reading *reading = user_data;
  PalRule *parent = pal_rule_get_parent (rule);
  Node node = { rule, 1, path_position (path), 0, NULL, pal_rule_get_enabled (rule) && !pal_rule_get_read_only (rule), FALSE };
  gboolean known = FALSE;
  guint depth = reading->n_open;

  while (depth > 0 && g_array_index (reading->nodes, Node, reading->open[depth - 1]).rule != parent)
    depth--;
  close_nodes (reading, depth);
  if (depth > 0 && node.on)
    g_array_index (reading->nodes, Node, reading->open[depth - 1]).has_children = TRUE;
  if (reading->memo != NULL)
    known = memo_known (reading->memo, rule, path, &node.entry);
  if (reading->n_open == G_N_ELEMENTS (reading->open))
    reading->too_deep = TRUE;
  else
    reading->open[reading->n_open++] = reading->nodes->len;
  g_array_append_val (reading->nodes, node);
  return known;
}

static gboolean
memo_entry_is_stale (gpointer key,
                     gpointer value,
                     gpointer user_data)
{
  return ((MemoEntry *) value)->stamp != GPOINTER_TO_UINT (user_data);
}

/* After a validation: what it recorded is valid if the document is;
 * rules the document no longer has are forgotten. */
static void
memo_validated (PalNftMemo *memo,
                gboolean    valid)
{
  for (guint i = 0; valid && i < memo->pending->len; i++)
    ((MemoEntry *) g_ptr_array_index (memo->pending, i))->validated = TRUE;
  g_ptr_array_set_size (memo->pending, 0);
  if (valid && memo->seen < g_hash_table_size (memo->entries))
    g_hash_table_foreach_remove (memo->entries, memo_entry_is_stale, GUINT_TO_POINTER (memo->stamp));
}

/* The memo's entry for a rule compiled in this context (the node's),
 * emptied when the context is not the one it was compiled in; NULL
 * without a memo. */
static MemoEntry *
memo_entry_for (Compiler   *compiler,
                const Node *node,
                const char *path,
                gboolean    exit_is_return,
                gboolean    has_children,
                guint32     key)
{
  guint64 duration = pal_document_get_trigger_duration (compiler->document);
  gboolean log_denied = pal_document_get_log_denied (compiler->document);
  MemoEntry *entry;

  if (compiler->memo == NULL || !compiler->recurse || node == NULL)
    return NULL;
  entry = node->entry;
  /* Validation just recorded every rule of the document. */
  if (entry == NULL || entry->stamp != compiler->memo->stamp || !entry->validated)
    return NULL;
  if (entry->key != key || entry->exit_is_return != exit_is_return || entry->has_children != has_children
      || entry->trigger_duration != duration || entry->log_denied != log_denied
      || strcmp (entry->text + entry->path_at, path) != 0)
    {
      memo_entry_forget_compiled (entry);
      entry->key = key;
      entry->exit_is_return = exit_is_return;
      entry->has_children = has_children;
      entry->trigger_duration = duration;
      entry->log_denied = log_denied;
    }
  return entry;
}

static void
memo_entry_store (MemoEntry *entry,
                  PalNftHook hook,
                  gboolean   present,
                  GPtrArray *out,
                  guint      from)
{
  if (entry == NULL)
    return;
  g_clear_pointer (&entry->rules[hook], g_ptr_array_unref);
  /* None (never in this hook): no array, 100,000 rules add up. */
  if (out->len > from)
    entry->rules[hook] = g_ptr_array_new_full (out->len - from, (GDestroyNotify) pal_nft_kernel_rule_unref);
  for (guint i = from; i < out->len; i++)
    g_ptr_array_add (entry->rules[hook], pal_nft_kernel_rule_ref (g_ptr_array_index (out, i)));
  entry->present[hook] = present;
  entry->hooks |= 1u << hook;
}

static gboolean compile_rules (Compiler    *compiler,
                               guint        first,
                               guint        end,
                               const char  *path,
                               gboolean     exit_is_return,
                               GPtrArray   *out,
                               GError     **error);

static gboolean
has_enabled_children (PalRule *rule)
{
  guint n = pal_rule_get_n_children (rule);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) child = pal_rule_get_child (rule, i);

      if (pal_rule_get_enabled (child) && !pal_rule_get_read_only (child))
        return TRUE;
    }
  return FALSE;
}

static void
make_tag (PalRule        *rule,
          const PalValue *value,
          PalNftTag      *tag)
{
  memset (tag, 0, sizeof *tag);
  tag->role = PAL_NFT_ROLE_RULE;
  tag->id = g_strdup (pal_rule_get_id (rule));
  tag->property = pal_rule_get_property (rule);
  tag->relation = pal_rule_get_relation (rule);
  tag->action = pal_rule_get_action (rule);
  tag->has_rule = TRUE;
  tag->value = pal_value_print (value);
  tag->name = g_strdup (pal_rule_get_name (rule));
}

/* Segments */

static void
move_rules (GPtrArray *from,
            GPtrArray *to)
{
  /* The pointers copied at once, then let go of without unreffing: this
   * runs for every kernel rule of every chain, twice in a segmented one.
   * An empty array may have no pdata, which memset() must not get. */
  if (from->len == 0)
    return;
  g_ptr_array_extend (to, from, NULL, NULL);
  memset (from->pdata, 0, from->len * sizeof (gpointer));
  g_ptr_array_set_size (from, 0);
}

/* A return in a segment would go back to the chain that jumped to it,
 * not leave the group: such chains stay whole. */
static gboolean
has_return (GPtrArray *rules)
{
  for (guint i = 0; i < rules->len; i++)
    {
      PalNftKernelRule *rule = g_ptr_array_index (rules, i);

      for (guint j = 0; j < rule->stmts->len; j++)
        {
          PalNftStmt *stmt = g_ptr_array_index (rule->stmts, j);

          if (stmt->kind == PAL_NFT_STMT_VERDICT && stmt->verdict == NFT_RETURN)
            return TRUE;
        }
    }
  return FALSE;
}

typedef struct
{
  char      *name;
  int        old_place;   /* position among the old segments, -1 before them */
  GPtrArray *rules;
} Segment;

static void
segment_free (gpointer data)
{
  Segment *segment = data;

  g_free (segment->name);
  g_ptr_array_unref (segment->rules);
  g_free (segment);
}

static Segment *
add_segment (GPtrArray  *segments,
             const char *name,
             int         old_place)
{
  Segment *segment = g_new0 (Segment, 1);

  segment->name = g_strdup (name);
  segment->old_place = old_place;
  segment->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_kernel_rule_unref);
  g_ptr_array_add (segments, segment);
  return segment;
}

/* Where each of rules was: the position of its old segment, or -1. */
static GArray *
old_places (PalNftPlan *previous,
            GPtrArray  *old_names,
            guint      *next_number,
            const char *chain,
            GPtrArray  *rules)
{
  g_autoptr(GPtrArray) old_rules = g_ptr_array_new ();
  g_autoptr(GArray) segment_of = g_array_new (FALSE, FALSE, sizeof (int));
  GArray *places;

  for (guint s = 0; s < old_names->len; s++)
    {
      const char *name = g_ptr_array_index (old_names, s);
      PalNftChain *segment = pal_nft_plan_lookup_chain (previous, name);
      guint number = (guint) g_ascii_strtoull (name + strlen (chain) + 1, NULL, 10);
      guint at = old_rules->len;

      *next_number = MAX (*next_number, number + 1);
      if (segment == NULL)
        continue;
      /* A segment at a time, not a rule at a time. */
      g_ptr_array_extend (old_rules, segment->rules, NULL, NULL);
      g_array_set_size (segment_of, old_rules->len);
      for (guint i = at; i < old_rules->len; i++)
        g_array_index (segment_of, int, i) = (int) s;
    }
  places = pal_nft_match_slots (old_rules, rules);
  for (guint j = 0; j < places->len; j++)
    if (g_array_index (places, int, j) >= 0)
      g_array_index (places, int, j) = g_array_index (segment_of, int, g_array_index (places, int, j));
  return places;
}

/* Splits a long chain's rules into segments of its own (added to the
 * plan) and leaves in rules the jumps to them; a short chain stays as it
 * is. With the previous plan, rules stay in the segment they were in. */
static void
segment_chain (Compiler   *compiler,
               const char *chain,
               GPtrArray  *rules)
{
  PalNftChain *old_chain = compiler->previous != NULL ? pal_nft_plan_lookup_chain (compiler->previous, chain) : NULL;
  g_autoptr(GPtrArray) old_names = pal_nft_chain_segments (old_chain);
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (segment_free);
  g_autoptr(GArray) places = NULL;
  gboolean was_split = old_names->len > 0;
  guint next_number = 0;
  Segment *current = NULL;

  if (rules->len <= (was_split ? PAL_NFT_SEGMENT_SIZE / 2 : PAL_NFT_SEGMENT_SPLIT) || has_return (rules))
    return;
  places = old_places (compiler->previous, old_names, &next_number, chain, rules);

  for (guint i = 0; i < rules->len; i++)
    {
      int place = g_array_index (places, int, i);
      guint limit = was_split ? PAL_NFT_SEGMENT_SPLIT : PAL_NFT_SEGMENT_SIZE;

      /* Forward to the rule's old segment; never back. */
      if (place >= 0 && (current == NULL || place > current->old_place))
        current = add_segment (segments, g_ptr_array_index (old_names, place), place);
      else if (current == NULL || current->rules->len >= limit)
        {
          g_autofree char *name = g_strdup_printf ("%s.%u", chain, next_number++);

          current = add_segment (segments, name, current != NULL ? current->old_place : -1);
        }
      g_ptr_array_add (current->rules, g_steal_pointer (&rules->pdata[i]));
    }
  g_ptr_array_set_size (rules, 0);

  for (guint s = 0; s < segments->len; s++)
    {
      Segment *segment = g_ptr_array_index (segments, s);
      PalNftChain *target = pal_nft_plan_add_chain (compiler->plan, segment->name, -1);
      GPtrArray *atoms = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_atom_free);
      GPtrArray *stmts = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_stmt_free);
      PalNftTag tag = { PAL_NFT_ROLE_SEGMENT, };

      move_rules (segment->rules, target->rules);
      g_ptr_array_add (stmts, pal_nft_stmt_new_verdict (NFT_JUMP, segment->name));
      g_ptr_array_add (rules, pal_nft_kernel_rule_new (&tag, atoms, stmts));
    }
}

/* After the children, the parent's own action (not counted again). */
static void
compile_tail (Compiler            *compiler,
              PalRule             *rule,
              const PalParameter  *parameter,
              const char          *path,
              gboolean             exit_is_return,
              guint32              key,
              GPtrArray           *out)
{
  g_autoptr(GPtrArray) always = pal_nft_alternatives_true ();
  g_autoptr(GArray) pieces = NULL;
  PalNftTag tag = { PAL_NFT_ROLE_TAIL, };

  if (parameter->action == PAL_ACTION_EXIT_GROUP)
    {
      /* Falling off a chain entered by goto leaves the parent's group,
       * unless that would skip the default verdict. */
      if (exit_is_return)
        return;
      pieces = pieces_new ();
      g_ptr_array_add (add_piece (pieces, FALSE)->stmts, exit_stmt (compiler->hook, FALSE));
    }
  else if (parameter->action != PAL_ACTION_GROUP && parameter->action != PAL_ACTION_COUNT)
    pieces = action_pieces (compiler->document, compiler->hook, parameter, key, TRUE, FALSE);
  else
    return;
  tag.id = g_strdup (pal_rule_get_id (rule));
  emit_pieces (always, pieces, &tag, 0, path, out);
  pal_nft_tag_clear (&tag);
}

/* The child chain: the children, then the parent's own action. */
static gboolean
compile_child_chain (Compiler            *compiler,
                     const Node          *node,
                     const PalParameter  *parameter,
                     const char          *path,
                     gboolean             exit_is_return,
                     GError             **error)
{
  PalRule *rule = node->rule;
  guint at = (guint) (node - &g_array_index (compiler->outline, Node, 0));
  g_autofree char *name = child_chain_name (compiler->hook, rule);
  g_autofree char *children_path = g_strdup_printf ("%s.children", path);
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_kernel_rule_unref);
  gboolean child_exit = parameter->action == PAL_ACTION_EXIT_GROUP ? exit_is_return : TRUE;
  PalNftChain *chain;

  if (!compile_rules (compiler, at + 1, at + node->size, children_path, child_exit, rules, error))
    return FALSE;

  segment_chain (compiler, name, rules);
  compile_tail (compiler, rule, parameter, path, exit_is_return, node->key, rules);
  chain = pal_nft_plan_add_chain (compiler->plan, name, -1);
  move_rules (rules, chain->rules);
  return TRUE;
}

/* The named list sets (pal-nft-plan.h) the kernel rules from on use. */
static void
add_list_sets (PalNftPlan *plan,
               GPtrArray  *rules,
               guint       from)
{
  for (guint r = from; r < rules->len; r++)
    {
      PalNftKernelRule *rule = g_ptr_array_index (rules, r);

      for (guint i = 0; i < rule->atoms->len; i++)
        {
          PalNftAtom *atom = g_ptr_array_index (rule->atoms, i);
          PalNftSetDef *set;

          if (atom->test != PAL_NFT_TEST_LOOKUP || atom->set_name == NULL || atom->elements == NULL
              || pal_nft_plan_lookup_set (plan, atom->set_name) != NULL)
            continue;
          set = pal_nft_plan_add_set (plan, atom->set_name, PAL_NFT_SET_CONSTANT, atom->field);
          set->elements = pal_nft_elements_ref (atom->elements);
        }
    }
}

static gboolean reuse_rule (Compiler    *compiler,
                            MemoEntry   *entry,
                            const Node  *node,
                            const char  *path,
                            gboolean     exit_is_return,
                            GPtrArray   *out,
                            GError     **error);

/* The kernel rules of one rule in its chain, and its child chain. node:
 * the rule's in the outline; NULL without recursion (a rule alone). */
static gboolean
compile_rule (Compiler    *compiler,
              PalRule     *rule,
              const Node  *node,
              const char  *path,
              gboolean     exit_is_return,
              guint32      key,
              GPtrArray   *out,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PalValue) value = NULL;
  g_autoptr(PalParameter) parameter = NULL;
  g_autoptr(GPtrArray) alternatives = NULL;
  g_autoptr(GArray) pieces = NULL;
  gboolean has_children = node != NULL ? node->has_children : has_enabled_children (rule);
  MemoEntry *entry = memo_entry_for (compiler, node, path, exit_is_return, has_children, key);
  guint from = out->len;
  PalNftTag tag;

  if (entry != NULL && (entry->hooks & (1u << compiler->hook)) != 0)
    return reuse_rule (compiler, entry, node, path, exit_is_return, out, error);

  value = pal_value_parse (pal_rule_get_property (rule), pal_rule_get_value (rule), &local_error);
  if (value == NULL)
    {
      g_autofree char *where = g_strdup_printf ("%s.value", path);

      set_error (error, where, local_error->message);
      return FALSE;
    }
  parameter = pal_parameter_parse (pal_rule_get_action (rule), pal_rule_get_parameter (rule), &local_error);
  if (parameter == NULL)
    {
      g_autofree char *where = g_strdup_printf ("%s.parameter", path);

      set_error (error, where, local_error->message);
      return FALSE;
    }
  alternatives = pal_nft_match_compile (pal_rule_get_property (rule), pal_rule_get_relation (rule),
                                        value, compiler->hook, &local_error);
  if (alternatives == NULL)
    {
      g_autofree char *where = g_strdup_printf ("%s.value", path);

      set_error (error, where, local_error->message);
      return FALSE;
    }
  /* Lists as rules, not sets (pal-nft-match.h); but a rate limit is a
   * limiter per kernel rule, which copies would multiply. */
  if (pal_rule_get_action (rule) != PAL_ACTION_RATE_LIMIT)
    alternatives = pal_nft_alternatives_split (g_steal_pointer (&alternatives));
  pal_nft_alternatives_name_lists (alternatives);
  if (alternatives->len == 0)
    {
      memo_entry_store (entry, compiler->hook, FALSE, out, from);
      return TRUE;   /* never in this hook: nor are its children */
    }

  make_tag (rule, value, &tag);
  if (has_children)
    {
      g_autofree char *name = child_chain_name (compiler->hook, rule);
      gboolean goto_entry = pal_rule_get_action (rule) == PAL_ACTION_EXIT_GROUP;
      Piece *piece;

      if (compiler->recurse
          && !compile_child_chain (compiler, node, parameter, path, exit_is_return, error))
        {
          pal_nft_tag_clear (&tag);
          return FALSE;
        }
      pieces = pieces_new ();
      piece = add_piece (pieces, TRUE);
      g_ptr_array_add (piece->stmts, pal_nft_stmt_new_verdict (goto_entry ? NFT_GOTO : NFT_JUMP, name));
    }
  else
    pieces = action_pieces (compiler->document, compiler->hook, parameter, key, exit_is_return, TRUE);

  emit_pieces (alternatives, pieces, &tag, key, path, out);
  pal_nft_tag_clear (&tag);
  add_list_sets (compiler->plan, out, from);
  memo_entry_store (entry, compiler->hook, TRUE, out, from);
  return TRUE;
}

/* A rule the memo has, compiled in this context: its kernel rules as
 * they were; its children are compiled as always. */
static gboolean
reuse_rule (Compiler    *compiler,
            MemoEntry   *entry,
            const Node  *node,
            const char  *path,
            gboolean     exit_is_return,
            GPtrArray   *out,
            GError     **error)
{
  GPtrArray *rules = entry->rules[compiler->hook];

  if (entry->present[compiler->hook] && entry->has_children)
    {
      g_autoptr(PalParameter) parameter = pal_parameter_parse (pal_rule_get_action (node->rule),
                                                               pal_rule_get_parameter (node->rule), error);

      if (parameter == NULL
          || !compile_child_chain (compiler, node, parameter, path, exit_is_return, error))
        return FALSE;
    }
  guint from = out->len;

  for (guint i = 0; rules != NULL && i < rules->len; i++)
    g_ptr_array_add (out, pal_nft_kernel_rule_ref (g_ptr_array_index (rules, i)));
  add_list_sets (compiler->plan, out, from);
  return TRUE;
}

/* The rules of the outline's nodes from first to end (siblings and their
 * subtrees). */
static gboolean
compile_rules (Compiler    *compiler,
               guint        first,
               guint        end,
               const char  *path,
               gboolean     exit_is_return,
               GPtrArray   *out,
               GError     **error)
{
  g_autoptr(GString) rule_path = g_string_new (path);
  gsize length = rule_path->len;

  for (guint i = first; i < end; i += g_array_index (compiler->outline, Node, i).size)
    {
      const Node *node = &g_array_index (compiler->outline, Node, i);

      if (!node->on)
        continue;
      /* "path[i]", built by hand: this runs for every rule of every apply. */
      g_string_truncate (rule_path, length);
      g_string_append_c (rule_path, '[');
      append_uint (rule_path, node->position);
      g_string_append_c (rule_path, ']');
      if (!compile_rule (compiler, node->rule, node, rule_path->str, exit_is_return, node->key, out, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
pal_nft_compile_tail (PalRule      *rule,
                      PalDocument  *document,
                      PalNftHook    hook,
                      gboolean      exit_is_return,
                      guint32       key,
                      GPtrArray    *out,
                      GError      **error)
{
  g_autoptr(PalNftPlan) plan = pal_nft_plan_new ();
  Compiler compiler = { document, plan, hook, FALSE };
  g_autoptr(PalParameter) parameter = pal_parameter_parse (pal_rule_get_action (rule),
                                                           pal_rule_get_parameter (rule), error);

  if (parameter == NULL)
    return FALSE;
  compile_tail (&compiler, rule, parameter, "rule", exit_is_return, key, out);
  return TRUE;
}

gboolean
pal_nft_compile_rule_in_chain (PalRule      *rule,
                               PalDocument  *document,
                               PalNftHook    hook,
                               gboolean      exit_is_return,
                               guint32       key,
                               GPtrArray    *out,
                               GError      **error)
{
  g_autoptr(PalNftPlan) plan = pal_nft_plan_new ();
  Compiler compiler = { document, plan, hook, FALSE };

  return compile_rule (&compiler, rule, NULL, "rule", exit_is_return, key, out, error);
}

/* The default verdict, counted under PAL_NFT_DEFAULT_KEY. */
static void
compile_default (PalDocument *document,
                 GPtrArray   *out)
{
  g_autoptr(GArray) pieces = pieces_new ();
  g_autoptr(GPtrArray) always = pal_nft_alternatives_true ();
  PalNftTag tag = { PAL_NFT_ROLE_DEFAULT, };

  /* The default verdict also carries the document's trigger duration,
   * which no other rule may show. */
  tag.duration = pal_document_get_trigger_duration (document);
  /* And log-denied, which a default pass does not show. */
  if (pal_document_get_log_denied (document))
    tag.value = (char *) PAL_NFT_LOG_DENIED;
  if (pal_document_get_default_verdict (document) != PAL_VERDICT_PASS)
    {
      g_autofree char *text = g_strdup_printf ("default %s",
                                               pal_verdict_to_string (pal_document_get_default_verdict (document)));

      add_denied_log (pieces, document, PAL_NFT_DEFAULT_KEY, text);
    }
  switch (pal_document_get_default_verdict (document))
    {
    case PAL_VERDICT_DROP:
      add_verdict (pieces, NF_DROP, TRUE);
      break;
    case PAL_VERDICT_REJECT:
      add_reject (pieces, PAL_REJECT_DEFAULT, TRUE);
      break;
    case PAL_VERDICT_PASS:
    default:
      add_verdict (pieces, NF_ACCEPT, TRUE);
      break;
    }
  emit_pieces (always, pieces, &tag, PAL_NFT_DEFAULT_KEY, "default", out);
}

/* Packets of interfaces the document does not filter pass untouched. */
static void
compile_unfiltered (PalNftHook  hook,
                    GPtrArray  *out)
{
  const PalNftField fields[] = { PAL_NFT_FIELD_IIFNAME, PAL_NFT_FIELD_OIFNAME };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(GPtrArray) stmts = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_stmt_free);
      GPtrArray *atoms = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_atom_free);
      PalNftTag tag = { PAL_NFT_ROLE_UNFILTERED, };

      if ((hook == PAL_NFT_HOOK_INPUT && i == 1) || (hook == PAL_NFT_HOOK_OUTPUT && i == 0))
        {
          g_ptr_array_unref (atoms);
          continue;
        }
      g_ptr_array_add (atoms, pal_nft_atom_new_named_set (fields[i], PAL_NFT_SET_UNFILTERED));
      g_ptr_array_add (stmts, pal_nft_stmt_new_verdict (NF_ACCEPT, NULL));
      g_ptr_array_add (out, pal_nft_kernel_rule_new (&tag, atoms, g_steal_pointer (&stmts)));
    }
}

static gboolean
compile_hook (PalDocument  *document,
              PalNftPlan   *plan,
              PalNftPlan   *previous,
              PalNftMemo   *memo,
              GArray       *outline,
              PalNftHook    hook,
              GError      **error)
{
  Compiler compiler = { document, plan, hook, TRUE, previous, memo, outline };
  g_autoptr(GPtrArray) top = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_kernel_rule_unref);
  g_autofree char *default_name = g_strdup_printf ("default-%s", pal_nft_hook_get_name (hook));
  const char *name = pal_nft_hook_get_name (hook);
  PalNftChain *chain;

  if (!compile_rules (&compiler, 0, outline->len, "rules", FALSE, top, error))
    return FALSE;
  chain = pal_nft_plan_add_chain (plan, default_name, -1);
  compile_default (document, chain->rules);

  /* Segments come before the chain that jumps to them. */
  segment_chain (&compiler, name, top);
  chain = pal_nft_plan_add_chain (plan, name, hook);
  compile_unfiltered (hook, chain->rules);
  move_rules (top, chain->rules);
  compile_default (document, chain->rules);
  return TRUE;
}

/* Keys taken: a bit each below KEY_SET_DENSE (keys are handed out
 * lowest first, so they stay dense), a hash above (only a table someone
 * else wrote has such keys). Hashing every key took a third of an apply
 * with one rule changed. */
#define KEY_SET_DENSE (1u << 22)

typedef struct
{
  GArray     *words;         /* guint64 */
  GHashTable *large;         /* GUINT_TO_POINTER (key), or NULL */
} KeySet;

static void
key_set_init (KeySet *set)
{
  set->words = g_array_new (FALSE, TRUE, sizeof (guint64));
  set->large = NULL;
}

static void
key_set_clear (KeySet *set)
{
  g_array_unref (set->words);
  g_clear_pointer (&set->large, g_hash_table_unref);
}

static gboolean
key_set_has (KeySet  *set,
             guint32  key)
{
  if (key >= KEY_SET_DENSE)
    return set->large != NULL && g_hash_table_contains (set->large, GUINT_TO_POINTER (key));
  return key / 64 < set->words->len
         && (g_array_index (set->words, guint64, key / 64) & (G_GUINT64_CONSTANT (1) << (key % 64))) != 0;
}

static void
key_set_add (KeySet  *set,
             guint32  key)
{
  if (key >= KEY_SET_DENSE)
    {
      if (set->large == NULL)
        set->large = g_hash_table_new (NULL, NULL);
      g_hash_table_add (set->large, GUINT_TO_POINTER (key));
      return;
    }
  if (key / 64 >= set->words->len)
    g_array_set_size (set->words, key / 64 + 1);
  g_array_index (set->words, guint64, key / 64) |= G_GUINT64_CONSTANT (1) << (key % 64);
}

/* A rule that has a key (on, ours), with the previous plan's key if it
 * keeps one. */
typedef struct
{
  Node     *node;
  guint32   key;
  gboolean  kept;
} KeyClaim;

/* Keys: kept from the previous plan for rules that stay, so their counters
 * continue; new rules get the lowest key no rule had before, so an
 * element is never deleted and added again in one batch. When every rule
 * keeps its key and no other had one, the plan shares the previous
 * plan's table (which the diff then knows at once to be the same). Each
 * node gets its rule's key. */
static void
assign_keys (GArray      *outline,
             PalNftPlan  *plan,
             PalNftPlan  *previous)
{
  g_autoptr(GArray) claims = g_array_new (FALSE, FALSE, sizeof (KeyClaim));
  guint32 next = PAL_NFT_DEFAULT_KEY + 1;
  guint kept = 0;
  KeySet taken;

  key_set_init (&taken);
  key_set_add (&taken, PAL_NFT_DEFAULT_KEY);
  /* Outline order; nothing below a rule that is off has a key. */
  for (guint i = 0; i < outline->len;)
    {
      Node *node = &g_array_index (outline, Node, i);
      KeyClaim claim = { node, 0, FALSE };
      gpointer key;

      i += node->on ? 1 : node->size;
      if (!node->on)
        continue;
      if (previous != NULL
          && g_hash_table_lookup_extended (previous->keys, pal_rule_get_id (node->rule), NULL, &key)
          && !key_set_has (&taken, GPOINTER_TO_UINT (key)))
        {
          claim.key = GPOINTER_TO_UINT (key);
          claim.kept = TRUE;
          key_set_add (&taken, claim.key);
          kept++;
        }
      g_array_append_val (claims, claim);
    }
  if (previous != NULL && kept == claims->len && kept == g_hash_table_size (previous->keys))
    {
      g_hash_table_unref (plan->keys);
      plan->keys = g_hash_table_ref (previous->keys);
    }
  else
    {
      for (guint i = 0; i < claims->len; i++)
        {
          KeyClaim *claim = &g_array_index (claims, KeyClaim, i);

          if (claim->kept)
            g_hash_table_insert (plan->keys, g_strdup (pal_rule_get_id (claim->node->rule)),
                                 GUINT_TO_POINTER (claim->key));
        }
      if (previous != NULL)
        {
          GHashTableIter iter;
          gpointer key;

          g_hash_table_iter_init (&iter, previous->keys);
          while (g_hash_table_iter_next (&iter, NULL, &key))
            key_set_add (&taken, GPOINTER_TO_UINT (key));
        }
      for (guint i = 0; i < claims->len; i++)
        {
          KeyClaim *claim = &g_array_index (claims, KeyClaim, i);
          const char *id = pal_rule_get_id (claim->node->rule);

          if (claim->kept || g_hash_table_contains (plan->keys, id))
            continue;   /* the same id twice: the validator's business */
          while (key_set_has (&taken, next))
            next++;
          g_hash_table_insert (plan->keys, g_strdup (id), GUINT_TO_POINTER (next));
          key_set_add (&taken, next);
          claim->key = next;
        }
    }
  for (guint i = 0; i < claims->len; i++)
    {
      KeyClaim *claim = &g_array_index (claims, KeyClaim, i);

      claim->node->key = claim->kept ? claim->key
                                     : GPOINTER_TO_UINT (g_hash_table_lookup (plan->keys,
                                                                              pal_rule_get_id (claim->node->rule)));
    }
  key_set_clear (&taken);
}

static void
add_constant_set (PalNftPlan     *plan,
                  const char     *name,
                  PalNftElements *elements)
{
  PalNftSetDef *set = pal_nft_plan_add_set (plan, name, PAL_NFT_SET_CONSTANT, elements->field);

  pal_nft_elements_normalize (elements);
  set->elements = pal_nft_elements_ref (elements);
}

static void
add_interface_sets (PalDocument *document,
                    PalNftPlan  *plan)
{
  g_autoptr(PalNftElements) external = pal_nft_elements_new (PAL_NFT_FIELD_IIFNAME);
  g_autoptr(PalNftElements) unfiltered = pal_nft_elements_new (PAL_NFT_FIELD_IIFNAME);
  GListModel *interfaces = pal_document_get_interfaces (document);
  guint n = g_list_model_get_n_items (interfaces);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalInterfaceConfig) config = g_list_model_get_item (interfaces, i);
      const char *name = pal_interface_config_get_name (config);
      guint8 key[16] = { 0 };

      memcpy (key, name, MIN (strlen (name), sizeof key - 1));
      if (pal_interface_config_get_external (config))
        pal_nft_elements_add (external, key, key);
      if (!pal_interface_config_get_filter (config))
        pal_nft_elements_add (unfiltered, key, key);
    }
  add_constant_set (plan, PAL_NFT_SET_EXTERNAL, external);
  add_constant_set (plan, PAL_NFT_SET_UNFILTERED, unfiltered);
}

static gboolean
add_trusted_sets (PalDocument  *document,
                  PalNftPlan   *plan,
                  GError      **error)
{
  g_autoptr(PalNftElements) v4 = pal_nft_elements_new (PAL_NFT_FIELD_IP_SADDR);
  g_autoptr(PalNftElements) v6 = pal_nft_elements_new (PAL_NFT_FIELD_IP6_SADDR);
  const char * const *trusted = pal_document_get_trusted (document);

  for (guint i = 0; trusted != NULL && trusted[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(PalValue) value = pal_value_parse (PAL_PROPERTY_SOURCE_ADDRESS, trusted[i], &local_error);

      if (value == NULL)
        {
          g_autofree char *path = g_strdup_printf ("triggered.trusted[%u]", i);

          set_error (error, path, local_error->message);
          return FALSE;
        }
      for (guint j = 0; j < value->addresses->len; j++)
        {
          PalAddressRange *range = &g_array_index (value->addresses, PalAddressRange, j);

          pal_nft_elements_add (range->family == AF_INET6 ? v6 : v4, range->first, range->last);
        }
    }
  add_constant_set (plan, "trusted4", v4);
  add_constant_set (plan, "trusted6", v6);
  return TRUE;
}

static void
add_sets (PalNftPlan *plan)
{
  static const PalList lists[] = { PAL_LIST_TRIGGERED, PAL_LIST_AUTHORIZED, PAL_LIST_KEPT };
  g_autoptr(PalNftElements) ported = pal_nft_elements_new (PAL_NFT_FIELD_L4PROTO);
  const guint8 protocols[] = { 6, 17, 33, 132, 136 };   /* tcp udp dccp sctp udplite */
  guint32 max_key = PAL_NFT_DEFAULT_KEY;
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    pal_nft_elements_add (ported, &protocols[i], &protocols[i]);
  add_constant_set (plan, PAL_NFT_SET_PORTED, ported);

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autofree char *v4 = pal_nft_list_set_name (lists[i], AF_INET);
      g_autofree char *v6 = pal_nft_list_set_name (lists[i], AF_INET6);

      pal_nft_plan_add_set (plan, v4, PAL_NFT_SET_DYNAMIC, PAL_NFT_FIELD_IP_SADDR);
      pal_nft_plan_add_set (plan, v6, PAL_NFT_SET_DYNAMIC, PAL_NFT_FIELD_IP6_SADDR);
    }

  g_hash_table_iter_init (&iter, plan->keys);
  while (g_hash_table_iter_next (&iter, NULL, &key))
    max_key = MAX (max_key, GPOINTER_TO_UINT (key));
  for (guint32 k = 0; k <= max_key / PAL_NFT_HITS_PER_SET; k++)
    {
      g_autofree char *name = pal_nft_hits_set_name (k * PAL_NFT_HITS_PER_SET);

      pal_nft_plan_add_set (plan, name, PAL_NFT_SET_HITS, PAL_NFT_FIELD_LENGTH);
    }
}

/* The document's problems; its outline read into nodes (Node). */
static GPtrArray *
validate_reading (PalDocument *document,
                  PalNftMemo  *memo,
                  GArray      *nodes)
{
  Reading reading = { memo, nodes, };
  GPtrArray *problems;

  if (memo != NULL)
    {
      memo->stamp++;
      memo->seen = 0;
      memo->disabled = 0;
    }
  problems = pal_validate_document_known (document, read_rule, &reading);
  close_nodes (&reading, 0);
  /* Cannot be (the validator refuses such a document): never compile a
   * wrong outline. */
  if (reading.too_deep && problems != NULL && problems->len == 0)
    g_ptr_array_add (problems, pal_problem_new (PAL_DOCUMENT_ERROR_LIMIT, "rules", NULL,
                                                "The outline nests too deep."));
  if (memo != NULL)
    memo_validated (memo, problems != NULL && problems->len == 0);
  return problems;
}

GPtrArray *
pal_nft_memo_validate (PalNftMemo  *memo,
                       PalDocument *document)
{
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (Node));

  g_return_val_if_fail (memo != NULL, NULL);
  g_return_val_if_fail (PAL_IS_DOCUMENT (document), NULL);

  return validate_reading (document, memo, nodes);
}

/* Validates the document and reads its outline into nodes (Node). */
static gboolean
validate (PalDocument  *document,
          PalNftMemo   *memo,
          GArray       *nodes,
          GError      **error)
{
  g_autoptr(GPtrArray) problems = validate_reading (document, memo, nodes);
  g_autoptr(GString) text = NULL;

  if (problems == NULL || problems->len == 0)
    return TRUE;
  text = g_string_new (NULL);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = pal_problem_to_string (g_ptr_array_index (problems, i), NULL);

      g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "", line);
    }
  g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT, text->str);
  return FALSE;
}

/* Rules that are off */

#define INERT_RECORD_TYPE "(ssbyyyssss)"

/* The nearest sibling before rule that the kernel holds (not read-only). */
static const char *
previous_sibling (GListModel *siblings,
                  guint       position)
{
  while (position-- > 0)
    {
      g_autoptr(PalRule) other = g_list_model_get_item (siblings, position);

      if (!pal_rule_get_read_only (other))
        return pal_rule_get_id (other);
    }
  return "";
}

static char *
inert_record_at (PalRule    *rule,
                 GListModel *siblings,
                 guint       position)
{
  PalRule *parent = pal_rule_get_parent (rule);
  JsonObject *extra = pal_rule_get_extra (rule);
  g_autofree char *extra_text = NULL;
  g_autoptr(GVariant) record = NULL;

  if (extra != NULL && json_object_get_size (extra) > 0)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), extra);

      extra_text = json_to_string (node, FALSE);
    }
  record = g_variant_ref_sink (g_variant_new (INERT_RECORD_TYPE,
                                              parent != NULL ? pal_rule_get_id (parent) : "",
                                              previous_sibling (siblings, position),
                                              pal_rule_get_enabled (rule),
                                              (guint8) pal_rule_get_property (rule),
                                              (guint8) pal_rule_get_relation (rule),
                                              (guint8) pal_rule_get_action (rule),
                                              pal_rule_get_name (rule),
                                              pal_rule_get_value (rule) != NULL ? pal_rule_get_value (rule) : "",
                                              pal_rule_get_parameter (rule) != NULL ? pal_rule_get_parameter (rule) : "",
                                              extra_text != NULL ? extra_text : ""));
  return g_variant_print (record, FALSE);
}

char *
pal_nft_inert_record (PalRule *rule)
{
  PalRule *parent = pal_rule_get_parent (rule);
  GListModel *siblings = parent != NULL ? pal_rule_get_children (parent) : NULL;
  guint n = siblings != NULL ? g_list_model_get_n_items (siblings) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) other = g_list_model_get_item (siblings, i);

      if (other == rule)
        return inert_record_at (rule, siblings, i);
    }
  return inert_record_at (rule, NULL, 0);
}

PalRule *
pal_nft_inert_rule_from_record (const char  *id,
                                const char  *record,
                                char       **parent,
                                char       **previous)
{
  g_autoptr(GVariant) variant = g_variant_parse (G_VARIANT_TYPE (INERT_RECORD_TYPE), record, NULL, NULL, NULL);
  const char *parent_id, *previous_id, *name, *value, *parameter, *extra;
  guint8 property, relation, action;
  gboolean enabled;
  g_autoptr(PalRule) rule = NULL;

  if (variant == NULL)
    return NULL;
  g_variant_get (variant, "(&s&sbyyy&s&s&s&s)", &parent_id, &previous_id, &enabled, &property, &relation,
                 &action, &name, &value, &parameter, &extra);
  if (property >= PAL_N_PROPERTIES || relation > PAL_RELATION_IS_NOT || action > PAL_ACTION_COUNT)
    return NULL;
  rule = pal_rule_new (property, action);
  if (!pal_rule_set_id (rule, id))
    return NULL;
  pal_rule_set_enabled (rule, enabled);
  pal_rule_set_relation (rule, relation);
  pal_rule_set_name (rule, name);
  pal_rule_set_value (rule, value);
  pal_rule_set_parameter (rule, parameter);
  if (*extra != '\0')
    {
      g_autoptr(JsonNode) node = json_from_string (extra, NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        pal_rule_set_extra (rule, json_node_get_object (node));
    }
  *parent = *parent_id != '\0' ? g_strdup (parent_id) : NULL;
  *previous = *previous_id != '\0' ? g_strdup (previous_id) : NULL;
  return g_steal_pointer (&rule);
}

/* The inert rules of one record, cut at characters. */
static void
add_inert_pieces (const char *id,
                  const char *record,
                  GPtrArray  *out)
{
  const char *at = record;

  do
    {
      const char *end = at;
      PalNftTag tag = { PAL_NFT_ROLE_INERT, };

      while (*end != '\0' && (gsize) (g_utf8_next_char (end) - at) <= PAL_NFT_INERT_PIECE)
        end = g_utf8_next_char (end);
      GPtrArray *stmts = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_stmt_free);

      tag.id = g_strdup (id);
      tag.value = g_strndup (at, end - at);
      /* nft cannot load a rule without a statement; continue is none. */
      g_ptr_array_add (stmts, pal_nft_stmt_new_verdict (NFT_CONTINUE, NULL));
      g_ptr_array_add (out, pal_nft_kernel_rule_new (&tag,
                                                     g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_atom_free),
                                                     stmts));
      at = end;
    }
  while (*at != '\0');
}

/* Every rule that is off, in outline order (so a rule's parent and
 * previous sibling always come before it). */
static void
collect_inert (GListModel *rules,
               gboolean    parent_on,
               GPtrArray  *out)
{
  guint n = g_list_model_get_n_items (rules);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (rules, i);
      gboolean on = parent_on && pal_rule_get_enabled (rule);

      if (pal_rule_get_read_only (rule))
        continue;
      if (!on)
        {
          g_autofree char *record = inert_record_at (rule, rules, i);

          add_inert_pieces (pal_rule_get_id (rule), record, out);
        }
      collect_inert (pal_rule_get_children (rule), on, out);
    }
}

static void
compile_inert (PalDocument *document,
               PalNftPlan  *plan,
               PalNftPlan  *previous,
               PalNftMemo  *memo)
{
  Compiler compiler = { document, plan, PAL_NFT_HOOK_INPUT, FALSE, previous };
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_nft_kernel_rule_unref);
  PalNftChain *chain;

  /* The memo's validation saw every rule: none off, nothing to collect. */
  if (memo != NULL && memo->disabled == 0)
    return;
  collect_inert (pal_document_get_rules (document), TRUE, rules);
  if (rules->len == 0)
    return;
  segment_chain (&compiler, PAL_NFT_INERT_CHAIN, rules);
  chain = pal_nft_plan_add_chain (plan, PAL_NFT_INERT_CHAIN, -1);
  move_rules (rules, chain->rules);
}

PalNftPlan *
pal_nft_compile (PalDocument  *document,
                 PalNftPlan   *previous,
                 GError      **error)
{
  return pal_nft_compile_with_memo (document, previous, NULL, error);
}

PalNftPlan *
pal_nft_compile_with_memo (PalDocument  *document,
                           PalNftPlan   *previous,
                           PalNftMemo   *memo,
                           GError      **error)
{
  g_autoptr(PalNftPlan) plan = NULL;
  g_autoptr(GArray) outline = g_array_new (FALSE, FALSE, sizeof (Node));

  g_return_val_if_fail (PAL_IS_DOCUMENT (document), NULL);

  if (!validate (document, memo, outline, error))
    return NULL;
  plan = pal_nft_plan_new ();
  plan->dormant = !pal_document_get_enabled (document);
  assign_keys (outline, plan, previous);
  add_interface_sets (document, plan);
  if (!add_trusted_sets (document, plan, error))
    return NULL;
  add_sets (plan);
  for (PalNftHook hook = 0; hook < PAL_NFT_N_HOOKS; hook++)
    if (!compile_hook (document, plan, previous, memo, outline, hook, error))
      return NULL;
  compile_inert (document, plan, previous, memo);
  return g_steal_pointer (&plan);
}
