/* pal-firewall.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <unistd.h>

#include "pal-firewall.h"
#include "pal-helper-error.h"
#include "pal-nft-active.h"
#include "pal-nft-compiler.h"
#include "pal-nft-counters.h"
#include "pal-nft-diff.h"
#include "pal-nft-dump.h"
#include "pal-nft-export.h"
#include "pal-log-prefix.h"
#include "pal-nft-layout.h"
#include "pal-nft-monitor.h"
#include "pal-nft-socket.h"
#include "pal-validator.h"

/* Tries of a consistent read (the ruleset changing while we read it). */
#define READ_TRIES 5

struct _PalFirewall
{
  GObject        parent_instance;

  GMutex         lock;
  PalNftSocket  *socket;
  PalNftMonitor *monitor;
  GSource       *monitor_source;
  GMainContext  *context;
  guint32        pid;
  char          *program;         /* our own name, as the kernel gives it */

  guint32        generation;      /* the newest we know of */
  guint32        synced;          /* the record holds the table as of this generation */
  PalNftPlan    *record;          /* our table, with handles; NULL: no table */
  gboolean       record_valid;
  PalDocument   *applied;         /* the document last applied (a reference), or NULL */
  char          *conflict;        /* the program that changed our table since synced */
  PalNftPlan    *layout;          /* during a restore: keys and segments to compile with */
  PalNftMemo    *memo;            /* the compiler's, kept between applies */
  PalNftCounters *counters;       /* GetCounterValues: the ids' layout last sent */
};

G_DEFINE_FINAL_TYPE (PalFirewall, pal_firewall, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const ignored_sets[] = {
  "triggered4", "triggered6", "authorized4", "authorized6", "kept4", "kept6", NULL,
};

static void
pal_firewall_finalize (GObject *object)
{
  PalFirewall *self = PAL_FIREWALL (object);

  if (self->monitor_source != NULL)
    {
      g_source_destroy (self->monitor_source);
      g_source_unref (self->monitor_source);
    }
  g_clear_pointer (&self->monitor, pal_nft_monitor_free);
  g_clear_pointer (&self->socket, pal_nft_socket_free);
  g_clear_pointer (&self->record, pal_nft_plan_free);
  g_clear_pointer (&self->memo, pal_nft_memo_free);
  g_clear_pointer (&self->counters, pal_nft_counters_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->applied);
  g_free (self->conflict);
  g_free (self->program);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pal_firewall_parent_class)->finalize (object);
}

static void
pal_firewall_class_init (PalFirewallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pal_firewall_finalize;

  /**
   * PalFirewall::changed:
   * @generation: the ruleset generation after the change
   * @program: the process that made it, as the kernel names it
   *
   * Our table changed, by us or by anyone.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
pal_firewall_init (PalFirewall *self)
{
  g_mutex_init (&self->lock);
  self->memo = pal_nft_memo_new ();
  self->counters = pal_nft_counters_new ();
  self->pid = (guint32) getpid ();
  if (g_file_get_contents ("/proc/self/comm", &self->program, NULL, NULL))
    g_strstrip (self->program);
  else
    self->program = g_get_prgname () != NULL ? g_strdup (g_get_prgname ()) : g_strdup ("palisade-helper");
}

/* Signals */

typedef struct
{
  PalFirewall *self;
  guint32      generation;
  char        *program;
} Emission;

static gboolean
emit_changed (gpointer data)
{
  Emission *emission = data;

  g_signal_emit (emission->self, signals[SIGNAL_CHANGED], 0, emission->generation, emission->program);
  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *emission = data;

  g_object_unref (emission->self);
  g_free (emission->program);
  g_free (emission);
}

/* Always through an idle source, so handlers never run under our lock. */
static void
queue_changed (PalFirewall *self,
               guint32      generation,
               const char  *program)
{
  g_autoptr(GSource) source = g_idle_source_new ();
  Emission *emission = g_new0 (Emission, 1);

  emission->self = g_object_ref (self);
  emission->generation = generation;
  emission->program = g_strdup (program);
  g_source_set_callback (source, emit_changed, emission, emission_free);
  g_source_set_static_name (source, "PalFirewall changed");
  g_source_attach (source, self->context);
}

/* Events: call with the lock held. */

static void
process_events (PalFirewall *self)
{
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (PalNftGenEvent));
  gboolean complete = pal_nft_monitor_drain (self->monitor, events);

  for (guint i = 0; i < events->len; i++)
    {
      PalNftGenEvent *event = &g_array_index (events, PalNftGenEvent, i);
      gboolean ours = event->pid == self->pid;

      self->generation = MAX (self->generation, event->generation);
      /* A commit that left our table alone keeps the record true. */
      if (!event->touched)
        {
          if (event->generation == self->synced + 1 && self->record_valid && self->conflict == NULL)
            self->synced = event->generation;
          continue;
        }
      queue_changed (self, event->generation, event->program);
      if (!ours && event->generation > self->synced && self->record_valid)
        {
          g_free (self->conflict);
          self->conflict = g_strdup (*event->program != '\0' ? event->program : "another program");
        }
    }
  /* Lost events: what changed is unknown, so read the table again before
   * trusting the record. */
  if (!complete)
    self->record_valid = FALSE;
}

static gboolean
on_monitor_ready (gpointer user_data)
{
  PalFirewall *self = user_data;

  g_mutex_lock (&self->lock);
  process_events (self);
  g_mutex_unlock (&self->lock);
  return G_SOURCE_CONTINUE;
}

PalFirewall *
pal_firewall_new (GError **error)
{
  g_autoptr(PalFirewall) self = g_object_new (PAL_TYPE_FIREWALL, NULL);

  self->context = g_main_context_ref_thread_default ();
  self->socket = pal_nft_socket_new (error);
  if (self->socket == NULL)
    return NULL;
  self->monitor = pal_nft_monitor_new (PAL_NFT_TABLE, NFPROTO_INET, ignored_sets, error);
  if (self->monitor == NULL)
    return NULL;
  if (!pal_nft_socket_get_generation (self->socket, &self->generation, error))
    return NULL;
  self->monitor_source = pal_nft_monitor_create_source (self->monitor);
  /* The source holds no reference: finalize destroys it first. */
  g_source_set_callback (self->monitor_source, on_monitor_ready, self, NULL);
  g_source_attach (self->monitor_source, self->context);
  return g_steal_pointer (&self);
}

/* The record: call with the lock held. */

static gboolean
load_record (PalFirewall  *self,
             GError      **error)
{
  for (guint attempt = 0; attempt < READ_TRIES; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(PalNftPlan) plan = NULL;
      guint32 before, after;

      if (!pal_nft_socket_get_generation (self->socket, &before, error))
        return FALSE;
      if (!pal_nft_dump_table (self->socket, &plan, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_BUSY))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!pal_nft_socket_get_generation (self->socket, &after, error))
        return FALSE;
      if (before != after)
        continue;
      process_events (self);
      g_clear_pointer (&self->record, pal_nft_plan_free);
      self->record = g_steal_pointer (&plan);
      self->record_valid = TRUE;
      self->synced = after;
      self->generation = MAX (self->generation, after);
      g_clear_pointer (&self->conflict, g_free);
      return TRUE;
    }
  g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_BUSY,
                       "The ruleset kept changing while Palisade read its table");
  return FALSE;
}

static gboolean
ensure_record (PalFirewall  *self,
               GError      **error)
{
  process_events (self);
  if (self->record_valid)
    return TRUE;
  return load_record (self, error);
}

/* Reports a change of our table by someone else once; the record is read
 * again, so the next apply goes through. */
static gboolean
check_conflict (PalFirewall  *self,
                GError      **error)
{
  g_autofree char *program = NULL;

  process_events (self);
  if (self->conflict == NULL)
    return TRUE;
  program = g_steal_pointer (&self->conflict);
  self->record_valid = FALSE;
  g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_CONFLICT,
               "Another program (%s) changed the Palisade table since it was read; "
               "check it with Show Active, then apply again", program);
  return FALSE;
}

/* After our commit: the generation it made, and the new rules' handles. */
static void
adopt_plan (PalFirewall *self,
            PalNftPlan  *plan,
            GPtrArray   *dirty,
            guint32      before)
{
  g_autoptr(GError) error = NULL;
  guint32 now = 0;

  g_clear_pointer (&self->record, pal_nft_plan_free);
  self->record = plan;
  if (!pal_nft_socket_get_generation (self->socket, &now, &error))
    now = 0;
  /* Exactly one commit since ours was checked, so it is ours. The
   * monitor did not listen to it (see send_plan): tell it ourselves. */
  if (now == before + 1 && self->record_valid && self->conflict == NULL)
    self->synced = now;
  else
    self->record_valid = FALSE;
  queue_changed (self, before + 1, self->program);
  self->generation = MAX (self->generation, now);
  if (self->record_valid && !pal_nft_dump_handles (self->socket, self->record, dirty, &error))
    self->record_valid = FALSE;
}

/* After a commit of set elements the monitor did not hear (committed:
 * whether the batch was taken): the generations around it say whether
 * anyone else committed meanwhile, unheard too. */
static void
account_unheard (PalFirewall *self,
                 gboolean     committed,
                 gboolean     counted,
                 guint32      before,
                 guint32      after)
{
  if (!counted || after != before + (committed ? 1 : 0))
    {
      self->record_valid = FALSE;   /* read the table again before trusting it */
      return;
    }
  self->generation = MAX (self->generation, after);
  /* Like an untouched commit the monitor heard (process_events). */
  if (committed && self->synced == before && self->record_valid && self->conflict == NULL)
    self->synced = after;
}

gboolean
pal_firewall_send_set_elements (PalFirewall   *self,
                                PalNftSocket  *socket,
                                PalNftBatch   *batch,
                                GError       **error)
{
  guint32 before = 0, after = 0;
  gboolean counted, ok;

  g_return_val_if_fail (PAL_IS_FIREWALL (self), FALSE);
  g_return_val_if_fail (socket != NULL && batch != NULL, FALSE);

  if (!g_mutex_trylock (&self->lock))
    return pal_nft_socket_send_batch (socket, batch, error);
  /* What others did before is read first (as send_plan does). */
  process_events (self);
  pal_nft_monitor_set_listening (self->monitor, FALSE);
  counted = pal_nft_socket_get_generation (self->socket, &before, NULL);
  ok = pal_nft_socket_send_batch (socket, batch, error);
  pal_nft_monitor_set_listening (self->monitor, TRUE);
  counted = counted && pal_nft_socket_get_generation (self->socket, &after, NULL);
  account_unheard (self, ok, counted, before, after);
  g_mutex_unlock (&self->lock);
  return ok;
}

/* For G_MESSAGES_DEBUG: how long each step of an operation took. */
static void
log_step (const char *step,
          gint64     *since)
{
  gint64 now = g_get_monotonic_time ();

  g_debug ("%s: %.1f ms", step, (now - *since) / 1000.0);
  *since = now;
}

/* unchanged: set when there was nothing to send. */
static gboolean
send_plan (PalFirewall  *self,
           PalNftPlan   *plan,
           GPtrArray    *dirty,
           gboolean     *unchanged,
           GError      **error)
{
  g_autoptr(PalNftBatch) batch = pal_nft_batch_new (self->synced);
  gint64 clock = g_get_monotonic_time ();
  gboolean ok;

  pal_nft_diff (self->record, plan, batch, dirty);
  *unchanged = pal_nft_batch_is_empty (batch);
  log_step ("apply: diff", &clock);
  g_debug ("apply: batch of %u messages, %" G_GSIZE_FORMAT " bytes",
           pal_nft_batch_get_n_messages (batch), pal_nft_batch_get_size (batch));
  if (*unchanged)
    return TRUE;
  /* Not listening to our own commit: what others did before it is read
   * first, what they do after it is told by the generation. */
  process_events (self);
  pal_nft_monitor_set_listening (self->monitor, FALSE);
  ok = pal_nft_socket_send_batch (self->socket, batch, error);
  pal_nft_monitor_set_listening (self->monitor, TRUE);
  return ok;
}

static gboolean
apply_locked (PalFirewall  *self,
              PalDocument  *document,
              GError      **error)
{
  g_autoptr(PalNftPlan) plan = NULL;
  g_autoptr(GPtrArray) dirty = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  gboolean unchanged = FALSE;
  gint64 clock = g_get_monotonic_time ();
  guint32 before;

  if (!ensure_record (self, error) || !check_conflict (self, error))
    return FALSE;
  log_step ("apply: record", &clock);
  plan = pal_nft_compile_with_memo (document, self->layout != NULL ? self->layout : self->record,
                                    self->memo, error);
  if (plan == NULL)
    return FALSE;
  log_step ("apply: compile", &clock);

  before = self->synced;
  if (!send_plan (self, plan, dirty, &unchanged, &local_error))
    {
      if (!g_error_matches (local_error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_CONFLICT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* The ruleset changed since we read it: ours, or only other tables?
       * Read our table again; if it is still what we recorded, try once
       * more with the new generation. */
      g_clear_error (&local_error);
      if (!check_conflict (self, error))
        return FALSE;
      {
        g_autoptr(PalNftPlan) recorded = g_steal_pointer (&self->record);
        gboolean was_valid = self->record_valid;

        if (!load_record (self, error))
          return FALSE;
        if (!was_valid || !pal_nft_plan_same_content (recorded, self->record))
          {
            self->record_valid = FALSE;
            g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_CONFLICT,
                                 "Another program changed the Palisade table since it was read; "
                                 "check it with Show Active, then apply again");
            return FALSE;
          }
      }
      g_ptr_array_set_size (dirty, 0);
      g_clear_pointer (&plan, pal_nft_plan_free);
      plan = pal_nft_compile_with_memo (document, self->layout != NULL ? self->layout : self->record,
                                    self->memo, error);
      before = self->synced;
      if (plan == NULL || !send_plan (self, plan, dirty, &unchanged, error))
        return FALSE;
    }
  if (unchanged)
    {
      /* The table already is the plan (with the record's handles). */
      g_clear_pointer (&self->record, pal_nft_plan_free);
      self->record = g_steal_pointer (&plan);
    }
  else
    {
      log_step ("apply: diff and commit", &clock);
      adopt_plan (self, g_steal_pointer (&plan), dirty, before);
    }
  log_step ("apply: handles", &clock);
  /* A reference, not a copy (100,000 rules take a while to copy): Show
   * Active proves whatever it takes from it against the kernel. */
  g_set_object (&self->applied, document);
  return TRUE;
}

GPtrArray *
pal_firewall_validate (PalFirewall *self,
                       PalDocument *document)
{
  GPtrArray *problems;

  g_return_val_if_fail (PAL_IS_FIREWALL (self), NULL);
  g_return_val_if_fail (PAL_IS_DOCUMENT (document), NULL);

  /* Never behind an apply: the caller would then wait for it, where it
   * is told at once that another apply is running. */
  if (!g_mutex_trylock (&self->lock))
    return pal_validate_document (document);
  problems = pal_nft_memo_validate (self->memo, document);
  g_mutex_unlock (&self->lock);
  return problems;
}

gboolean
pal_firewall_apply (PalFirewall  *self,
                    PalDocument  *document,
                    GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (PAL_IS_FIREWALL (self), FALSE);
  g_return_val_if_fail (PAL_IS_DOCUMENT (document), FALSE);

  g_mutex_lock (&self->lock);
  ok = apply_locked (self, document, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

PalDocument *
pal_firewall_get_active (PalFirewall  *self,
                         GError      **error)
{
  g_autoptr(PalNftPlan) plan = NULL;
  PalDocument *document = NULL;

  g_return_val_if_fail (PAL_IS_FIREWALL (self), NULL);

  g_mutex_lock (&self->lock);
  /* Always the kernel's word, never only our record: read it afresh. The
   * reader has now seen any change another program made, so it is no
   * longer a conflict. */
  if (load_record (self, error))
    document = pal_nft_active_document (self->record, self->applied, error);
  g_mutex_unlock (&self->lock);
  return document;
}

/* Rule id → name (borrowed) as the kernel rules' userdata says. */
static GHashTable *
tag_names (PalNftPlan *plan)
{
  GHashTable *names = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint c = 0; c < plan->chains->len; c++)
    {
      PalNftChain *chain = g_ptr_array_index (plan->chains, c);

      for (guint i = 0; i < chain->rules->len; i++)
        {
          PalNftKernelRule *rule = g_ptr_array_index (chain->rules, i);

          if (rule->tag.role == PAL_NFT_ROLE_RULE && rule->tag.id != NULL && rule->tag.name != NULL)
            g_hash_table_insert (names, rule->tag.id, rule->tag.name);
        }
    }
  return names;
}

/* The document's names over them: theirs are whole. */
static void
add_document_names (GListModel *rules,
                    GHashTable *names)
{
  guint n = g_list_model_get_n_items (rules);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (rules, i);

      g_hash_table_insert (names, (gpointer) pal_rule_get_id (rule), (gpointer) pal_rule_get_name (rule));
      add_document_names (pal_rule_get_children (rule), names);
    }
}

GHashTable *
pal_firewall_map_log_rules (PalFirewall  *self,
                            GError      **error)
{
  g_autoptr(GHashTable) rules = pal_log_rules_new ();
  g_autoptr(GHashTable) names = NULL;
  GHashTableIter iter;
  gpointer id, key;

  g_return_val_if_fail (PAL_IS_FIREWALL (self), NULL);

  g_mutex_lock (&self->lock);
  if (!ensure_record (self, error))
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  if (self->record != NULL)
    {
      names = tag_names (self->record);
      if (self->applied != NULL)
        add_document_names (pal_document_get_rules (self->applied), names);
      g_hash_table_iter_init (&iter, self->record->keys);
      while (g_hash_table_iter_next (&iter, &id, &key))
        pal_log_rules_add (rules, GPOINTER_TO_UINT (key), id, g_hash_table_lookup (names, id));
    }
  g_mutex_unlock (&self->lock);
  return g_steal_pointer (&rules);
}

GVariant *
pal_firewall_get_counters (PalFirewall  *self,
                           GError      **error)
{
  g_autoptr(GArray) hits = NULL;
  GVariant *counters = NULL;

  g_return_val_if_fail (PAL_IS_FIREWALL (self), NULL);

  g_mutex_lock (&self->lock);
  hits = pal_nft_dump_hits (self->socket, error);
  if (hits != NULL)
    counters = pal_nft_counters_read_all (self->counters, hits);
  g_mutex_unlock (&self->lock);
  return counters;
}

GVariant *
pal_firewall_get_counter_values (PalFirewall  *self,
                                 guint64       known,
                                 GError      **error)
{
  g_autoptr(GArray) hits = NULL;
  GVariant *values = NULL;

  g_return_val_if_fail (PAL_IS_FIREWALL (self), NULL);

  g_mutex_lock (&self->lock);
  hits = pal_nft_dump_hits (self->socket, error);
  if (hits != NULL)
    values = pal_nft_counters_read (self->counters, hits, known);
  g_mutex_unlock (&self->lock);
  return values;
}

static gboolean
set_enabled_locked (PalFirewall  *self,
                    gboolean      enabled,
                    GError      **error)
{
  g_autoptr(PalNftBatch) batch = NULL;
  gboolean exists, dormant;

  if (!pal_nft_dump_table_flags (self->socket, &exists, &dormant, error))
    return FALSE;
  if (!exists)
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED,
                           "No document has been applied, so there is nothing to switch");
      return FALSE;
    }
  if (dormant == !enabled)
    return TRUE;
  process_events (self);
  /* Only the table's flags change: no generation check needed. */
  batch = pal_nft_batch_new (0);
  pal_nft_diff_dormant (!enabled, batch);
  {
    guint32 before = self->synced;
    guint32 now = 0;
    gboolean ok;

    /* Not listening to our own commit, as in send_plan: the kernel names
     * the thread that made it, and from a worker thread (every D-Bus
     * call) that is not our pid, so it would count as a conflict. */
    pal_nft_monitor_set_listening (self->monitor, FALSE);
    ok = pal_nft_socket_send_batch (self->socket, batch, error);
    pal_nft_monitor_set_listening (self->monitor, TRUE);
    if (!ok)
      return FALSE;
    if (self->record != NULL)
      self->record->dormant = !enabled;
    if (pal_nft_socket_get_generation (self->socket, &now, NULL) && now == before + 1)
      self->synced = now;
    else
      self->record_valid = FALSE;
    queue_changed (self, before + 1, self->program);
    self->generation = MAX (self->generation, now);
  }
  return TRUE;
}

gboolean
pal_firewall_set_enabled (PalFirewall  *self,
                          gboolean      enabled,
                          GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (PAL_IS_FIREWALL (self), FALSE);

  g_mutex_lock (&self->lock);
  ok = set_enabled_locked (self, enabled, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

gboolean
pal_firewall_get_enabled (PalFirewall *self)
{
  gboolean exists = FALSE, dormant = TRUE;

  g_return_val_if_fail (PAL_IS_FIREWALL (self), FALSE);

  g_mutex_lock (&self->lock);
  if (!pal_nft_dump_table_flags (self->socket, &exists, &dormant, NULL))
    exists = FALSE;
  g_mutex_unlock (&self->lock);
  return exists && !dormant;
}

guint32
pal_firewall_get_generation (PalFirewall *self)
{
  guint32 generation;

  g_return_val_if_fail (PAL_IS_FIREWALL (self), 0);

  g_mutex_lock (&self->lock);
  process_events (self);
  generation = self->generation;
  g_mutex_unlock (&self->lock);
  return generation;
}

static void
put_delete_table (PalNftBatch *batch)
{
  struct nftnl_table *table = nftnl_table_alloc ();
  struct nlmsghdr *nlh;

  nftnl_table_set_str (table, NFTNL_TABLE_NAME, PAL_NFT_TABLE);
  nftnl_table_set_u32 (table, NFTNL_TABLE_FAMILY, NFPROTO_INET);
  nlh = pal_nft_batch_begin_message (batch, NFT_MSG_DELTABLE, NFPROTO_INET, 0,
                                     "table inet " PAL_NFT_TABLE);
  nftnl_table_nlmsg_build_payload (nlh, table);
  pal_nft_batch_end_message (batch, nlh);
  nftnl_table_free (table);
}

static gboolean
remove_locked (PalFirewall  *self,
               GError      **error)
{
  g_autoptr(PalNftBatch) batch = NULL;
  gboolean exists, dormant, ok;
  guint32 before, now = 0;

  if (!pal_nft_dump_table_flags (self->socket, &exists, &dormant, error))
    return FALSE;
  if (!exists)
    return TRUE;
  process_events (self);
  before = self->synced;
  batch = pal_nft_batch_new (0);
  put_delete_table (batch);
  /* As in send_plan: the kernel would describe every deleted rule back. */
  pal_nft_monitor_set_listening (self->monitor, FALSE);
  ok = pal_nft_socket_send_batch (self->socket, batch, error);
  pal_nft_monitor_set_listening (self->monitor, TRUE);
  if (!ok)
    return FALSE;
  g_clear_pointer (&self->record, pal_nft_plan_free);
  g_clear_object (&self->applied);
  if (pal_nft_socket_get_generation (self->socket, &now, NULL) && now == before + 1)
    self->synced = now;
  else
    self->record_valid = FALSE;
  queue_changed (self, before + 1, self->program);
  self->generation = MAX (self->generation, now);
  return TRUE;
}

struct _PalFirewallSnapshot
{
  gboolean     exists;
  gboolean     dormant;
  PalDocument *document;
  PalNftPlan  *layout;
};

void
pal_firewall_snapshot_free (PalFirewallSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_clear_object (&snapshot->document);
  g_clear_pointer (&snapshot->layout, pal_nft_plan_free);
  g_free (snapshot);
}

static PalFirewallSnapshot *
snapshot_locked (PalFirewall  *self,
                 GError      **error)
{
  g_autoptr(PalFirewallSnapshot) snapshot = g_new0 (PalFirewallSnapshot, 1);

  if (!pal_nft_dump_table_flags (self->socket, &snapshot->exists, &snapshot->dormant, error))
    return NULL;
  if (!snapshot->exists)
    return g_steal_pointer (&snapshot);
  if (!ensure_record (self, error))
    return NULL;
  if (self->applied != NULL)
    snapshot->document = g_object_ref (self->applied);
  else
    snapshot->document = pal_nft_active_document (self->record, NULL, error);
  if (snapshot->document == NULL)
    return NULL;
  snapshot->layout = pal_nft_plan_copy_layout (self->record);
  return g_steal_pointer (&snapshot);
}

PalFirewallSnapshot *
pal_firewall_snapshot (PalFirewall  *self,
                       GError      **error)
{
  PalFirewallSnapshot *snapshot;

  g_return_val_if_fail (PAL_IS_FIREWALL (self), NULL);

  g_mutex_lock (&self->lock);
  snapshot = snapshot_locked (self, error);
  g_mutex_unlock (&self->lock);
  return snapshot;
}

static gboolean
restore_locked (PalFirewall          *self,
                PalFirewallSnapshot  *snapshot,
                GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok, exists, dormant;

  if (!snapshot->exists)
    return remove_locked (self, error);
  self->layout = snapshot->layout;
  ok = apply_locked (self, snapshot->document, &local_error);
  /* A conflict is told once and the table read again: a rollback must
   * happen anyway, so the second try goes through. */
  if (!ok && g_error_matches (local_error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_CONFLICT))
    {
      g_clear_error (&local_error);
      ok = apply_locked (self, snapshot->document, &local_error);
    }
  self->layout = NULL;
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* The document's own switch may differ from what SetEnabled made it. */
  if (!pal_nft_dump_table_flags (self->socket, &exists, &dormant, error))
    return FALSE;
  if (dormant != snapshot->dormant)
    return set_enabled_locked (self, !snapshot->dormant, error);
  return TRUE;
}

gboolean
pal_firewall_restore (PalFirewall          *self,
                      PalFirewallSnapshot  *snapshot,
                      GError              **error)
{
  gboolean ok;

  g_return_val_if_fail (PAL_IS_FIREWALL (self), FALSE);
  g_return_val_if_fail (snapshot != NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = restore_locked (self, snapshot, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

char *
pal_firewall_export (PalDocument  *document,
                     GError      **error)
{
  g_autoptr(PalNftPlan) plan = NULL;

  g_return_val_if_fail (PAL_IS_DOCUMENT (document), NULL);

  plan = pal_nft_compile (document, NULL, error);
  if (plan == NULL)
    return NULL;
  return pal_nft_export_plan (plan);
}
