"""``python -m bench.inside <command>``: the parts of the benchmark that need
Django, run by the runner in a subprocess with the bench database's
environment (the runner itself never loads Django, so each step sees exactly
the settings and database it is given). Prints JSON on stdout; the
publishing driver answers JSON lines on stdin until its pipe closes."""

import argparse
import json
import os
import sys

import django


def parse_args(argv):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["seed"]:
        # Passed on whole: argparse's REMAINDER would take "--articles 2000"
        # for an option of ours.
        return argparse.Namespace(command="seed", options=argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench.inside")
    commands = parser.add_subparsers(dest="command", required=True)
    sampling = commands.add_parser("sample")
    sampling.add_argument("--unit", required=True)
    sampling.add_argument("--count", type=int, required=True)
    sampling.add_argument("--seed", type=int, default=1)
    commands.add_parser("prepare")
    # seed_bench's options (bench/inside/seed.py), passed on as they are.
    seeding = commands.add_parser("seed", add_help=False)
    seeding.add_argument("options", nargs=argparse.REMAINDER)
    counting = commands.add_parser("queries")
    counting.add_argument("--host", default="localhost")
    counting.add_argument("paths", nargs="+")
    search_timing = commands.add_parser("search-timing")
    search_timing.add_argument("--unit", required=True)
    search_timing.add_argument("--rounds", type=int, default=5)
    search_timing.add_argument("queries", nargs="+")
    board_seeding = commands.add_parser("board-seed")
    board_seeding.add_argument("--stories", type=int, required=True)
    board_counting = commands.add_parser("board-queries")
    board_counting.add_argument("paths", nargs="+")
    commands.add_parser("publishing-driver")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.command == "publishing-driver":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoitu.settings.production")
    django.setup()
    # Imported here: these modules load the apps' models, which needs the
    # django.setup() above.
    from . import articles, board, publishing, search

    if args.command == "publishing-driver":
        publishing.driver()
        return
    if args.command == "sample":
        result = articles.sample(args.unit, args.count, args.seed)
    elif args.command == "prepare":
        result = articles.prepare()
    elif args.command == "seed":
        result = articles.seed(args.options)
    elif args.command == "queries":
        result = articles.queries(args.paths, args.host)
    elif args.command == "search-timing":
        result = search.timing(args.unit, args.queries, args.rounds)
    elif args.command == "board-seed":
        result = board.seed_board(args.stories)
    else:
        result = board.count_queries(args.paths)
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
