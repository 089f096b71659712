"""``python -m compliance`` runs the command line."""

from compliance.cli.main import main

if __name__ == "__main__":
    main()
