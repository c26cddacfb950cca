"""Import a station list (CSV or GeoJSON): every row checked, all or nothing.

    python -m bot.stations.importer stations.csv      # or .geojson; DATABASE_URL picks the database

Bad rows are reported by line (CSV) or feature number (GeoJSON) and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List

from bot.stations.parsing import ImportFailed, parse
from bot.stations.store import replace_all
from bot.storage.engine import make_engine, upgrade


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    try:
        stations = parse(args.file)
    except ImportFailed as failed:
        for number, message in failed.errors:
            print(f"{args.file}:{number}: {message}", file=sys.stderr)
        print(f"没有导入：{len(failed.errors)}行有问题。", file=sys.stderr)
        return 1
    engine = make_engine()
    upgrade(engine)
    replace_all(engine, stations)
    print(f"导入了{len(stations)}个服务站。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
