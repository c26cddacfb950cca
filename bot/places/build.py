"""Build the NLU's place artefacts from offline data (run by `make gazetteer`).

Writes, under the output folder:
- `zh_places/`: a blank spaCy `zh` pipeline (jieba segmenter) with an EntityRuler tagging every
  place name and alias as `location`; Rasa loads it through `SpacyNLP`.
- `jieba/`: jieba user dictionaries, so that jieba keeps 沙坪坝区 in one token for both Rasa's
  tokenizer and spaCy's: our labour terms, every place name, and `splits.txt`, compounds jieba
  knows that would swallow an entity boundary ("两个[月工资]" hides 两个月), given frequency 0 so
  jieba always splits them. `tests/test_segmentation.py` finds new ones. Jieba reads every file
  in the folder as a dictionary: no comments or READMEs there.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from bot.places.gazetteer import alias_table

DICTIONARY_SOURCE = Path(__file__).resolve().parents[1] / "nlu" / "dictionary"
# High enough that jieba prefers the whole name over its parts, low enough not to glue
# a name to the word after it.
PLACE_FREQ = 2000


def build(out: Path) -> None:
    import jieba
    import spacy
    from spacy.pipeline import EntityRuler

    out.mkdir(parents=True, exist_ok=True)
    jieba_dir = out / "jieba"
    if jieba_dir.exists():
        shutil.rmtree(jieba_dir)
    shutil.copytree(DICTIONARY_SOURCE, jieba_dir)

    table = alias_table()
    names = sorted(table)
    (jieba_dir / "places.txt").write_text("".join(f"{name} {PLACE_FREQ} ns\n" for name in names), encoding="utf-8")
    # The ruler's phrase patterns are segmented by jieba, so it must know the names first.
    for path in sorted(jieba_dir.iterdir()):
        jieba.load_userdict(str(path))

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    assert isinstance(ruler, EntityRuler)
    ruler.add_patterns([{"label": "location", "pattern": name} for name in names])
    target = out / "zh_places"
    if target.exists():
        shutil.rmtree(target)
    nlp.to_disk(target)
    print(f"gazetteer: {len(names)} place names and aliases → {target}, {jieba_dir}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="build", type=Path)
    build(parser.parse_args().out)


if __name__ == "__main__":
    main()
