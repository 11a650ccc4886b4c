/* Three inner loops of screening in C: the walk over the name model's boosted trees, the choice of candidate
 * names from the index's postings, and the alignment of two names' words.
 *
 * Each function has a twin in Python (NameModel.log_odds in learned.py, MatchIndex._select in index.py,
 * compare._align_words) that says what it computes and that runs where this module was not built (an
 * editable install, no C compiler). The two give the same results bit for bit (tests/matching/, and
 * tests/test_compiled_build.py end to end): float32 sums where the index keeps float32, added in the same
 * order, numpy's pairwise summation for the trees' leaf values, the alignment's sums one by one in index
 * order. Built with -ffp-contract=off so that no multiply-add is fused (numpy and Python do not fuse them).
 *
 * Pure: no I/O. State between calls: a scratch array, which a call leaves zeroed, and the alignment's table
 * of word pairs already compared. The first two functions read every Python object they are given before
 * they use the scratch and run no Python code while they do, nor release the GIL, so threads sharing one
 * Screener never share the scratch at the same time; the alignment runs Python code (the word rules) only
 * between its reads and writes of the table, whose entries stay whole at every step.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
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
 * slice checked against the postings (`add_slices` checks each posting against the names as it adds). All
 * Python objects are read here, before the scratch is used, so no Python code (a __float__, a finaliser) runs
 * while it holds a call's sums. */
static int
read_groups(PyObject *groups, int32_t *group, Py_ssize_t n_ids, Slices *out)
{
    PyObject *seq = PySequence_Fast(groups, "select_candidates: groups must be a sequence");
    if (seq == NULL) {
        return -1;
    }
    for (Py_ssize_t g = 0; g < PySequence_Fast_GET_SIZE(seq); g++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, g);
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2) {
            PyErr_SetString(PyExc_TypeError, "select_candidates: a group is (value, slices)");
            goto fail;
        }
        double value = PyFloat_AsDouble(PyTuple_GET_ITEM(item, 0));
        if (value == -1.0 && PyErr_Occurred()) goto fail;
        PyObject *slice_seq =
            PySequence_Fast(PyTuple_GET_ITEM(item, 1), "select_candidates: a group's slices must be a sequence");
        if (slice_seq == NULL) goto fail;
        ++*group;
        for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(slice_seq); k++) {
            PyObject *pair = PySequence_Fast_GET_ITEM(slice_seq, k);
            Py_ssize_t start = -1, end = -1;
            if (PyTuple_Check(pair) && PyTuple_GET_SIZE(pair) == 2 && PyLong_Check(PyTuple_GET_ITEM(pair, 0)) &&
                PyLong_Check(PyTuple_GET_ITEM(pair, 1))) {
                start = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 0));
                end = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 1));
            } else {
                PyErr_SetString(PyExc_TypeError, "select_candidates: a slice is (start, end)");
            }
            if (PyErr_Occurred() || start < 0 || end > n_ids || start > end) {
                if (!PyErr_Occurred()) {
                    PyErr_SetString(PyExc_IndexError, "select_candidates: a slice outside the postings");
                }
                Py_DECREF(slice_seq);
                goto fail;
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

/* Adds each slice's value once per group to its names; no Python calls. A posting outside the names is an
 * error (the caller empties the scratch). */
static int
add_slices(const Slices *slices, const int64_t *ids, Py_ssize_t names)
{
    for (Py_ssize_t s = 0; s < slices->count; s++) {
        const Slice *slice = &slices->items[s];
        for (Py_ssize_t k = slice->start; k < slice->end; k++) {
            int64_t name = ids[k];
            if ((uint64_t)name >= (uint64_t)names) {
                PyErr_SetString(PyExc_IndexError, "select_candidates: a posting outside the names");
                return -1;
            }
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
    if (read_groups(groups, &group, n_ids, &support_slices) < 0) goto done;
    int32_t written_group = ++group;
    if (read_groups(vowels, &group, n_ids, &vowel_slices) < 0) goto done;
    if (ensure_scratch(names) < 0) goto done;

    /* Support: every group, then the bonus of the names written as the query. */
    if (add_slices(&support_slices, ids, names) < 0) goto scratch;
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
    if (add_slices(&vowel_slices, ids, names) < 0) goto scratch;
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

/* ---- the alignment ---------------------------------------------------------------------------------- */

/* compare._align for a pair of names no script rule touches (neither side Han, nor written without short
 * vowels, nor with Arabic letters at hand): 86 % of the comparisons of the speed benchmark's queries.
 * compare.py sets it up once (`configure_alignment`) with its constants, its TokenPair and NameMatch types
 * and `_token_match_uncached`, which this calls for a pair of words it has not met: the word rules stay in Python, and
 * their answers are kept here by the addresses of the two Token objects, which the table holds references to
 * (while an entry lives, no other object can have either address). */

typedef struct {
    PyObject *query;  /* owned */
    PyObject *listed; /* owned */
    PyObject *found;  /* owned: the word rules' answer, (similarity, how) or None */
} PairEntry;

#define PAIR_SLOTS ((size_t)1 << 20)   /* 24 MB */
#define PAIRS_KEPT (PAIR_SLOTS / 2)    /* emptied when half full: probes stay short */

static PairEntry *pair_table = NULL;
static size_t pairs_held = 0;

static struct {
    PyObject *token_match;
    PyObject *initial; /* TokenKind.INITIAL */
    PyTypeObject *token_pair;
    PyTypeObject *name_match;
    double query_exponent, list_exponent;
    double unmatched_list_weight, unmatched_list_weight_covered;
    double unmatched_query_weight, unmatched_query_weight_covered;
    double conflict_weight, conflict_factor, anchor_weight, unanchored_factor;
    double full_information, information_floor;
} alignment = {NULL};

static size_t
pair_slot(const PyObject *query, const PyObject *listed)
{
    uint64_t h = ((uint64_t)(uintptr_t)query >> 4) * 0x9E3779B97F4A7C15ull;
    h ^= ((uint64_t)(uintptr_t)listed >> 4) * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return (size_t)h & (PAIR_SLOTS - 1);
}

/* The kept answer for the pair (borrowed), or NULL. */
static PyObject *
kept_pair(PyObject *query, PyObject *listed)
{
    if (pair_table == NULL) {
        return NULL;
    }
    for (size_t s = pair_slot(query, listed);; s = (s + 1) & (PAIR_SLOTS - 1)) {
        PairEntry *e = &pair_table[s];
        if (e->query == NULL) {
            return NULL;
        }
        if (e->query == query && e->listed == listed) {
            return e->found;
        }
    }
}

static void
forget_pairs(void)
{
    /* Each slot is emptied before its references go, so the table is whole whatever a deallocation does. */
    for (size_t s = 0; pair_table != NULL && s < PAIR_SLOTS; s++) {
        PairEntry e = pair_table[s];
        if (e.query == NULL) {
            continue;
        }
        pair_table[s] = (PairEntry){NULL, NULL, NULL};
        pairs_held--;
        Py_DECREF(e.query);
        Py_DECREF(e.listed);
        Py_DECREF(e.found);
    }
    pairs_held = 0;
}

static int
keep_pair(PyObject *query, PyObject *listed, PyObject *found)
{
    if (pair_table == NULL) {
        pair_table = PyMem_Calloc(PAIR_SLOTS, sizeof(PairEntry));
        if (pair_table == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    if (pairs_held >= PAIRS_KEPT) {
        forget_pairs();
    }
    for (size_t s = pair_slot(query, listed);; s = (s + 1) & (PAIR_SLOTS - 1)) {
        PairEntry *e = &pair_table[s];
        if (e->query == query && e->listed == listed) {
            return 0; /* kept meanwhile by another thread */
        }
        if (e->query == NULL) {
            Py_INCREF(query);
            Py_INCREF(listed);
            Py_INCREF(found);
            *e = (PairEntry){query, listed, found};
            pairs_held++;
            return 0;
        }
    }
}

/* compare._may_have_article for an ASCII word: "al"/"el" first, or a vowel and an assimilated article (a
 * doubled sun letter, or a sun letter written sh/th/dh). */
static int
may_have_article(const Py_UCS1 *w, Py_ssize_t n)
{
    if (n >= 2 && (w[0] == 'a' || w[0] == 'e') && w[1] == 'l') {
        return 1;
    }
    if (n > 3 && (w[0] == 'a' || w[0] == 'e' || w[0] == 'u')) {
        if (w[1] == w[2] && w[1] != 0 && strchr("dnrstz", w[1]) != NULL) {
            return 1;
        }
        if ((w[1] == 's' || w[1] == 't' || w[1] == 'd') && w[2] == 'h') {
            return 1;
        }
    }
    return 0;
}

/* Whether no word rule can find the two Tokens alike, shown without asking Python: both written as their
 * canonical form (no second reading as written), neither an initial, ASCII, different canonical forms and
 * consonant keys, no article on either, and Jaro-Winkler below 0.6 for certain: the Jaro similarity is at
 * most (M/|a| + M/|b| + 1)/3 where M counts the letters the two share (no more can match), and Winkler's
 * boost, whenever it applies, at most p/10 of the rest for a shared prefix of p <= 4 letters. Below 0.6 and
 * with different keys, compare._word_similarity has nothing left but the article rule. 0 where unsure. */
static int
proven_unlike(PyObject *a, PyObject *b)
{
    if (PyTuple_GET_SIZE(a) < 4 || PyTuple_GET_SIZE(b) < 4) {
        return 0;
    }
    PyObject *a_text = PyTuple_GET_ITEM(a, 0), *a_canon = PyTuple_GET_ITEM(a, 1), *a_key = PyTuple_GET_ITEM(a, 2);
    PyObject *b_text = PyTuple_GET_ITEM(b, 0), *b_canon = PyTuple_GET_ITEM(b, 1), *b_key = PyTuple_GET_ITEM(b, 2);
    if (PyTuple_GET_ITEM(a, 3) == alignment.initial || PyTuple_GET_ITEM(b, 3) == alignment.initial) {
        return 0;
    }
    if (!PyUnicode_CheckExact(a_text) || !PyUnicode_CheckExact(a_canon) || !PyUnicode_CheckExact(a_key) ||
        !PyUnicode_CheckExact(b_text) || !PyUnicode_CheckExact(b_canon) || !PyUnicode_CheckExact(b_key)) {
        return 0;
    }
    if (!PyUnicode_IS_ASCII(a_canon) || !PyUnicode_IS_ASCII(b_canon)) {
        return 0;
    }
    if (PyUnicode_Compare(a_text, a_canon) != 0 || PyUnicode_Compare(b_text, b_canon) != 0 ||
        PyUnicode_Compare(a_canon, b_canon) == 0 || PyUnicode_Compare(a_key, b_key) == 0) {
        return 0;
    }
    const Py_UCS1 *x = PyUnicode_1BYTE_DATA(a_canon), *y = PyUnicode_1BYTE_DATA(b_canon);
    Py_ssize_t nx = PyUnicode_GET_LENGTH(a_canon), ny = PyUnicode_GET_LENGTH(b_canon);
    if (nx == 0 || ny == 0 || may_have_article(x, nx) || may_have_article(y, ny)) {
        return 0;
    }
    int counts[128] = {0};
    for (Py_ssize_t i = 0; i < nx; i++) {
        counts[x[i] & 127]++;
    }
    Py_ssize_t shared = 0;
    for (Py_ssize_t i = 0; i < ny; i++) {
        if (counts[y[i] & 127] > 0) {
            counts[y[i] & 127]--;
            shared++;
        }
    }
    Py_ssize_t prefix = 0;
    while (prefix < 4 && prefix < nx && prefix < ny && x[prefix] == y[prefix]) {
        prefix++;
    }
    double jaro = shared == 0 ? 0.0 : ((double)shared / nx + (double)shared / ny + 1.0) / 3.0;
    double winkler = jaro + 0.1 * prefix * (1.0 - jaro);
    return winkler < 0.6 - 1e-9;
}

/* The word rules' answer for (query, listed), kept: a new reference, or NULL with an exception set. */
static PyObject *
token_match(PyObject *query, PyObject *listed)
{
    PyObject *found = kept_pair(query, listed);
    if (found != NULL) {
        Py_INCREF(found);
        return found;
    }
    if (proven_unlike(query, listed)) {
        found = Py_NewRef(Py_None);
    } else {
        PyObject *args[2] = {query, listed}, *rule = Py_NewRef(alignment.token_match);
        found = PyObject_Vectorcall(rule, args, 2, NULL);
        Py_DECREF(rule);
        if (found == NULL) {
            return NULL;
        }
    }
    if (found != Py_None && !(PyTuple_Check(found) && PyTuple_GET_SIZE(found) == 2 &&
                               PyFloat_Check(PyTuple_GET_ITEM(found, 0)) &&
                               PyUnicode_Check(PyTuple_GET_ITEM(found, 1)))) {
        PyErr_SetString(PyExc_TypeError, "align: the word rules gave neither None nor (float, str)");
        Py_DECREF(found);
        return NULL;
    }
    if (keep_pair(query, listed, found) < 0) {
        Py_DECREF(found);
        return NULL;
    }
    return found;
}

/* An instance of a NamedTuple type made as tuple.__new__ makes it, from `n` new references (stolen, also
 * on failure). */
static PyObject *
named_tuple(PyTypeObject *type, PyObject **items, Py_ssize_t n)
{
    for (Py_ssize_t k = 0; k < n; k++) {
        if (items[k] == NULL) {
            for (Py_ssize_t m = 0; m < n; m++) {
                Py_XDECREF(items[m]);
            }
            return NULL;
        }
    }
    PyObject *made = type->tp_alloc(type, n);
    if (made == NULL) {
        for (Py_ssize_t k = 0; k < n; k++) {
            Py_DECREF(items[k]);
        }
        return NULL;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyTuple_SET_ITEM(made, k, items[k]);
    }
    return made;
}

/* The texts (item 0) of the tokens not used, as a tuple. */
static PyObject *
left_over_texts(PyObject *tokens, const char *used)
{
    Py_ssize_t n = PyTuple_GET_SIZE(tokens), count = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        count += !used[k];
    }
    PyObject *texts = PyTuple_New(count);
    if (texts == NULL) {
        return NULL;
    }
    for (Py_ssize_t k = 0, m = 0; k < n; k++) {
        if (!used[k]) {
            PyObject *text = PyTuple_GET_ITEM(PyTuple_GET_ITEM(tokens, k), 0);
            Py_INCREF(text);
            PyTuple_SET_ITEM(texts, m++, text);
        }
    }
    return texts;
}

/* NameMatch(0.0, (), every query text, every listed text, 0.0): no word matched. */
static PyObject *
no_alignment(PyObject *query_tokens, PyObject *listed_tokens, const char *unused_q, const char *unused_c)
{
    PyObject *items[5] = {PyFloat_FromDouble(0.0), PyTuple_New(0), left_over_texts(query_tokens, unused_q),
                          left_over_texts(listed_tokens, unused_c), PyFloat_FromDouble(0.0)};
    PyObject *defaults[3] = {PyFloat_FromDouble(0.0), PyFloat_FromDouble(0.0), Py_NewRef(Py_False)};
    PyObject *all[8] = {items[0], items[1], items[2], items[3], items[4], defaults[0], defaults[1], defaults[2]};
    return named_tuple(alignment.name_match, all, 8);
}

/* Token texts and float weights, checked: a tuple of `n` tuples whose first item is a str, and tuples of
 * `n` floats. */
static int
check_name(PyObject *tokens, PyObject *weights, PyObject *left_over, const char *side)
{
    if (!PyTuple_Check(tokens) || !PyTuple_Check(weights) || !PyTuple_Check(left_over)) {
        PyErr_Format(PyExc_TypeError, "align: the %s name's tokens and weights must be tuples", side);
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(tokens);
    if (PyTuple_GET_SIZE(weights) != n || PyTuple_GET_SIZE(left_over) != n) {
        PyErr_Format(PyExc_ValueError, "align: the %s name has %zd tokens, %zd weights and %zd left-over weights",
                     side, n, PyTuple_GET_SIZE(weights), PyTuple_GET_SIZE(left_over));
        return -1;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *token = PyTuple_GET_ITEM(tokens, k);
        if (!PyTuple_Check(token) || PyTuple_GET_SIZE(token) < 1 || !PyUnicode_Check(PyTuple_GET_ITEM(token, 0)) ||
            !PyFloat_Check(PyTuple_GET_ITEM(weights, k)) || !PyFloat_Check(PyTuple_GET_ITEM(left_over, k))) {
            PyErr_Format(PyExc_TypeError, "align: the %s name's token %zd is not a Token with float weights",
                         side, k);
            return -1;
        }
    }
    return 0;
}

typedef struct {
    double similarity;
    double weights; /* the two tokens' weights summed: the larger first among equal similarities */
    Py_ssize_t i, j;
} Candidate;

/* compare._align's order: (-similarity, -(wq[i] + wc[j]), i, j). */
static int
by_pair_rank(const void *x, const void *y)
{
    const Candidate *a = x, *b = y;
    if (a->similarity != b->similarity) {
        return a->similarity > b->similarity ? -1 : 1;
    }
    if (a->weights != b->weights) {
        return a->weights > b->weights ? -1 : 1;
    }
    if (a->i != b->i) {
        return a->i < b->i ? -1 : 1;
    }
    return (a->j > b->j) - (a->j < b->j);
}

static int
anchors(PyObject *how)
{
    return PyUnicode_CompareWithASCIIString(how, "exact") == 0 ||
           PyUnicode_CompareWithASCIIString(how, "variant") == 0;
}

PyDoc_STRVAR(align_doc,
"align(query_tokens, query_weights, query_left_over, listed_tokens, listed_weights, listed_left_over,\n"
"      transliterated) -> NameMatch\n\n"
"compare._align for two names no script rule touches, from their PreparedName fields.");

static PyObject *
align(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (alignment.token_match == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "align: configure_alignment was not called");
        return NULL;
    }
    if (nargs != 7) {
        PyErr_Format(PyExc_TypeError, "align: 7 arguments, %zd given", nargs);
        return NULL;
    }
    PyObject *q = args[0], *wq = args[1], *lq = args[2], *c = args[3], *wc = args[4], *lc = args[5];
    int transliterated = PyObject_IsTrue(args[6]);
    if (transliterated < 0 || check_name(q, wq, lq, "query") < 0 || check_name(c, wc, lc, "listed") < 0) {
        return NULL;
    }
    Py_ssize_t nq = PyTuple_GET_SIZE(q), nc = PyTuple_GET_SIZE(c);
    PyObject *out = NULL;
    PyObject **found = PyMem_Calloc(nq * nc + 1, sizeof(PyObject *));
    Candidate *ranked = PyMem_Malloc((nq * nc + 1) * sizeof(Candidate));
    char *used_q = PyMem_Calloc(nq + nc + 1, 1), *used_c = used_q + nq;
    Py_ssize_t *pair_i = PyMem_Malloc((nq + nc + 1) * 2 * sizeof(Py_ssize_t)), *pair_j = pair_i + nq + nc + 1;
    if (found == NULL || ranked == NULL || used_q == NULL || pair_i == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* Every pair's answer first (a new reference each: the Python calls may let other threads empty the
     * table); then nothing but C. */
    Py_ssize_t n_ranked = 0;
    for (Py_ssize_t i = 0; i < nq; i++) {
        for (Py_ssize_t j = 0; j < nc; j++) {
            PyObject *answer = token_match(PyTuple_GET_ITEM(q, i), PyTuple_GET_ITEM(c, j));
            if (answer == NULL) {
                goto done;
            }
            found[i * nc + j] = answer;
            if (answer != Py_None) {
                double sim = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(answer, 0));
                if (sim > 0) {
                    ranked[n_ranked++] = (Candidate){
                        sim, PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(wq, i)) + PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(wc, j)),
                        i, j};
                }
            }
        }
    }
    if (n_ranked == 0) {
        out = no_alignment(q, c, used_q, used_c);
        goto done;
    }
    qsort(ranked, n_ranked, sizeof(Candidate), by_pair_rank);
    Py_ssize_t most_pairs = nq < nc ? nq : nc, n_pairs = 0;
    double matched_q = 0.0, matched_c = 0.0, information = 0.0;
    int anchored = 0;
    for (Py_ssize_t k = 0; k < n_ranked; k++) {
        Py_ssize_t i = ranked[k].i, j = ranked[k].j;
        if (used_q[i] || used_c[j]) {
            continue;
        }
        double sim = ranked[k].similarity, weight = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(wq, i));
        used_q[i] = used_c[j] = 1;
        matched_q += sim * weight;
        matched_c += sim * PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(wc, j));
        information += weight;
        pair_i[n_pairs] = i;
        pair_j[n_pairs] = j;
        n_pairs++;
        if (!anchored && weight >= alignment.anchor_weight &&
            anchors(PyTuple_GET_ITEM(found[i * nc + j], 1))) {
            anchored = 1;
        }
        if (n_pairs == most_pairs) {
            break;
        }
    }
    /* Sums in index order, one by one, as compare._align adds them. */
    double total_q = 0.0, unmatched_c = 0.0, unmatched_q = 0.0;
    for (Py_ssize_t i = 0; i < nq; i++) {
        total_q += PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(wq, i));
    }
    if (total_q <= 0) {
        memset(used_q, 0, nq + nc);
        out = no_alignment(q, c, used_q, used_c);
        goto done;
    }
    for (Py_ssize_t j = 0; j < nc; j++) {
        if (!used_c[j]) {
            unmatched_c += PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(lc, j));
        }
    }
    for (Py_ssize_t i = 0; i < nq; i++) {
        if (!used_q[i]) {
            unmatched_q += PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(lq, i));
        }
    }
    int listed_covered = unmatched_c <= 0.15 &&
                         (information >= 1.4 || (nq >= 3 && used_q[0] && used_q[nq - 1] && n_pairs >= 2));
    double unmatched_query_weight =
        listed_covered ? alignment.unmatched_query_weight_covered : alignment.unmatched_query_weight;
    double denominator = matched_q + unmatched_query_weight * unmatched_q + (information - matched_q);
    if (denominator == 0.0) {
        PyErr_SetString(PyExc_ZeroDivisionError, "float division by zero");
        goto done;
    }
    double coverage_q = matched_q / denominator;
    int query_covered = unmatched_q <= 0.05 && information >= 1.4;
    double unmatched_list_weight =
        query_covered ? alignment.unmatched_list_weight_covered : alignment.unmatched_list_weight;
    double coverage_c = matched_c > 0 ? matched_c / (matched_c + unmatched_list_weight * unmatched_c) : 0.0;
    double score = pow(coverage_q, alignment.query_exponent) * pow(coverage_c, alignment.list_exponent);
    if (unmatched_q >= alignment.conflict_weight && unmatched_c >= alignment.conflict_weight) {
        score *= alignment.conflict_factor;
    }
    if (!anchored && !transliterated && (n_pairs >= 2 || unmatched_c >= alignment.conflict_weight)) {
        score *= alignment.unanchored_factor;
    }
    if (information < alignment.full_information) {
        score *= alignment.information_floor +
                 (1.0 - alignment.information_floor) * information / alignment.full_information;
    }
    PyObject *pairs = PyTuple_New(n_pairs);
    if (pairs == NULL) {
        goto done;
    }
    for (Py_ssize_t k = 0; k < n_pairs; k++) {
        Py_ssize_t i = pair_i[k], j = pair_j[k];
        PyObject *answer = found[i * nc + j];
        PyObject *items[5] = {
            Py_NewRef(PyTuple_GET_ITEM(PyTuple_GET_ITEM(q, i), 0)),
            Py_NewRef(PyTuple_GET_ITEM(PyTuple_GET_ITEM(c, j), 0)),
            Py_NewRef(PyTuple_GET_ITEM(answer, 1)),
            Py_NewRef(PyTuple_GET_ITEM(answer, 0)),
            Py_NewRef(PyTuple_GET_ITEM(wq, i)),
        };
        PyObject *pair = named_tuple(alignment.token_pair, items, 5);
        if (pair == NULL) {
            Py_DECREF(pairs);
            goto done;
        }
        PyTuple_SET_ITEM(pairs, k, pair);
    }
    PyObject *items[8] = {
        PyFloat_FromDouble(score > 1.0 ? 1.0 : score),
        pairs,
        left_over_texts(q, used_q),
        left_over_texts(c, used_c),
        PyFloat_FromDouble(information),
        PyFloat_FromDouble(unmatched_q),
        PyFloat_FromDouble(unmatched_c),
        Py_NewRef(transliterated ? Py_True : Py_False),
    };
    out = named_tuple(alignment.name_match, items, 8);
done:
    if (found != NULL) {
        for (Py_ssize_t k = 0; k < nq * nc; k++) {
            Py_XDECREF(found[k]);
        }
    }
    PyMem_Free(found);
    PyMem_Free(ranked);
    PyMem_Free(used_q);
    PyMem_Free(pair_i);
    return out;
}

PyDoc_STRVAR(configure_alignment_doc,
"configure_alignment(token_match, token_pair, name_match, initial, **constants) -> None\n\n"
"Set up `align`: compare._token_match_uncached, the TokenPair and NameMatch types (tuples of 5 and 8 fields),\n"
"TokenKind.INITIAL and\n"
"compare.py's constants, each by its name in lower case. Forgets every pair kept so far.");

static PyObject *
configure_alignment(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"token_match", "token_pair", "name_match", "initial", "query_exponent", "list_exponent",
                               "unmatched_list_weight", "unmatched_list_weight_covered",
                               "unmatched_query_weight", "unmatched_query_weight_covered", "conflict_weight",
                               "conflict_factor", "anchor_weight", "unanchored_factor", "full_information",
                               "information_floor", NULL};
    PyObject *token_match_fn, *initial;
    PyTypeObject *token_pair, *name_match;
    double constants[12];
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO!O!O$dddddddddddd:configure_alignment", keywords,
                                     &token_match_fn, &PyType_Type, &token_pair, &PyType_Type, &name_match, &initial,
                                     &constants[0], &constants[1], &constants[2], &constants[3], &constants[4],
                                     &constants[5], &constants[6], &constants[7], &constants[8], &constants[9],
                                     &constants[10], &constants[11])) {
        return NULL;
    }
    if (!PyCallable_Check(token_match_fn) || !PyType_IsSubtype(token_pair, &PyTuple_Type) ||
        !PyType_IsSubtype(name_match, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "configure_alignment: a callable and two tuple types");
        return NULL;
    }
    forget_pairs();
    Py_INCREF(token_match_fn);
    Py_INCREF(initial);
    Py_XSETREF(alignment.initial, initial);
    Py_INCREF(token_pair);
    Py_INCREF(name_match);
    Py_XSETREF(alignment.token_match, token_match_fn);
    Py_XSETREF(alignment.token_pair, token_pair);
    Py_XSETREF(alignment.name_match, name_match);
    alignment.query_exponent = constants[0];
    alignment.list_exponent = constants[1];
    alignment.unmatched_list_weight = constants[2];
    alignment.unmatched_list_weight_covered = constants[3];
    alignment.unmatched_query_weight = constants[4];
    alignment.unmatched_query_weight_covered = constants[5];
    alignment.conflict_weight = constants[6];
    alignment.conflict_factor = constants[7];
    alignment.anchor_weight = constants[8];
    alignment.unanchored_factor = constants[9];
    alignment.full_information = constants[10];
    alignment.information_floor = constants[11];
    Py_RETURN_NONE;
}

PyDoc_STRVAR(unlike_doc,
"unlike(a, b) -> bool\n\nWhether `align` answers the pair of Tokens as no match without asking Python.");

static PyObject *
unlike(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyTuple_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "unlike: two Tokens");
        return NULL;
    }
    return PyBool_FromLong(proven_unlike(args[0], args[1]));
}

PyDoc_STRVAR(forget_pairs_doc, "forget_pairs() -> None\n\nEmpty `align`'s table of word pairs.");

static PyObject *
forget_pairs_py(PyObject *module, PyObject *unused)
{
    forget_pairs();
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"align", (PyCFunction)(void (*)(void))align, METH_FASTCALL, align_doc},
    {"configure_alignment", (PyCFunction)(void (*)(void))configure_alignment, METH_VARARGS | METH_KEYWORDS,
     configure_alignment_doc},
    {"forget_pairs", forget_pairs_py, METH_NOARGS, forget_pairs_doc},
    {"unlike", (PyCFunction)(void (*)(void))unlike, METH_FASTCALL, unlike_doc},
    {"select_candidates", select_candidates, METH_VARARGS, select_candidates_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "ctscreen.matching._native",
    "The C twins of three inner loops of screening (see _native.c).",
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
