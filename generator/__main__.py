from generator.cli import main

if __name__ == "__main__":  # not when a spawned worker process imports it (sources/declared.py)
    raise SystemExit(main())
