/* Two numeric inner loops of screening in C: the walk over the name model's boosted trees, and the choice of
 * candidate names from the index's postings.
 *
 * Each function has a twin in Python (NameModel.log_odds in learned.py, MatchIndex._select in index.py) that
 * says what it computes and that runs where this module was not built (an editable install, no C compiler).
 * The two give the same results bit for bit (tests/test_compiled_build.py): float32 sums where the index
 * keeps float32, added in the same order, and numpy's pairwise summation for the trees' leaf values. Built
 * with -ffp-contract=off so that no multiply-add is fused (numpy does not fuse them either).
 *
 * Pure: no I/O, no state between calls but a scratch array, which a call leaves zeroed. A call reads every
 * Python object it is given before it uses the scratch and runs no Python code while it does, nor releases the
 * GIL, so threads sharing one Screener never share the scratch at the same time.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FEATURES 64

/* ---- buffers ---------------------------------------------------------------------------------------- */

/* A one-dimensional contiguous buffer of `itemsize`-byte items whose format is one of `formats`. */
static int
get_vector(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, const char *formats, const char *what)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        return -1;
    }
    const char *format = view->format ? view->format : "B";
    if (format[0] == '<' || format[0] == '=' || format[0] == '@') {
        format++;
    }
    if (view->ndim != 1 || view->itemsize != itemsize || strlen(format) != 1 || !strchr(formats, format[0])) {
        PyErr_Format(PyExc_TypeError, "%s: expected a one-dimensional array of %zd-byte items (%s), got '%s'",
                     what, itemsize, formats, view->format ? view->format : "B");
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* ---- the trees -------------------------------------------------------------------------------------- */

/* numpy's pairwise summation of doubles (numpy/_core/src/umath/loops_utils.h.src), as np.add.reduce runs it
 * over a contiguous row: eight running sums below 129 items, halves above. */
static double
pairwise_sum(const double *a, Py_ssize_t n)
{
    if (n < 8) {
        double res = -0.0;
        for (Py_ssize_t i = 0; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    if (n <= 128) {
        double r[8];
        Py_ssize_t i;
        for (i = 0; i < 8; i++) {
            r[i] = a[i];
        }
        for (i = 8; i < n - (n % 8); i += 8) {
            r[0] += a[i + 0];
            r[1] += a[i + 1];
            r[2] += a[i + 2];
            r[3] += a[i + 3];
            r[4] += a[i + 4];
            r[5] += a[i + 5];
            r[6] += a[i + 6];
            r[7] += a[i + 7];
        }
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    Py_ssize_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

/* The name model's trees, checked once and laid out for the walk: each node's feature, threshold and two
 * children side by side. */
typedef struct {
    double threshold;  /* right where row[feature] > threshold */
    double value;      /* a leaf's contribution to the log-odds */
    int64_t feature;
    int64_t child[2];  /* left, right; a leaf points to itself */
} Node;

typedef struct {
    PyObject_HEAD
    Py_ssize_t n_trees, n_nodes, width, depth;
    double baseline;
    int64_t *roots;
    Node *nodes;
} TreesObject;

static void
Trees_dealloc(TreesObject *self)
{
    PyMem_Free(self->roots);
    PyMem_Free(self->nodes);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Trees_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"roots", "feature", "threshold", "left", "right", "value", "depth", "baseline",
                               "width", NULL};
    PyObject *roots_obj, *feature_obj, *threshold_obj, *left_obj, *right_obj, *value_obj;
    Py_ssize_t depth, width;
    double baseline;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOOOOndn:Trees", keywords, &roots_obj, &feature_obj,
                                     &threshold_obj, &left_obj, &right_obj, &value_obj, &depth, &baseline,
                                     &width)) {
        return NULL;
    }
    Py_buffer roots = {0}, feature = {0}, threshold = {0}, left = {0}, right = {0}, value = {0};
    TreesObject *self = NULL;
    if (get_vector(roots_obj, &roots, 8, "lq", "roots") < 0) goto done;
    if (get_vector(feature_obj, &feature, 8, "lq", "feature") < 0) goto done;
    if (get_vector(threshold_obj, &threshold, 8, "d", "threshold") < 0) goto done;
    if (get_vector(left_obj, &left, 8, "lq", "left") < 0) goto done;
    if (get_vector(right_obj, &right, 8, "lq", "right") < 0) goto done;
    if (get_vector(value_obj, &value, 8, "d", "value") < 0) goto done;
    Py_ssize_t nodes = feature.len / 8, trees = roots.len / 8;
    if (width < 1 || width > MAX_FEATURES || depth < 0) {
        PyErr_Format(PyExc_ValueError, "Trees: %zd features (1 to %d) and depth %zd", width, MAX_FEATURES, depth);
        goto done;
    }
    if (threshold.len / 8 != nodes || left.len / 8 != nodes || right.len / 8 != nodes || value.len / 8 != nodes) {
        PyErr_SetString(PyExc_ValueError, "Trees: node arrays of different lengths");
        goto done;
    }
    const int64_t *root = roots.buf, *feat = feature.buf, *lo = left.buf, *hi = right.buf;
    const double *thr = threshold.buf, *val = value.buf;
    /* Every index is checked here, so the walk cannot leave the arrays. */
    for (Py_ssize_t t = 0; t < trees; t++) {
        if (root[t] < 0 || root[t] >= nodes) {
            PyErr_SetString(PyExc_ValueError, "Trees: a root outside the node arrays");
            goto done;
        }
    }
    for (Py_ssize_t k = 0; k < nodes; k++) {
        if (lo[k] < 0 || lo[k] >= nodes || hi[k] < 0 || hi[k] >= nodes || feat[k] < 0 || feat[k] >= width) {
            PyErr_SetString(PyExc_ValueError, "Trees: a node pointing outside the arrays");
            goto done;
        }
    }
    self = (TreesObject *)type->tp_alloc(type, 0);
    if (self == NULL) goto done;
    self->n_trees = trees;
    self->n_nodes = nodes;
    self->width = width;
    self->depth = depth;
    self->baseline = baseline;
    self->roots = PyMem_Malloc((trees > 0 ? trees : 1) * sizeof(int64_t));
    self->nodes = PyMem_Malloc((nodes > 0 ? nodes : 1) * sizeof(Node));
    if (self->roots == NULL || self->nodes == NULL) {
        Py_CLEAR(self);
        PyErr_NoMemory();
        goto done;
    }
    memcpy(self->roots, root, trees * sizeof(int64_t));
    for (Py_ssize_t k = 0; k < nodes; k++) {
        self->nodes[k] = (Node){thr[k], val[k], feat[k], {lo[k], hi[k]}};
    }
done:
    PyBuffer_Release(&roots);
    PyBuffer_Release(&feature);
    PyBuffer_Release(&threshold);
    PyBuffer_Release(&left);
    PyBuffer_Release(&right);
    PyBuffer_Release(&value);
    return (PyObject *)self;
}

PyDoc_STRVAR(Trees_log_odds_doc,
"log_odds(rows) -> list[float]\n\n"
"The log-odds of each row (a sequence of `width` floats, one per feature): every tree walked `depth` steps\n"
"from its root, its leaves' values summed as numpy sums them, plus `baseline` (NameModel.log_odds).");

static PyObject *
Trees_log_odds(TreesObject *self, PyObject *rows)
{
    PyObject *out = NULL, *row_seq = NULL;
    PyObject *seq = PySequence_Fast(rows, "Trees.log_odds: rows must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    Py_ssize_t n_rows = PySequence_Fast_GET_SIZE(seq), width = self->width;
    double *leaves = PyMem_Malloc((self->n_trees > 0 ? self->n_trees : 1) * sizeof(double));
    out = PyList_New(n_rows);
    if (leaves == NULL || out == NULL) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        Py_CLEAR(out);
        goto done;
    }
    const Node *nodes = self->nodes;
    for (Py_ssize_t r = 0; r < n_rows; r++) {
        double x[MAX_FEATURES];
        row_seq = PySequence_Fast(PySequence_Fast_GET_ITEM(seq, r), "Trees.log_odds: a row must be a sequence");
        if (row_seq == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        if (PySequence_Fast_GET_SIZE(row_seq) != width) {
            PyErr_Format(PyExc_ValueError, "name model: expected rows of %zd features, got %zd", width,
                         PySequence_Fast_GET_SIZE(row_seq));
            Py_CLEAR(out);
            goto done;
        }
        for (Py_ssize_t f = 0; f < width; f++) {
            x[f] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(row_seq, f));
            if (x[f] == -1.0 && PyErr_Occurred()) {
                Py_CLEAR(out);
                goto done;
            }
        }
        Py_CLEAR(row_seq);
        /* Eight trees at a time, level by level: eight independent chains of loads the processor overlaps,
         * where one tree at a time waits on each load in turn. */
        Py_ssize_t t = 0;
        for (; t + 8 <= self->n_trees; t += 8) {
            const Node *walk[8];
            for (int k = 0; k < 8; k++) {
                walk[k] = &nodes[self->roots[t + k]];
            }
            for (Py_ssize_t d = 0; d < self->depth; d++) {
                for (int k = 0; k < 8; k++) {
                    walk[k] = &nodes[walk[k]->child[x[walk[k]->feature] > walk[k]->threshold]];
                }
            }
            for (int k = 0; k < 8; k++) {
                leaves[t + k] = walk[k]->value;
            }
        }
        for (; t < self->n_trees; t++) {
            const Node *node = &nodes[self->roots[t]];
            for (Py_ssize_t d = 0; d < self->depth; d++) {
                node = &nodes[node->child[x[node->feature] > node->threshold]];
            }
            leaves[t] = node->value;
        }
        double sum = 0.0;
        sum += pairwise_sum(leaves, self->n_trees);
        PyObject *item = PyFloat_FromDouble(self->baseline + sum);
        if (item == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, r, item);
    }
done:
    Py_XDECREF(row_seq);
    Py_DECREF(seq);
    PyMem_Free(leaves);
    return out;
}

static PyMethodDef Trees_methods[] = {
    {"log_odds", (PyCFunction)Trees_log_odds, METH_O, Trees_log_odds_doc},
    {NULL, NULL, 0, NULL},
};

PyDoc_STRVAR(Trees_doc,
"Trees(roots, feature, threshold, left, right, value, depth, baseline, width)\n\n"
"NameModel's node table (int64 and float64 arrays), checked and copied once for `log_odds`.");

static PyTypeObject TreesType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ctscreen.matching._native.Trees",
    .tp_basicsize = sizeof(TreesObject),
    .tp_dealloc = (destructor)Trees_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = Trees_doc,
    .tp_methods = Trees_methods,
    .tp_new = Trees_new,
};

/* ---- candidate names -------------------------------------------------------------------------------- */

/* Support per listed name, and which group last added to it; both zero outside a call. Grown as needed. */
static float *support = NULL;
static int32_t *stamp = NULL;
static Py_ssize_t scratch_size = 0;
/* Names a call has added to, so that it can zero them again. */
static int64_t *touched = NULL;
static Py_ssize_t touched_size = 0, touched_count = 0;

static int
ensure_scratch(Py_ssize_t names)
{
    if (names <= scratch_size) {
        return 0;
    }
    float *s = PyMem_Calloc(names, sizeof(float));
    int32_t *g = PyMem_Calloc(names, sizeof(int32_t));
    if (s == NULL || g == NULL) {
        PyMem_Free(s);
        PyMem_Free(g);
        PyErr_NoMemory();
        return -1;
    }
    PyMem_Free(support);
    PyMem_Free(stamp);
    support = s;
    stamp = g;
    scratch_size = names;
    return 0;
}

static int
touch(int64_t name)
{
    if (touched_count == touched_size) {
        Py_ssize_t size = touched_size ? 2 * touched_size : 4096;
        int64_t *grown = PyMem_Realloc(touched, size * sizeof(int64_t));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        touched = grown;
        touched_size = size;
    }
    touched[touched_count++] = name;
    return 0;
}

static void
clear_scratch(void)
{
    for (Py_ssize_t k = 0; k < touched_count; k++) {
        support[touched[k]] = 0.0f;
        stamp[touched[k]] = 0;
    }
    touched_count = 0;
}

/* One posting slice of a group: its names get the group's value, once per group. */
typedef struct {
    Py_ssize_t start, end;
    float value;
    int32_t group;
} Slice;

typedef struct {
    Slice *items;
    Py_ssize_t count, size;
} Slices;

static int
append_slice(Slices *slices, Slice slice)
{
    if (slices->count == slices->size) {
        Py_ssize_t size = slices->size ? 2 * slices->size : 64;
        Slice *grown = PyMem_Realloc(slices->items, size * sizeof(Slice));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        slices->items = grown;
        slices->size = size;
    }
    slices->items[slices->count++] = slice;
    return 0;
}

/* Reads groups, [(value, [(start, end), ...]), ...], into `out`, each with a group number of its own, every
 * posting id checked against the names. All Python objects are read here, before the scratch is used, so
 * no Python code (a __float__, a finaliser) runs while it holds a call's sums. */
static int
read_groups(PyObject *groups, int32_t *group, const int64_t *ids, Py_ssize_t n_ids, Py_ssize_t names,
            Slices *out)
{
    PyObject *seq = PySequence_Fast(groups, "select_candidates: groups must be a sequence");
    if (seq == NULL) {
        return -1;
    }
    for (Py_ssize_t g = 0; g < PySequence_Fast_GET_SIZE(seq); g++) {
        double value;
        PyObject *slices, *slice_seq;
        PyObject *item = PySequence_Fast_GET_ITEM(seq, g);
        if (!PyTuple_Check(item) || !PyArg_ParseTuple(item, "dO", &value, &slices)) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "select_candidates: a group is (value, slices)");
            goto fail;
        }
        slice_seq = PySequence_Fast(slices, "select_candidates: a group's slices must be a sequence");
        if (slice_seq == NULL) goto fail;
        ++*group;
        for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(slice_seq); k++) {
            Py_ssize_t start, end;
            PyObject *pair = PySequence_Fast_GET_ITEM(slice_seq, k);
            if (!PyTuple_Check(pair) || !PyArg_ParseTuple(pair, "nn", &start, &end)) {
                if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "select_candidates: a slice is (start, end)");
                Py_DECREF(slice_seq);
                goto fail;
            }
            if (start < 0 || end > n_ids || start > end) {
                PyErr_SetString(PyExc_IndexError, "select_candidates: a slice outside the postings");
                Py_DECREF(slice_seq);
                goto fail;
            }
            for (Py_ssize_t i = start; i < end; i++) {
                if (ids[i] < 0 || ids[i] >= names) {
                    PyErr_SetString(PyExc_IndexError, "select_candidates: a posting outside the names");
                    Py_DECREF(slice_seq);
                    goto fail;
                }
            }
            if (append_slice(out, (Slice){start, end, (float)value, *group}) < 0) {
                Py_DECREF(slice_seq);
                goto fail;
            }
        }
        Py_DECREF(slice_seq);
    }
    Py_DECREF(seq);
    return 0;
fail:
    Py_DECREF(seq);
    return -1;
}

/* Adds each slice's value once per group to its names (checked by read_groups); no Python calls. */
static int
add_slices(const Slices *slices, const int64_t *ids)
{
    for (Py_ssize_t s = 0; s < slices->count; s++) {
        const Slice *slice = &slices->items[s];
        for (Py_ssize_t k = slice->start; k < slice->end; k++) {
            int64_t name = ids[k];
            if (stamp[name] == slice->group) {
                continue; /* once per group, as numpy's fancy-index += adds */
            }
            if (stamp[name] == 0 && touch(name) < 0) {
                return -1;
            }
            stamp[name] = slice->group;
            support[name] += slice->value;
        }
    }
    return 0;
}

typedef struct {
    int64_t name;
    float ranked;
} Ranked;

/* Best supported first; among equals the lower name number, as a stable sort of names in order keeps them. */
static int
by_rank(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    if (x->ranked != y->ranked) {
        return x->ranked > y->ranked ? -1 : 1;
    }
    return (x->name > y->name) - (x->name < y->name);
}

/* The k-th smallest of v[0..n) (from 0), reordering v: Hoare's selection. */
static float
kth_smallest(float *v, Py_ssize_t n, Py_ssize_t k)
{
    Py_ssize_t lo = 0, hi = n - 1;
    while (lo < hi) {
        float pivot = v[lo + (hi - lo) / 2];
        Py_ssize_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) {
                float swap = v[i];
                v[i++] = v[j];
                v[j--] = swap;
            }
        }
        if (k <= j) {
            hi = j;
        }
        else if (k >= i) {
            lo = i;
        }
        else {
            return v[k];
        }
    }
    return v[k];
}

/* Integer items of a tuple or list, as C integers (exact names, names written as the query). */
static int64_t *
int_items(PyObject *obj, Py_ssize_t *count, const char *what)
{
    PyObject *seq = PySequence_Fast(obj, what);
    if (seq == NULL) {
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    int64_t *out = PyMem_Malloc((n > 0 ? n : 1) * sizeof(int64_t));
    if (out == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        out[k] = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(seq, k));
        if (out[k] == -1 && PyErr_Occurred()) {
            PyMem_Free(out);
            Py_DECREF(seq);
            return NULL;
        }
    }
    Py_DECREF(seq);
    *count = n;
    return out;
}

PyDoc_STRVAR(select_candidates_doc,
"select_candidates(posting_ids, name_sizes, name_entity, groups, vowels, as_written, exact, threshold,\n"
"                  limit, bonus, nudge, per_entity, tied_factor, pool) -> list[int]\n\n"
"MatchIndex._select in C: the candidate names of one query. See index.py for what each argument is.");

static PyObject *
select_candidates(PyObject *self, PyObject *args)
{
    PyObject *ids_obj, *sizes_obj, *entity_obj, *groups, *vowels, *as_written_obj, *exact_obj;
    double threshold, bonus, nudge;
    Py_ssize_t limit, per_entity_max, tied_factor, pool;
    if (!PyArg_ParseTuple(args, "OOOOOOOdnddnnn:select_candidates", &ids_obj, &sizes_obj, &entity_obj, &groups,
                          &vowels, &as_written_obj, &exact_obj, &threshold, &limit, &bonus, &nudge,
                          &per_entity_max, &tied_factor, &pool)) {
        return NULL;
    }
    Py_buffer ids_view = {0}, sizes_view = {0}, entity_view = {0};
    Slices support_slices = {0}, vowel_slices = {0};
    int64_t *exact = NULL, *as_written = NULL, *chosen_entity = NULL;
    Py_ssize_t *chosen_count = NULL;
    Ranked *ranked = NULL;
    float *values = NULL;
    PyObject *out = NULL;
    Py_ssize_t n_exact = 0, n_written = 0;
    if (get_vector(ids_obj, &ids_view, 8, "lq", "posting_ids") < 0) goto done;
    if (get_vector(sizes_obj, &sizes_view, 4, "f", "name_sizes") < 0) goto done;
    if (get_vector(entity_obj, &entity_view, 8, "lq", "name_entity") < 0) goto done;
    Py_ssize_t names = sizes_view.len / 4, n_ids = ids_view.len / 8;
    if (entity_view.len / 8 != names) {
        PyErr_SetString(PyExc_ValueError, "select_candidates: name_sizes and name_entity differ in length");
        goto done;
    }
    if (limit < 0 || pool < 1) {
        PyErr_SetString(PyExc_ValueError, "select_candidates: limit must be >= 0 and pool >= 1");
        goto done;
    }
    const int64_t *ids = ids_view.buf, *name_entity = entity_view.buf;
    const float *sizes = sizes_view.buf;
    if ((exact = int_items(exact_obj, &n_exact, "select_candidates: exact must be a sequence")) == NULL) goto done;
    if ((as_written = int_items(as_written_obj, &n_written, "select_candidates: as_written must be a sequence")) == NULL)
        goto done;
    for (Py_ssize_t k = 0; k < n_exact; k++) {
        if (exact[k] < 0 || exact[k] >= names) {
            PyErr_SetString(PyExc_IndexError, "select_candidates: an exact name outside the names");
            goto done;
        }
    }
    for (Py_ssize_t k = 0; k < n_written; k++) {
        if (as_written[k] < 0 || as_written[k] >= names) {
            PyErr_SetString(PyExc_IndexError, "select_candidates: a name written as the query outside the names");
            goto done;
        }
    }
    int32_t group = 0;
    if (read_groups(groups, &group, ids, n_ids, names, &support_slices) < 0) goto done;
    int32_t written_group = ++group;
    if (read_groups(vowels, &group, ids, n_ids, names, &vowel_slices) < 0) goto done;
    if (ensure_scratch(names) < 0) goto done;

    /* Support: every group, then the bonus of the names written as the query. */
    if (add_slices(&support_slices, ids) < 0) goto scratch;
    for (Py_ssize_t k = 0; k < n_written; k++) {
        int64_t name = as_written[k];
        if (stamp[name] == written_group) continue;
        if (stamp[name] == 0 && touch(name) < 0) goto scratch;
        stamp[name] = written_group;
        support[name] += (float)bonus;
    }
    /* The cut on support, then the vowel keys' bonus, which only ranks what passed it. */
    float cut = (float)threshold;
    ranked = PyMem_Malloc((touched_count > 0 ? touched_count : 1) * sizeof(Ranked));
    if (ranked == NULL) {
        PyErr_NoMemory();
        goto scratch;
    }
    Py_ssize_t n = 0;
    for (Py_ssize_t k = 0; k < touched_count; k++) {
        if (support[touched[k]] >= cut) {
            ranked[n++].name = touched[k];
        }
    }
    if (add_slices(&vowel_slices, ids) < 0) goto scratch;
    float shorter = (float)nudge;
    for (Py_ssize_t k = 0; k < n; k++) {
        int64_t name = ranked[k].name;
        float by_size = shorter * sizes[name];
        ranked[k].ranked = support[name] - by_size;
    }
    clear_scratch();

    /* More than `pool` names: those ranked at least the pool-th best go on, ties included. */
    if (n > pool) {
        values = PyMem_Malloc(n * sizeof(float));
        if (values == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t k = 0; k < n; k++) {
            values[k] = ranked[k].ranked;
        }
        float kth = kth_smallest(values, n, n - pool);
        Py_ssize_t kept = 0;
        for (Py_ssize_t k = 0; k < n; k++) {
            if (ranked[k].ranked >= kth) {
                ranked[kept++] = ranked[k];
            }
        }
        n = kept;
    }
    qsort(ranked, n, sizeof(Ranked), by_rank);

    /* The exact names, then the best ranked, at most `per_entity_max` of one entity, up to the limit (past it
     * only for names tied with the last taken, and never past tied_factor times the limit). */
    Py_ssize_t most = tied_factor * limit, room = n_exact + n;
    chosen_entity = PyMem_Malloc((room > 0 ? room : 1) * sizeof(int64_t));
    chosen_count = PyMem_Malloc((room > 0 ? room : 1) * sizeof(Py_ssize_t));
    out = PyList_New(0);
    if (chosen_entity == NULL || chosen_count == NULL || out == NULL) {
        Py_CLEAR(out);
        if (!PyErr_Occurred()) PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t entities = 0;
    for (Py_ssize_t k = 0; k < n_exact; k++) {
        Py_ssize_t e = 0;
        while (e < entities && chosen_entity[e] != name_entity[exact[k]]) e++;
        if (e == entities) {
            chosen_entity[entities] = name_entity[exact[k]];
            chosen_count[entities++] = 0;
        }
        chosen_count[e]++;
        PyObject *item = PyLong_FromLongLong(exact[k]);
        if (item == NULL || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            Py_CLEAR(out);
            goto done;
        }
        Py_DECREF(item);
    }
    int have_last = 0;
    float last = 0.0f;
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_ssize_t taken = PyList_GET_SIZE(out);
        if (taken >= limit && (!have_last || ranked[k].ranked != last || taken >= most)) {
            break;
        }
        int64_t name = ranked[k].name;
        int is_exact = 0;
        for (Py_ssize_t x = 0; x < n_exact && !is_exact; x++) {
            is_exact = exact[x] == name;
        }
        if (is_exact) continue;
        Py_ssize_t e = 0;
        while (e < entities && chosen_entity[e] != name_entity[name]) e++;
        if (e == entities) {
            chosen_entity[entities] = name_entity[name];
            chosen_count[entities++] = 0;
        }
        if (chosen_count[e] < per_entity_max) {
            chosen_count[e]++;
            PyObject *item = PyLong_FromLongLong(name);
            if (item == NULL || PyList_Append(out, item) < 0) {
                Py_XDECREF(item);
                Py_CLEAR(out);
                goto done;
            }
            Py_DECREF(item);
            last = ranked[k].ranked;
            have_last = 1;
        }
    }
    goto done;
scratch:
    clear_scratch();
done:
    PyMem_Free(support_slices.items);
    PyMem_Free(vowel_slices.items);
    PyMem_Free(exact);
    PyMem_Free(as_written);
    PyMem_Free(ranked);
    PyMem_Free(values);
    PyMem_Free(chosen_entity);
    PyMem_Free(chosen_count);
    PyBuffer_Release(&ids_view);
    PyBuffer_Release(&sizes_view);
    PyBuffer_Release(&entity_view);
    return out;
}

static PyMethodDef methods[] = {
    {"select_candidates", select_candidates, METH_VARARGS, select_candidates_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "ctscreen.matching._native",
    "The C twins of two numeric loops of screening (see _native.c).",
    -1,
    methods,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    if (PyType_Ready(&TreesType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    Py_INCREF(&TreesType);
    if (PyModule_AddObject(m, "Trees", (PyObject *)&TreesType) < 0) {
        Py_DECREF(&TreesType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
