/* pal-undo-stack.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-outline-path.h"
#include "pal-undo-stack.h"

typedef enum
{
  OP_INSERT,
  OP_REMOVE,
  OP_SET,
  OP_SET_RULES,
  OP_SET_INTERFACE,
} OpKind;

/* One primitive edit, with enough to apply it and its inverse. */
typedef struct
{
  OpKind      kind;
  PalRule    *parent;          /* INSERT, REMOVE: NULL = top level */
  PalRule    *rule;            /* INSERT, REMOVE */
  guint       position;        /* INSERT, REMOVE */
  GObject    *object;          /* SET */
  GParamSpec *pspec;           /* SET */
  GValue      old_value;       /* SET */
  GValue      new_value;       /* SET */
  GPtrArray  *old_rules;       /* SET_RULES */
  GPtrArray  *new_rules;       /* SET_RULES */
  char       *interface_name;  /* SET_INTERFACE */
  PalInterfaceConfig *old_interface;   /* SET_INTERFACE: NULL = not named */
  PalInterfaceConfig *new_interface;   /* SET_INTERFACE: NULL = removed */
} Op;

typedef struct
{
  char      *label;
  GPtrArray *ops;
} Command;

struct _PalUndoStack
{
  GObject      parent_instance;

  PalDocument *document;
  GPtrArray   *undo;          /* Command, oldest first */
  GPtrArray   *redo;          /* Command, the next to redo last */
  Command     *open;          /* being recorded */
  guint        depth;         /* of nested begin() */
  /* How many commands the undo list held when the document was clean;
   * -1 when that state can no longer be reached (undone and replaced). */
  gint64       clean_length;
  gboolean     replaying;
};

G_DEFINE_FINAL_TYPE (PalUndoStack, pal_undo_stack, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_MODIFIED,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
op_free (Op *op)
{
  g_clear_object (&op->parent);
  g_clear_object (&op->rule);
  g_clear_object (&op->object);
  if (G_IS_VALUE (&op->old_value))
    g_value_unset (&op->old_value);
  if (G_IS_VALUE (&op->new_value))
    g_value_unset (&op->new_value);
  g_clear_pointer (&op->old_rules, g_ptr_array_unref);
  g_clear_pointer (&op->new_rules, g_ptr_array_unref);
  g_free (op->interface_name);
  g_clear_object (&op->old_interface);
  g_clear_object (&op->new_interface);
  g_free (op);
}

static void
command_free (Command *command)
{
  g_free (command->label);
  g_ptr_array_unref (command->ops);
  g_free (command);
}

static Command *
command_new (const char *label)
{
  Command *command = g_new0 (Command, 1);

  command->label = g_strdup (label);
  command->ops = g_ptr_array_new_with_free_func ((GDestroyNotify) op_free);
  return command;
}

static GPtrArray *
copy_top_level (PalDocument *document)
{
  GListModel *rules = pal_document_get_rules (document);
  guint n = g_list_model_get_n_items (rules);
  GPtrArray *array = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (array, g_list_model_get_item (rules, i));
  return array;
}

static void
op_apply (PalUndoStack *self,
          Op           *op,
          gboolean      forward)
{
  gboolean insert = (op->kind == OP_INSERT) == forward;

  switch (op->kind)
    {
    case OP_INSERT:
    case OP_REMOVE:
      if (insert)
        pal_outline_insert (self->document, op->parent, op->position, op->rule);
      else if (op->parent != NULL)
        pal_rule_remove_child (op->parent, op->position);
      else
        pal_document_remove_rule (self->document, op->position);
      break;
    case OP_SET:
      g_object_set_property (op->object, op->pspec->name,
                             forward ? &op->new_value : &op->old_value);
      break;
    case OP_SET_RULES:
      pal_document_set_rules (self->document, forward ? op->new_rules : op->old_rules);
      break;
    case OP_SET_INTERFACE:
      if ((forward ? op->new_interface : op->old_interface) != NULL)
        pal_document_set_interface (self->document, forward ? op->new_interface : op->old_interface);
      else
        pal_document_remove_interface (self->document, op->interface_name);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Boxed values compare by pointer in GLib; these two by content, so that
 * setting an equal list or equal settings is no change. */
static gboolean
values_equal (GParamSpec   *pspec,
              const GValue *a,
              const GValue *b)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  const char * const none[] = { NULL };

  if (type == G_TYPE_STRV)
    return g_strv_equal (g_value_get_boxed (a) != NULL ? g_value_get_boxed (a) : none,
                         g_value_get_boxed (b) != NULL ? g_value_get_boxed (b) : none);
  if (type == PAL_TYPE_ADAPTIVE_SETTINGS && g_value_get_boxed (a) != NULL && g_value_get_boxed (b) != NULL)
    return pal_adaptive_settings_equal (g_value_get_boxed (a), g_value_get_boxed (b));
  return g_param_values_cmp (pspec, a, b) == 0;
}

static void
notify_state (PalUndoStack *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
pal_undo_stack_finalize (GObject *object)
{
  PalUndoStack *self = PAL_UNDO_STACK (object);

  g_clear_pointer (&self->open, command_free);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->redo, g_ptr_array_unref);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (pal_undo_stack_parent_class)->finalize (object);
}

static void
pal_undo_stack_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PalUndoStack *self = PAL_UNDO_STACK (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, pal_undo_stack_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, pal_undo_stack_can_redo (self));
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, pal_undo_stack_get_modified (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pal_undo_stack_class_init (PalUndoStackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pal_undo_stack_finalize;
  object_class->get_property = pal_undo_stack_get_property;

  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, flags);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, flags);
  properties[PROP_MODIFIED] = g_param_spec_boolean ("modified", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After every command, undo and redo: one signal for the window to
   * refresh its title, actions and the outline's inactive marks. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pal_undo_stack_init (PalUndoStack *self)
{
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) command_free);
  self->redo = g_ptr_array_new_with_free_func ((GDestroyNotify) command_free);
}

PalUndoStack *
pal_undo_stack_new (PalDocument *document)
{
  PalUndoStack *self;

  g_return_val_if_fail (PAL_IS_DOCUMENT (document), NULL);

  self = g_object_new (PAL_TYPE_UNDO_STACK, NULL);
  self->document = g_object_ref (document);
  return self;
}

PalDocument *
pal_undo_stack_get_document (PalUndoStack *self)
{
  g_return_val_if_fail (PAL_IS_UNDO_STACK (self), NULL);
  return self->document;
}

void
pal_undo_stack_begin (PalUndoStack *self,
                      const char   *label)
{
  g_return_if_fail (PAL_IS_UNDO_STACK (self));
  g_return_if_fail (!self->replaying);

  if (self->depth++ == 0)
    self->open = command_new (label);
}

void
pal_undo_stack_end (PalUndoStack *self)
{
  g_return_if_fail (PAL_IS_UNDO_STACK (self));
  g_return_if_fail (self->depth > 0);

  if (--self->depth > 0)
    return;

  if (self->open->ops->len == 0)
    {
      /* Nothing changed (a cell edited to its old text): no undo step. */
      g_clear_pointer (&self->open, command_free);
      return;
    }

  /* A new edit after undo forks history: the undone commands are gone, and
   * if the clean state was among them it can never come back. */
  if (self->redo->len > 0)
    {
      if (self->clean_length > (gint64) self->undo->len)
        self->clean_length = -1;
      g_ptr_array_set_size (self->redo, 0);
    }
  g_ptr_array_add (self->undo, g_steal_pointer (&self->open));
  notify_state (self);
}

static Op *
record (PalUndoStack *self,
        OpKind        kind)
{
  Op *op;

  g_assert (self->open != NULL);

  op = g_new0 (Op, 1);
  op->kind = kind;
  g_ptr_array_add (self->open->ops, op);
  return op;
}

void
pal_undo_stack_insert (PalUndoStack *self,
                       PalRule      *parent,
                       guint         position,
                       PalRule      *rule)
{
  GListModel *siblings;
  Op *op;

  g_return_if_fail (PAL_IS_UNDO_STACK (self));
  g_return_if_fail (parent == NULL || PAL_IS_RULE (parent));
  g_return_if_fail (PAL_IS_RULE (rule));
  g_return_if_fail (pal_rule_get_parent (rule) == NULL);
  g_return_if_fail (self->depth > 0);

  /* Record the real position, so undo removes exactly what was inserted. */
  siblings = parent != NULL ? pal_rule_get_children (parent)
                            : pal_document_get_rules (self->document);
  position = MIN (position, g_list_model_get_n_items (siblings));

  op = record (self, OP_INSERT);
  op->parent = parent != NULL ? g_object_ref (parent) : NULL;
  op->rule = g_object_ref (rule);
  op->position = position;
  op_apply (self, op, TRUE);
}

void
pal_undo_stack_remove (PalUndoStack *self,
                       PalRule      *rule)
{
  PalRule *parent;
  Op *op;

  g_return_if_fail (PAL_IS_UNDO_STACK (self));
  g_return_if_fail (PAL_IS_RULE (rule));
  g_return_if_fail (self->depth > 0);

  parent = pal_rule_get_parent (rule);
  op = record (self, OP_REMOVE);
  op->parent = parent != NULL ? g_object_ref (parent) : NULL;
  op->rule = g_object_ref (rule);
  op->position = pal_outline_get_position (self->document, rule);
  op_apply (self, op, TRUE);
}

void
pal_undo_stack_set (PalUndoStack *self,
                    GObject      *object,
                    const char   *property_name,
                    const GValue *value)
{
  GParamSpec *pspec;
  Op *op;

  g_return_if_fail (PAL_IS_UNDO_STACK (self));
  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (self->depth > 0);

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property_name);
  g_return_if_fail (pspec != NULL);

  op = record (self, OP_SET);
  g_value_init (&op->old_value, pspec->value_type);
  g_object_get_property (object, pspec->name, &op->old_value);
  g_value_init (&op->new_value, pspec->value_type);
  g_value_transform (value, &op->new_value);

  if (values_equal (pspec, &op->old_value, &op->new_value))
    {
      /* Not a change: keep no op, so an unchanged cell makes no undo step. */
      g_ptr_array_remove (self->open->ops, op);
      return;
    }
  op->object = g_object_ref (object);
  op->pspec = pspec;
  op_apply (self, op, TRUE);
}

void
pal_undo_stack_set_rules (PalUndoStack *self,
                          GPtrArray    *rules)
{
  Op *op;

  g_return_if_fail (PAL_IS_UNDO_STACK (self));
  g_return_if_fail (rules != NULL);
  g_return_if_fail (self->depth > 0);

  op = record (self, OP_SET_RULES);
  op->old_rules = copy_top_level (self->document);
  op->new_rules = g_ptr_array_ref (rules);
  op_apply (self, op, TRUE);
}

void
pal_undo_stack_set_interface (PalUndoStack       *self,
                              const char         *name,
                              PalInterfaceConfig *config)
{
  PalInterfaceConfig *old;
  Op *op;

  g_return_if_fail (PAL_IS_UNDO_STACK (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (config == NULL || g_str_equal (pal_interface_config_get_name (config), name));
  g_return_if_fail (self->depth > 0);

  old = pal_document_lookup_interface (self->document, name);
  if (old == NULL && config == NULL)
    return;
  op = record (self, OP_SET_INTERFACE);
  op->interface_name = g_strdup (name);
  op->old_interface = old != NULL ? g_object_ref (old) : NULL;
  op->new_interface = config != NULL ? g_object_ref (config) : NULL;
  op_apply (self, op, TRUE);
}

gboolean
pal_undo_stack_can_undo (PalUndoStack *self)
{
  g_return_val_if_fail (PAL_IS_UNDO_STACK (self), FALSE);
  return self->undo->len > 0;
}

gboolean
pal_undo_stack_can_redo (PalUndoStack *self)
{
  g_return_val_if_fail (PAL_IS_UNDO_STACK (self), FALSE);
  return self->redo->len > 0;
}

const char *
pal_undo_stack_get_undo_label (PalUndoStack *self)
{
  Command *command;

  g_return_val_if_fail (PAL_IS_UNDO_STACK (self), NULL);

  if (self->undo->len == 0)
    return NULL;
  command = g_ptr_array_index (self->undo, self->undo->len - 1);
  return command->label;
}

const char *
pal_undo_stack_get_redo_label (PalUndoStack *self)
{
  Command *command;

  g_return_val_if_fail (PAL_IS_UNDO_STACK (self), NULL);

  if (self->redo->len == 0)
    return NULL;
  command = g_ptr_array_index (self->redo, self->redo->len - 1);
  return command->label;
}

/* Moves the last command of from to to, replaying it in direction forward. */
static gboolean
replay (PalUndoStack *self,
        GPtrArray    *from,
        GPtrArray    *to,
        gboolean      forward)
{
  Command *command;

  g_return_val_if_fail (self->depth == 0, FALSE);

  if (from->len == 0)
    return FALSE;

  command = g_ptr_array_steal_index (from, from->len - 1);
  self->replaying = TRUE;
  if (forward)
    for (guint i = 0; i < command->ops->len; i++)
      op_apply (self, g_ptr_array_index (command->ops, i), TRUE);
  else
    for (guint i = command->ops->len; i > 0; i--)
      op_apply (self, g_ptr_array_index (command->ops, i - 1), FALSE);
  self->replaying = FALSE;
  g_ptr_array_add (to, command);

  notify_state (self);
  return TRUE;
}

gboolean
pal_undo_stack_undo (PalUndoStack *self)
{
  g_return_val_if_fail (PAL_IS_UNDO_STACK (self), FALSE);
  return replay (self, self->undo, self->redo, FALSE);
}

gboolean
pal_undo_stack_redo (PalUndoStack *self)
{
  g_return_val_if_fail (PAL_IS_UNDO_STACK (self), FALSE);
  return replay (self, self->redo, self->undo, TRUE);
}

gboolean
pal_undo_stack_get_modified (PalUndoStack *self)
{
  g_return_val_if_fail (PAL_IS_UNDO_STACK (self), FALSE);
  return self->clean_length != (gint64) self->undo->len;
}

void
pal_undo_stack_mark_clean (PalUndoStack *self)
{
  g_return_if_fail (PAL_IS_UNDO_STACK (self));

  self->clean_length = self->undo->len;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
pal_undo_stack_clear (PalUndoStack *self)
{
  g_return_if_fail (PAL_IS_UNDO_STACK (self));
  g_return_if_fail (self->depth == 0);

  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  self->clean_length = 0;
  notify_state (self);
}
