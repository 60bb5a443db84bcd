import json
import sys

print("2026-11-25 10:00:00,000 INFO app: loading settings", flush=True)


def read_settings(raw):
    try:
        return json.loads(raw)
    except json.JSONDecodeError as e:
        raise RuntimeError("settings are not valid JSON") from e


def main():
    try:
        read_settings("{broken")
    except RuntimeError:
        {}["missing"]


main()
