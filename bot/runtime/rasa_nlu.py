"""The NLU parse without the costs that come from no part of its answer (Rasa 3.6, issue 18).

cProfile of `agent.parse_message` over tests/data/nlu_test.yml (docs/figures.md, issue 18) found
these costs, which buy nothing for GongYou's pipeline (shares of a parse under the profiler):

- The graph runner. Every parse hands Rasa's graph to `dask.get`, which rebuilds the minimal
  schema, orders the graph and sets up its scheduler state each time: ~15% of a parse, for a
  graph that is the same on every call. Here the order dask would run the nodes in is asked of
  dask once per (graph, targets, inputs) — on a graph of the same shape whose tasks only record
  their turn — and replayed: the same nodes, in the same order, given the same arguments.
- The intent classifier's input. `LogisticRegressionClassifier._create_X` asks
  `Message.get_sparse_features`, which deep-copies and `scipy.sparse.hstack`s the sequence
  features (thrown away) and the sentence features, then hstacks and vstacks the result again:
  ~20% of a parse. Here the sentence features are laid side by side once, into the canonical
  CSR matrix that sklearn makes of Rasa's (same columns, values and dtype), so `predict_proba`
  computes the same numbers.
- The classifier's weights copied on every parse. sklearn scores `X @ coef_.T`; scipy hands the
  dense operand to its C routine with `ravel()`, and the transpose of a C-ordered `coef_` is not
  contiguous, so all 22 × 19,000 weights were copied per parse (~9%). Here `coef_` is kept in
  Fortran order: its transpose is contiguous, `ravel()` is a view, and the same routine reads the
  same numbers.
- The count vectors built through three scipy matrices. Each CountVectorsFeaturizer asks sklearn's
  `CountVectorizer.transform` (which rebuilds its analyzer and makes a CSR matrix, checked in
  full) and turns the result into a COO matrix, twice a message: ~15% of a parse for matrices of
  a dozen entries. Here the same analyzer, kept, counts the same vocabulary and the COO matrix
  is made once, with the entries, order and dtypes `tocoo()` gives.
- spaCy run twice on the same text. `SpacyNLP` makes a doc of the lower-cased text that no
  component of the pipeline reads (there is no SpacyTokenizer or SpacyFeaturizer), and
  `SpacyEntityExtractor` then runs the whole pipeline again on the text as written. For text
  that lower-casing leaves as it is (most Chinese), both docs are one and the same parse, so the
  extractor takes SpacyNLP's; any other text is parsed again as before.
- jieba run twice on the same text. spaCy's Chinese tokenizer cuts the text with the same jieba
  (same dictionary, same `cut(text, cut_all=False)`) that JiebaTokenizer has just cut it with, a
  moment earlier for the same message. Here JiebaTokenizer leaves its cut on the message object
  (not in its data), and SpacyNLP builds its doc from those words exactly as spaCy's tokenizer
  does (`get_words_and_spaces`, then the pipeline) when the text it parses is that text.
- An empty domain built on every parse. `processor.parse_message` asks `domain.is_empty()`,
  which builds `Domain.empty()` (every default action, a full `Domain.from_dict`) to compare
  dicts with: ~5% of a parse. The empty domain's dict is the same every time; it is built once.

tests/test_rasa_nlu.py parses every training and held-out example with and without this module
and finds the same intent, ranking and entities.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

_ORIGINAL: Dict[str, Any] = {}
logger = logging.getLogger("rasa.engine.runner.dask")


# --- the graph runner ---------------------------------------------------------------------------


class _Plan:
    """One graph's nodes in dask's order: each with the keys of its arguments and the results no
    later node needs (let go after it, as dask lets them go: training graphs carry big ones)."""

    __slots__ = ("steps", "names")

    def __init__(self, steps: List[Tuple[str, Any, Tuple[str, ...], Tuple[str, ...]]]) -> None:
        self.steps = steps
        self.names = frozenset(step[0] for step in steps)


def _dask_order(graph: Dict[str, Tuple[Any, ...]], input_names: Sequence[str], targets: List[str]) -> List[str]:
    """The order `dask.get` runs `graph`'s nodes in, found by running a graph of the same shape
    whose tasks only record their key (dask orders by the graph's shape and keys alone)."""
    import dask

    ran: List[str] = []

    def record(key: str, *_: Any) -> Tuple[str, None]:
        ran.append(key)
        return key, None

    # The key goes in through partial: as a task argument dask would read it as a dependency.
    shape: Dict[str, Any] = {name: (functools.partial(record, name), *needs) for name, needs in graph.items()}
    for name in input_names:
        # Rasa's inputs are literal (name, value) tuples: data to dask, with no dependencies.
        shape[name] = (name, None)
    dask.get(shape, targets)
    return ran


def _plan(runner: Any, input_names: Tuple[str, ...], targets: List[str]) -> _Plan:
    schema = runner._graph_schema.minimal_graph_schema(targets)
    needs = {name: tuple(node.needs.values()) for name, node in schema.nodes.items()}
    order = _dask_order(needs, input_names, targets)
    last_use = {need: i for i, name in enumerate(order) for need in needs[name]}
    done_after: Dict[int, List[str]] = {}
    for need, i in last_use.items():
        if need not in targets:
            done_after.setdefault(i, []).append(need)
    return _Plan(
        [
            (name, runner._instantiated_nodes[name], needs[name], tuple(done_after.get(i, ())))
            for i, name in enumerate(order)
        ]
    )


def run(self: Any, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
    """`DaskGraphRunner.run`, with the graph's order kept from the first run of its shape."""
    from rasa.engine.exceptions import GraphRunError

    run_targets = list(targets) if targets else list(self._graph_schema.target_names)
    inputs = inputs or {}
    plans = self.__dict__.setdefault("_gongyou_plans", {})
    key = (tuple(run_targets), tuple(inputs))
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = _plan(self, tuple(inputs), run_targets)
    results: Dict[str, Any] = {}
    for name, value in inputs.items():
        if isinstance(value, str) and (value in results or value in plan.names):
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure "
                f"that none of the input names passed to the `run` method are the "
                f"same as node names in the graph schema."
            )
        results[name] = (name, value)
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(f"Running graph with inputs: {inputs}, targets: {targets} and {self._execution_context}.")
    try:
        for name, node, needs, done in plan.steps:
            # A need no node provides reaches the node as its bare name, as dask passes it.
            results[name] = node(*[results.get(need, need) for need in needs])
            for key in done:
                results.pop(key, None)
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(results[target] for target in run_targets)


# --- the intent classifier's input ------------------------------------------------------------


def sentence_matrix(messages: List[Any]) -> Optional[Any]:
    """The CSR matrix sklearn makes of `LogisticRegressionClassifier._create_X(messages)`, or
    None where this shortcut does not apply (dense features, rows of different widths)."""
    import numpy as np
    from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
    from scipy.sparse import csr_matrix

    datas, columns, counts, dtypes = [], [], [], []
    width: Optional[int] = None
    for message in messages:
        offset, n = 0, 0
        for f in message.features:
            if f.attribute != TEXT or f.type != FEATURE_TYPE_SENTENCE:
                continue
            if not f.is_sparse():
                return None
            block = f.features.tocoo(copy=False)
            datas.append(block.data)
            columns.append(block.col.astype(np.int64, copy=False) + offset)
            dtypes.append(block.dtype)
            offset += block.shape[1]
            n += block.nnz
        if width is not None and offset != width:
            return None
        width = offset
        counts.append(n)
    if not messages:
        return None
    data = np.concatenate(datas) if datas else np.zeros(0)
    # Rasa hstacks each row with `csr_matrix([])` (no dense features), a float64 block: scipy
    # upcasts every block to one dtype, so the matrix is float64 at least.
    dtype = np.result_type(np.float64, *dtypes)
    indptr = np.concatenate([[0], np.cumsum(counts)])
    indices = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
    matrix = csr_matrix((data.astype(dtype, copy=False), indices, indptr), shape=(len(messages), width or 0))
    # What coo → csr does for sklearn: duplicates summed, indices sorted.
    matrix.sum_duplicates()
    return matrix


def classify(self: Any, messages: List[Any]) -> List[Any]:
    """`LogisticRegressionClassifier.process`, with the weights laid out for sklearn's product."""
    import numpy as np

    coef = getattr(self.clf, "coef_", None)
    if isinstance(coef, np.ndarray) and coef.ndim == 2 and not coef.T.flags.c_contiguous:
        self.clf.coef_ = np.asfortranarray(coef)
    return _ORIGINAL["classify"](self, messages)


def create_x(self: Any, messages: List[Any]) -> Any:
    matrix = sentence_matrix(messages)
    if matrix is None:
        return _ORIGINAL["create_x"](self, messages)
    return matrix


# --- the count vectors ---------------------------------------------------------------------------


def _analyzer(featurizer: Any, vectorizer: Any) -> Any:
    kept = featurizer.__dict__.setdefault("_gongyou_analyzers", {})
    entry = kept.get(id(vectorizer))
    if entry is None or entry[0] is not vectorizer:
        entry = kept[id(vectorizer)] = (vectorizer, vectorizer.build_analyzer())
    return entry[1]


def _counts(vectorizer: Any, analyze: Any, documents: List[str]) -> Any:
    """`vectorizer.transform(documents)`, sorted, as the COO matrix `.tocoo()` makes of it."""
    import numpy as np
    from scipy.sparse import coo_matrix

    vocabulary = vectorizer.vocabulary_
    rows: List[int] = []
    columns: List[int] = []
    values: List[int] = []
    for row, document in enumerate(documents):
        counter: Dict[int, int] = {}
        for feature in analyze(document):
            index = vocabulary.get(feature)
            if index is not None:
                counter[index] = counter.get(index, 0) + 1
        for index in sorted(counter):  # CSR sort_indices
            rows.append(row)
            columns.append(index)
            values.append(1 if vectorizer.binary else counter[index])
    # sklearn counts into a C int array and indexes with int32 below 2**31 entries.
    data = np.asarray(np.asarray(values, dtype=np.intc), dtype=vectorizer.dtype)
    return coo_matrix(
        (data, (np.asarray(rows, dtype=np.int32), np.asarray(columns, dtype=np.int32))),
        shape=(len(documents), len(vocabulary)),
        dtype=vectorizer.dtype,
    )


def count_features(self: Any, attribute: str, all_tokens: List[List[str]]) -> Tuple[List[Any], List[Any]]:
    """`CountVectorsFeaturizer._create_features`, counted without sklearn's matrix round trip."""
    from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = (self.vectorizers or {}).get(attribute)
    if type(vectorizer) is not CountVectorizer or not getattr(vectorizer, "vocabulary_", None):
        # Not yet used (sklearn sets vocabulary_ on the first transform) or not sklearn's own.
        return _ORIGINAL["count_features"](self, attribute, all_tokens)
    analyze = _analyzer(self, vectorizer)
    sequence_features: List[Any] = []
    sentence_features: List[Any] = []
    for tokens in all_tokens:
        if not tokens:
            sequence_features.append(None)
            sentence_features.append(None)
            continue
        sequence_features.append(_counts(vectorizer, analyze, tokens))
        if attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            sentence_features.append(_counts(vectorizer, analyze, [" ".join(tokens)]))
        else:
            sentence_features.append(None)
    return sequence_features, sentence_features


# --- one spaCy parse ----------------------------------------------------------------------------


def spacy_entities(self: Any, messages: List[Any], model: Any) -> List[Any]:
    """`SpacyEntityExtractor.process`, taking SpacyNLP's doc where it is the parse of this text."""
    from rasa.nlu.constants import SPACY_DOCS
    from rasa.shared.nlu.constants import ENTITIES, TEXT

    for message in messages:
        text = message.get(TEXT)
        doc = message.get(SPACY_DOCS[TEXT])
        if doc is None or doc.vocab is not model.model.vocab or doc.text != text:
            doc = model.model(text)
        all_extracted = self.add_extractor_name(self._extract_entities(doc))
        extracted = self.filter_irrelevant_entities(all_extracted, self._config["dimensions"])
        message.set(ENTITIES, message.get(ENTITIES, []) + extracted, add_to_output=True)
    return messages


# --- one jieba cut ----------------------------------------------------------------------------

# Where JiebaTokenizer leaves its cut on the message object: an attribute, not message data.
_CUTS = "_gongyou_jieba_cuts"


def jieba_tokenize(self: Any, message: Any, attribute: str) -> List[Any]:
    """`JiebaTokenizer.tokenize`, leaving jieba's words for SpacyNLP (tokens are jieba's pieces,
    one for one, unless a token pattern splits them further)."""
    tokens = _ORIGINAL["jieba_tokenize"](self, message, attribute)
    if not self.token_pattern_regex:
        message.__dict__.setdefault(_CUTS, {})[attribute] = (message.get(attribute), [t.text for t in tokens])
    return tokens


def _jieba_doc(nlp: Any, message: Any, attribute: str, text: str) -> Optional[Any]:
    """What `nlp(text)` returns, from the message's jieba cut of `text` if it has one."""
    import jieba
    from spacy.tokens import Doc
    from spacy.util import get_words_and_spaces

    cut = message.__dict__.get(_CUTS, {}).get(attribute)
    tokenizer = nlp.tokenizer
    if (
        cut is None
        or cut[0] != text
        or getattr(tokenizer, "segmenter", None) != "jieba"
        or getattr(tokenizer, "jieba_seg", None) is not jieba
        or len(text) > nlp.max_length
    ):
        return None
    # spaCy's ChineseTokenizer.__call__, from the same words.
    words, spaces = get_words_and_spaces([w for w in cut[1] if w], text)
    return nlp(Doc(nlp.vocab, words=words, spaces=spaces))


def spacy_docs(self: Any, messages: List[Any], model: Any) -> List[Any]:
    """`SpacyNLP.process`, cutting no text jieba has already cut."""
    from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, SPACY_DOCS

    for message in messages:
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            text = message.get(attribute)
            if text:
                prepared = self._preprocess_text(text)
                doc = _jieba_doc(model.model, message, attribute, prepared)
                if doc is None:
                    doc = self._doc_for_text(model.model, text)
                message.set(SPACY_DOCS[attribute], doc)
    return messages


# --- the empty domain --------------------------------------------------------------------------

_EMPTY_DOMAIN: List[Dict[str, Any]] = []


def domain_is_empty(self: Any) -> bool:
    """`Domain.is_empty`, with the empty domain's dict built once."""
    from rasa.shared.core.domain import Domain

    if not _EMPTY_DOMAIN:
        _EMPTY_DOMAIN.append(Domain.empty().as_dict())
    return self.as_dict() == _EMPTY_DOMAIN[0]


# --- installation -------------------------------------------------------------------------------


def _patches() -> List[Tuple[Any, str, Any]]:
    """(class, attribute, GongYou's version) for every method this module replaces."""
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
    from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
    from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    from rasa.shared.core.domain import Domain

    return [
        (DaskGraphRunner, "run", run),
        (LogisticRegressionClassifier, "_create_X", create_x),
        (LogisticRegressionClassifier, "process", classify),
        (CountVectorsFeaturizer, "_create_features", count_features),
        (JiebaTokenizer, "tokenize", jieba_tokenize),
        (SpacyNLP, "process", spacy_docs),
        (SpacyEntityExtractor, "process", spacy_entities),
        (Domain, "is_empty", domain_is_empty),
    ]


def install() -> None:
    for cls, name, ours in _patches():
        _ORIGINAL.setdefault(ours.__name__, cls.__dict__[name])
        setattr(cls, name, ours)


def uninstall() -> None:
    """Rasa's own methods back (the equivalence tests parse with both in one process)."""
    for cls, name, ours in _patches():
        if ours.__name__ in _ORIGINAL:
            setattr(cls, name, _ORIGINAL[ours.__name__])


def installed() -> bool:
    return all(cls.__dict__.get(name) is ours for cls, name, ours in _patches())
